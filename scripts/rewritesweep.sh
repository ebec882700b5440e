#!/usr/bin/env bash
# Rewrite PDFs in ways that keep their text (qpdf, pdfunite, pdftocairo,
# mutool, Ghostscript, PyMuPDF: whichever are installed) and compare lcity's
# text of each rewrite with its text of the original, beside pdftotext's
# (internal/rewritesweep). Default inputs: the sample books, ../shared/pdfs
# and the font and layout fixtures. Prints the provenance line BENCHMARKS.md
# requires, the rewrites lcity does not read as the original, and a summary.
#
#   scripts/rewritesweep.sh [FILE|DIR...]
#
# Needs Go, pdftotext and qpdf; mupdf-tools, ghostscript and python3-fitz
# add rewrites (apt-get install mupdf-tools ghostscript python3-fitz).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/provenance.sh
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(corpus/sample ../shared/pdfs ingest/testdata/fonts ingest/testdata/extraction)
provenance "scripts/rewritesweep.sh ${args[*]}"
# PyMuPDF is looked for in the system's Python.
PATH="/usr/bin:$PATH" go run ./internal/rewritesweep "${args[@]}"
