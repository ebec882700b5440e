# Sourced by scripts/benchmarks.sh, scripts/bench.sh and scripts/ingestbench.sh,
# from the repository root. provenance CMD prints the line that must precede every table or
# result block in BENCHMARKS.md (internal/benchtools checks it): the commit,
# whether the tree differed from it (BENCHMARKS.md itself aside), the date,
# Go, CPUs, architecture and the exact command that made the figures.

# provenance CMD [NOTE]: NOTE, if given, follows the command.
provenance() {
	local hash state note=${2:+ $2}
	hash=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	if [ "$hash" = unknown ]; then
		state=unknown
	elif [ -n "$(git status --porcelain -- . ':(exclude)BENCHMARKS.md' 2>/dev/null)" ]; then
		state=dirty
	else
		state=clean
	fi
	printf 'Measured at commit %s (%s), %s, %s, %s CPUs, %s: `%s`%s\n' \
		"$hash" "$state" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(go env GOVERSION)" "$(nproc)" "$(uname -m)" "$1" "$note"
}

# load prints the one-minute load average, to say how busy the machine was.
load() {
	cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown
}

# need_anchors NAME: exits 2, naming the script NAME, unless pdftotext
# (the extraction anchor) and GNU time (for CPU and peak RSS) are installed.
need_anchors() {
	command -v pdftotext >/dev/null || { echo "$1: pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
	[ -x /usr/bin/time ] || { echo "$1: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
}

# mupdf_installed prints 1 when PyMuPDF (Debian's python3-fitz) can be
# imported by /usr/bin/python3, the second extraction anchor, else 0.
mupdf_installed() {
	if /usr/bin/python3 -c 'import fitz' 2>/dev/null; then echo 1; else echo 0; fi
}
