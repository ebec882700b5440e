#!/usr/bin/env bash
# Ingest against its anchors (issues 17 and 19), whole processes, alternated:
#   lcity ingest (supervised, as users run it) and lcity ingest --in-process
#   lcity's extractor alone (internal/pdfagree -dump: page texts, no passages)
#   pdftotext FILE /dev/null, one process per file
#   PyMuPDF (python3-fitz), one process for all files, when installed
# on two inputs: the embedded sample books and one generated long book
# (cmd/lcity-gen, PAGES pages, default 1000). Reports the median wall and
# CPU seconds (user + system, children included) of REPS runs (default 5)
# and pages per second. Prints a Markdown table after the provenance line
# BENCHMARKS.md requires; scripts/benchmarks.sh runs it.
#
#   scripts/ingestbench.sh          (PAGES=1000 REPS=5 WORK=/tmp/lcity-ingestbench)
#
# Needs Go, pdftotext (poppler-utils) and GNU time; PyMuPDF is optional
# (apt-get install python3-fitz; it is looked for in /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/provenance.sh
pages=${PAGES:-1000}
reps=${REPS:-5}
work=${WORK:-/tmp/lcity-ingestbench}
mkdir -p "$work"
need_anchors ingestbench
mupdf=$(mupdf_installed)

go build -o "$work/lcity" ./cmd/lcity
go build -o "$work/lcity-gen" ./cmd/lcity-gen
go build -o "$work/pdfagree" ./internal/pdfagree
long="$work/long$pages"
[ -f "$long/corpus.yaml" ] || "$work/lcity-gen" --docs 1 --pages "$pages" --out "$long" >&2
sample="$work/sample"
rm -rf "$sample"
mkdir -p "$sample"
cp corpus/sample/*.pdf "$sample/"
provenance "PAGES=$pages REPS=$reps scripts/ingestbench.sh"
echo "One-minute load average at the start: $(load) (the machine may be shared with other work)."
echo

# timed NAME CMD...: runs CMD $loops times in a row (GNU time counts in
# hundredths of a second: a run of the sample takes a few), appends "wall
# cpu" of one run to $work/t.NAME. Each run of a command that writes a
# workspace starts without one ($work/ws removed, inside the timing).
timed() {
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$work/time.out" sh -c 'n=$1; shift; for i in $(seq "$n"); do rm -rf "$WS"; "$@" || exit 1; done' sh "$loops" "$@" \
		> /dev/null 2> "$work/cmd.err" || { cat "$work/cmd.err" >&2; return 1; }
	awk -v k="$loops" '{ printf "%.4f %.4f\n", $1 / k, ($2 + $3) / k }' "$work/time.out" >> "$work/t.$name"
}
export WS="$work/ws"

# median COLUMN NAME: the median of a column of $work/t.NAME.
median() {
	awk -v c="$1" '{ print $c }' "$work/t.$2" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "| input | pages | command | wall s | CPU s | pages/s (wall) | wall ÷ pdftotext |"
echo "|---|---:|---|---:|---:|---:|---:|"
for input in sample long; do
	dir="$sample"
	[ $input = long ] && dir="$long"
	files=("$dir"/*.pdf)
	n=0
	for f in "${files[@]}"; do
		n=$((n + $(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')))
	done
	corpus_flag=(--corpus "$dir")
	loops=1
	if [ $input = sample ]; then
		corpus_flag=() # the embedded sample, as `lcity ingest` runs it
		loops=10
	fi
	sides=(lcity inproc extract pdftotext)
	[ $mupdf = 1 ] && sides+=(mupdf)
	for s in "${sides[@]}"; do : > "$work/t.$s"; done
	for r in $(seq "$reps"); do
		# Rotate the order each round so a change in load falls on every side.
		for i in $(seq 0 $((${#sides[@]} - 1))); do
			s=${sides[$(((i + r) % ${#sides[@]}))]}
			case $s in
			lcity) timed $s "$work/lcity" ingest "${corpus_flag[@]}" --out "$work/ws" ;;
			inproc) timed $s "$work/lcity" ingest --in-process "${corpus_flag[@]}" --out "$work/ws" ;;
			extract) timed $s "$work/pdfagree" -dump "${files[@]}" ;;
			pdftotext) timed $s sh -c 'for f; do pdftotext -q "$f" /dev/null; done' sh "${files[@]}" ;;
			mupdf) timed $s /usr/bin/python3 scripts/mupdf_text.py "${files[@]}" ;;
			esac
		done
	done
	base=$(median 1 pdftotext)
	label="the two sample books"
	[ $input = long ] && label="generated book"
	for s in "${sides[@]}"; do
		case $s in
		lcity) what='`lcity ingest`' ;;
		inproc) what='`lcity ingest --in-process`' ;;
		extract) what="lcity's extractor alone, one process (\`pdfagree -dump\`)" ;;
		pdftotext) what='`pdftotext FILE /dev/null` per file' ;;
		mupdf) what='PyMuPDF `page.get_text()`, one process' ;;
		esac
		w=$(median 1 $s)
		c=$(median 2 $s)
		awk -v l="$label" -v n="$n" -v what="$what" -v w="$w" -v c="$c" -v b="$base" \
			'BEGIN { printf "| %s | %d | %s | %.3f | %.3f | %.0f | %.2f |\n", l, n, what, w, c, n / w, w / b }'
	done
done
echo
echo "Medians of $reps alternated runs (on the sample, each run is ten in a row, divided by ten);"
echo "CPU is user + system time of the process and of the workers it waited for. \`lcity"
echo "ingest\` also cleans the text, splits it by city, cuts passages, segments sentences and"
echo "writes the workspace; the anchors and lcity's extractor alone (\`go run ./internal/pdfagree"
echo "-dump FILE...\`: each page's text, read with one goroutine per CPU, printed) only extract."
[ $mupdf = 1 ] || echo "PyMuPDF was not installed (apt-get install python3-fitz), so it has no row."
