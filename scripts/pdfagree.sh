#!/usr/bin/env bash
# Compare lcity's PDF extraction with poppler's pdftotext on a folder of PDFs
# (default ../shared/pdfs): pages per second of both and word-count F1 per
# file. Needs pdftotext (Debian: apt-get install poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/pdfs}"
go run ./internal/pdfagree -runs "${RUNS:-5}" "$dir"
