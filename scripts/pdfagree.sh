#!/usr/bin/env bash
# Compare lcity's PDF extraction with poppler's pdftotext on a folder of PDFs
# (default ../shared/pdfs): pages per second of both as whole processes
# (lcity ingest against pdftotext, alternated, medians of RUNS runs) and
# word-count F1 per file. Files where pdftotext's own text is wrong
# (right-to-left words written with their letters reversed) are named in
# the notes and left out of the agreement count; go test ./internal/pdfagree
# holds the count to F1 >= 0.9 on 95 % of the rest. Needs pdftotext (Debian: apt-get install
# poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/pdfs}"
bin=$(mktemp -d "${TMPDIR:-/tmp}/pdfagree-bin-XXXXXX")
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/lcity" ./cmd/lcity
go run ./internal/pdfagree -lcity "$bin/lcity" -runs "${RUNS:-5}" "$dir"
