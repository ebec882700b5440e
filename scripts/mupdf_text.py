#!/usr/bin/env python3
"""Extract the text of every page of each PDF with PyMuPDF (Debian's
python3-fitz), the second anchor of scripts/ingestbench.sh. Prints one line
per file: its name, pages and characters of text, so the text is really
built and nothing else is written.

    /usr/bin/python3 scripts/mupdf_text.py FILE.pdf ...
"""
import sys

import fitz


def main():
    for name in sys.argv[1:]:
        doc = fitz.open(name)
        chars = sum(len(page.get_text()) for page in doc)
        print(name, doc.page_count, chars)


if __name__ == "__main__":
    main()
