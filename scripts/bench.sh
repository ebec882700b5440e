#!/usr/bin/env bash
# Scale benchmark (issue 8): generate corpora of N reports of PAGES pages with
# lcity-gen, run the whole pipeline on each (seconds, peak RSS), and on the
# first size compare each stage with its anchor in the same run:
#   ingest  vs pdftotext over the same files, run in parallel with the same worker count
#   code    vs grep -F -i -o -f over the same text with the codebooks' terms
#   index   vs a bare Bleve batch indexer of the same passages
# Needs Go, pdftotext (poppler-utils) and GNU time (/usr/bin/time).
#
#   scripts/bench.sh [--append] [N ...]      (default N: 100 400 1600; PAGES=40)
set -euo pipefail
cd "$(dirname "$0")/.."
append=0
if [ "${1:-}" = "--append" ]; then append=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 400 1600)
pages=${PAGES:-40}
workers=${WORKERS:-$(nproc)}
work=${WORK:-/tmp/lcity-bench}
mkdir -p "$work"
command -v pdftotext >/dev/null || { echo "bench: pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

go build -o "$work/lcity" ./cmd/lcity
go build -o "$work/lcity-gen" ./cmd/lcity-gen
go build -o "$work/benchtools" ./internal/benchtools

# timed CMD...: runs CMD, sets secs and rss_mb.
timed() {
	/usr/bin/time -f "%e %M" -o "$work/time.out" "$@" > "$work/cmd.out" 2>&1 || { cat "$work/cmd.out" >&2; return 1; }
	read -r secs rss < "$work/time.out"
	rss_mb=$((rss / 1024))
}

table="$work/table.md"
{
	echo "### Scale run $(date -u +%Y-%m-%d), $(nproc) cores, workers $workers, $pages-page reports"
	echo
	echo "| reports | pages | lcity run (s) | peak RSS (MB) | pages/s |"
	echo "|---:|---:|---:|---:|---:|"
} > "$table"
first=1
for n in "${sizes[@]}"; do
	corpus="$work/g$n-p$pages"
	[ -f "$corpus/corpus.yaml" ] || "$work/lcity-gen" --docs "$n" --pages "$pages" --out "$corpus"
	ws="$work/ws$n"
	rm -rf "$ws"
	timed "$work/lcity" run --corpus "$corpus" --out "$ws" --workers "$workers"
	total_pages=$((n * pages))
	echo "| $n | $total_pages | $secs | $rss_mb | $(awk -v p=$total_pages -v s=$secs 'BEGIN{printf "%.0f", p/s}') |" >> "$table"
	if [ $first = 1 ]; then
		first=0
		ratio_n=$n
		st="$work/stages$n"
		rm -rf "$st"
		timed "$work/lcity" ingest --corpus "$corpus" --out "$st" --workers "$workers"; ingest_s=$secs
		timed sh -c "find -L '$corpus' -name '*.pdf' -print0 | xargs -0 -P $workers -n 8 sh -c 'for f; do pdftotext -q \"\$f\" - ; done' sh > /dev/null"; pdftotext_s=$secs
		timed "$work/lcity" code --out "$st" --workers "$workers"; code_s=$secs
		bytes=$(cat "$st"/texts/*.txt | wc -c)
		"$work/benchtools" terms > "$work/terms.txt"
		timed sh -c "cat '$st'/texts/*.txt | grep -F -i -o -f '$work/terms.txt' > /dev/null"; grep_s=$secs
		timed "$work/lcity" index --out "$st"; index_s=$secs
		read -r passages bare_s _ < <("$work/benchtools" barebleve "$st")
	fi
done
mb=$(awk -v b=$bytes 'BEGIN{printf "%.1f", b/1e6}')
{
	echo
	echo "Stages on the $ratio_n-report corpus ($((ratio_n * pages)) pages, $mb MB of text, $passages passages), same run:"
	echo
	echo "| stage | lcity | anchor | ratio (goal) |"
	echo "|---|---:|---:|---:|"
	awk -v a=$ingest_s -v b=$pdftotext_s -v p=$((ratio_n * pages)) 'BEGIN{printf "| ingest, pages/s | %.0f | pdftotext: %.0f | %.2f (>= 1.0) |\n", p/a, p/b, b/a}'
	awk -v a=$code_s -v b=$grep_s -v m=$mb 'BEGIN{printf "| code, MB/s | %.1f | grep -F -i -o: %.1f | %.2f (>= 0.5) |\n", m/a, m/b, b/a}'
	awk -v a=$index_s -v b=$bare_s -v p=$passages 'BEGIN{printf "| index, passages/s | %.0f | bare Bleve: %.0f | time %.2f× (<= 1.2) |\n", p/a, p/b, a/b}'
	echo
	echo "lcity code and index include reading the workspace files and writing theirs; pdftotext output goes to /dev/null."
} >> "$table"
cat "$table"
if [ $append = 1 ]; then
	{ echo; cat "$table"; } >> BENCHMARKS.md
fi
