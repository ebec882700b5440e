#!/usr/bin/env bash
# Scale benchmark (issue 8): generate corpora of N reports of PAGES pages with
# lcity-gen, run the whole pipeline on each (seconds, peak RSS), and on the
# first size compare each stage with its anchor in the same run:
#   ingest  vs pdftotext over the same files, run in parallel with the same worker count,
#           and vs PyMuPDF (scripts/mupdf_text.py) where Debian's python3-fitz is installed
#   code    vs grep -F -i -o -f over the same text with the codebooks' terms,
#           its matches counted with wc -l (GNU grep writing to /dev/null
#           stops at the first match, which would time nothing)
#   index   vs a bare Bleve batch indexer of the same passages and codes
#           with lcity's mapping (benchtools barebleve)
# Each stage and its anchor run as whole processes, alternated, REPS times
# (default 3); the medians count. On every size, one query (QUERY, default
# festival) with `lcity search` against `grep -rli QUERY texts/` over the
# workspace's texts (issue 19: at most 2×), each a loop of SEARCHES (10)
# whole processes, the loops alternated REPS times; wall and CPU (user +
# system) per process, medians.
# Needs Go, pdftotext (poppler-utils) and GNU time (/usr/bin/time).
# Prints Markdown tables, each after the provenance line BENCHMARKS.md
# requires; scripts/benchmarks.sh runs it for its Scale section.
#
#   scripts/bench.sh [--append] [N ...]      (default N: 100 400 1600; PAGES=40, REPS=3,
#                                             QUERY=festival, SEARCHES=10)
#
# --append also appends the tables, under a heading of their own, to
# BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/provenance.sh
append=0
if [ "${1:-}" = "--append" ]; then append=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 400 1600)
pages=${PAGES:-40}
workers=${WORKERS:-$(nproc)}
reps=${REPS:-3}
query=${QUERY:-festival}
searches=${SEARCHES:-10}
work=${WORK:-/tmp/lcity-bench}
mkdir -p "$work"
need_anchors bench
mupdf=$(mupdf_installed)

# The command as a reader reruns it, with the settings that shape the figures.
command_line="PAGES=$pages WORKERS=$workers REPS=$reps QUERY=$query SEARCHES=$searches scripts/bench.sh ${sizes[*]}"
started=$(provenance "$command_line")
load_start=$(load)

go build -o "$work/lcity" ./cmd/lcity
go build -o "$work/lcity-gen" ./cmd/lcity-gen
go build -o "$work/benchtools" ./internal/benchtools

# timed CMD...: runs CMD, sets secs and rss_mb.
timed() {
	/usr/bin/time -f "%e %M" -o "$work/time.out" "$@" > "$work/cmd.out" 2>&1 || { cat "$work/cmd.out" >&2; return 1; }
	read -r secs rss < "$work/time.out"
	rss_mb=$((rss / 1024))
}

# timedcpu CMD...: like timed, and sets cpu (user + system seconds of CMD
# and the processes it waited for).
timedcpu() {
	/usr/bin/time -f "%e %U %S" -o "$work/time.out" "$@" > "$work/cmd.out" 2>&1 || { cat "$work/cmd.out" >&2; return 1; }
	read -r secs user sys < "$work/time.out"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{print u + s}')
}

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

runs="$work/runs.txt"
: > "$runs"
searchrows="$work/search.txt"
: > "$searchrows"
first=1
for n in "${sizes[@]}"; do
	corpus="$work/g$n-p$pages"
	[ -f "$corpus/corpus.yaml" ] || "$work/lcity-gen" --docs "$n" --pages "$pages" --out "$corpus" >&2
	ws="$work/ws$n"
	rm -rf "$ws"
	timed "$work/lcity" run --corpus "$corpus" --out "$ws" --workers "$workers"
	echo "$n $((n * pages)) $secs $rss_mb" >> "$runs"
	# One query, lcity search against grep -rli, as whole processes:
	# SEARCHES of each in a loop, the loops alternated (lcity first on odd
	# rounds); ms per process, medians of the rounds.
	: > "$work/t.search"; : > "$work/c.search"; : > "$work/t.grepl"; : > "$work/c.grepl"
	for r in $(seq "$reps"); do
		for side in $( ((r % 2)) && echo "lcity grep" || echo "grep lcity"); do
			case $side in
			lcity)
				timedcpu sh -c "for i in \$(seq $searches); do '$work/lcity' search --out '$ws' '$query' > '$work/search.out' || exit 1; done"
				echo "$secs" >> "$work/t.search"; echo "$cpu" >> "$work/c.search" ;;
			grep)
				timedcpu sh -c "for i in \$(seq $searches); do grep -rli '$query' '$ws/texts/' > '$work/grep.out' || exit 1; done"
				echo "$secs" >> "$work/t.grepl"; echo "$cpu" >> "$work/c.grepl" ;;
			esac
		done
	done
	files=$(wc -l < "$work/grep.out")
	hits=$("$work/lcity" search --out "$ws" --json --limit 1 "$query" | awk '/"total"/ {gsub(/[^0-9]/, ""); print; exit}')
	echo "$n $(median < "$work/t.search") $(median < "$work/c.search") $(median < "$work/t.grepl") $(median < "$work/c.grepl") $hits $files" >> "$searchrows"
	if [ $first = 1 ]; then
		first=0
		ratio_n=$n
		st="$work/stages$n"
		"$work/benchtools" terms > "$work/terms.txt"
		# Each stage against its anchor as whole processes, alternated
		# (lcity first on odd rounds, the anchor first on even ones) so that
		# a change in the machine's load falls on both; medians of $reps.
		: > "$work/t.ingest"; : > "$work/t.pdftotext"; : > "$work/t.mupdf"; : > "$work/t.code"; : > "$work/t.grep"; : > "$work/t.index"; : > "$work/t.bare"
		for r in $(seq "$reps"); do
			for pair in ingest code index; do
				sides=$( ((r % 2)) && echo "lcity anchor" || echo "anchor lcity")
				# PyMuPDF is ingest's second anchor, where Debian's python3-fitz is installed.
				[ $pair = ingest ] && [ $mupdf = 1 ] && sides="$sides mupdf"
				for side in $sides; do
					case $pair/$side in
					ingest/lcity)
						rm -rf "$st"
						timed "$work/lcity" ingest --corpus "$corpus" --out "$st" --workers "$workers"; echo "$secs" >> "$work/t.ingest" ;;
					ingest/anchor)
						timed sh -c "find -L '$corpus' -name '*.pdf' -print0 | xargs -0 -P $workers -n 8 sh -c 'for f; do pdftotext -q \"\$f\" - ; done' sh > /dev/null"; echo "$secs" >> "$work/t.pdftotext" ;;
					ingest/mupdf)
						timed sh -c "find -L '$corpus' -name '*.pdf' -print0 | xargs -0 -P $workers -n 8 /usr/bin/python3 scripts/mupdf_text.py > /dev/null"; echo "$secs" >> "$work/t.mupdf" ;;
					code/lcity)
						timed "$work/lcity" code --out "$st" --workers "$workers"; echo "$secs" >> "$work/t.code" ;;
					code/anchor)
						timed sh -c "cat '$st'/texts/*.txt | grep -F -i -o -f '$work/terms.txt' | wc -l"; echo "$secs" >> "$work/t.grep"
						read -r grep_matches < "$work/cmd.out" ;;
					index/lcity)
						timed "$work/lcity" index --out "$st"; echo "$secs" >> "$work/t.index" ;;
					index/anchor)
						timed "$work/benchtools" barebleve "$st"; echo "$secs" >> "$work/t.bare"
						read -r passages _ < "$work/cmd.out" ;;
					esac
				done
			done
		done
		ingest_s=$(median < "$work/t.ingest"); pdftotext_s=$(median < "$work/t.pdftotext")
		[ $mupdf = 1 ] && mupdf_s=$(median < "$work/t.mupdf")
		code_s=$(median < "$work/t.code"); grep_s=$(median < "$work/t.grep")
		index_s=$(median < "$work/t.index"); bare_s=$(median < "$work/t.bare")
		bytes=$(cat "$st"/texts/*.txt | wc -c)
	fi
done
mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}')

table="$work/table.md"
{
	if [ $append = 1 ]; then
		echo "### Scale run $(date -u +%Y-%m-%d)"
		echo
	fi
	echo "$started"
	echo
	echo "Generated corpora (\`cmd/lcity-gen\`, $pages-page reports, one city each), \`lcity run\` with"
	echo "$workers workers on $(nproc) CPUs, peak RSS from \`/usr/bin/time\`; one-minute load average"
	echo "$load_start at the start, $(load) at the end:"
	echo
	echo "| reports | pages | lcity run (s) | peak RSS (MB) | pages/s |"
	echo "|---:|---:|---:|---:|---:|"
	awk '{printf "| %d | %d | %.1f | %d | %.0f |\n", $1, $2, $3, $4, $2/$3}' "$runs"
	echo
	# The goals of issue 8, judged on the last step (the largest corpus
	# against the one before): time grows at most 1.1× as fast as the
	# reports, peak RSS at most 1.2× and stays under 500 MB.
	awk 'NR > 1 {
		k = $1 / n; tg = $3 / s; mg = $4 / m
		printf "* %d → %d reports (×%.1f): time ×%.2f, peak RSS ×%.2f.\n", n, $1, k, tg, mg
	} { n = $1; s = $3; m = $4 }
	END {
		if (NR < 2) exit
		printf "\nGoals, on the last step: time at most ×%.1f (1.1× the growth in reports): %s; peak RSS\n", 1.1 * k, (tg <= 1.1 * k ? "met" : "not met")
		printf "at most ×1.2 and under 500 MB: %s.\n", (mg <= 1.2 && m < 500 ? "met" : "not met")
	}' "$runs"
	# Issue 19's goals, from 100 to 1,600 reports: time at most ×17, peak
	# RSS at most ×1.3.
	awk 'NR == 1 { n = $1; s = $3; m = $4 } END {
		if (n != 100 || $1 != 1600) exit
		printf "\nIssue 19, 100 → 1600 reports: time ×%.2f (goal <= 17: %s), peak RSS ×%.2f (goal <= 1.3: %s).\n", $3 / s, ($3 / s <= 17 ? "met" : "not met"), $4 / m, ($4 / m <= 1.3 ? "met" : "not met")
	}' "$runs"
	echo
	echo "Stages on the $ratio_n-report corpus ($((ratio_n * pages)) pages, $mb MB of text, $passages passages), same run,"
	echo "each against its anchor as whole processes, alternated, median of $reps:"
	echo
	echo "| stage | lcity | anchor | ratio (goal) |"
	echo "|---|---:|---:|---:|"
	awk -v a="$ingest_s" -v b="$pdftotext_s" -v p=$((ratio_n * pages)) 'BEGIN{printf "| ingest, pages/s | %.0f | pdftotext: %.0f | %.2f (>= 1.0) |\n", p/a, p/b, b/a}'
	if [ $mupdf = 1 ]; then
		awk -v a="$ingest_s" -v b="$mupdf_s" -v p=$((ratio_n * pages)) 'BEGIN{printf "| ingest, pages/s | %.0f | PyMuPDF: %.0f | %.2f (>= 1.0) |\n", p/a, p/b, b/a}'
	fi
	awk -v a="$code_s" -v b="$grep_s" -v m="$mb" 'BEGIN{printf "| code, MB/s | %.1f | grep -F -i -o: %.1f | %.2f (>= 0.5) |\n", m/a, m/b, b/a}'
	awk -v a="$index_s" -v b="$bare_s" -v p="$passages" 'BEGIN{printf "| index, passages/s | %.0f | bare Bleve, same mapping: %.0f | time %.2f× (<= 1.1) |\n", p/a, p/b, a/b}'
	echo
	echo "lcity code and index include reading the workspace files and writing theirs; pdftotext"
	echo "output goes to /dev/null$([ $mupdf = 1 ] && echo "; PyMuPDF (\`scripts/mupdf_text.py\`, 8 files a process) builds every page's text and prints its length"); grep's $grep_matches matches are counted with \`wc -l\`, so it reads the whole text."
	echo
	echo "One query, \`lcity search --out WS $query\` (top 10 hits with snippets, facets, the"
	echo "review note) against \`grep -rli $query WS/texts/\` (the names of the texts that hold the"
	echo "word), each as a whole process, $searches in a loop, the loops alternated, median of $reps; ms per"
	echo "process, CPU = user + system:"
	echo
	echo "| reports | lcity search, wall ms | CPU ms | grep -rli, wall ms | CPU ms | ratio, wall (goal <= 2) | hits | texts grep lists |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -v k="$searches" '{printf "| %d | %.0f | %.0f | %.0f | %.0f | %.2f | %d | %d |\n", $1, 1000*$2/k, 1000*$3/k, 1000*$4/k, 1000*$5/k, $2/$4, $6, $7}' "$searchrows"
} > "$table"
cat "$table"
if [ $append = 1 ]; then
	{ echo; cat "$table"; } >> BENCHMARKS.md
fi
