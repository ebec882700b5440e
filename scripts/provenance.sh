# Sourced by scripts/benchmarks.sh and scripts/bench.sh, from the repository
# root. provenance CMD prints the line that must precede every table or
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
