// Package ingest turns corpus files (PDF, plain text, Markdown) into
// documents and passages.
//
// A PDF is read page by page with github.com/ledongthuc/pdf. Glyphs are
// grouped into lines by baseline, and word spaces are put back from the
// gaps between glyphs. Running headers, footers and page numbers (lines at
// the top or bottom of a page that recur across pages, or look like page
// numbers) are dropped. Lines are then grouped into blocks: headings by
// font size or weight, paragraphs by vertical gaps, indentation and size
// changes, with paragraphs that run across a page break joined and
// end-of-line hyphens removed.
//
// A file that holds several cities (a compilation book) is split into one
// document per manifest entry, by the entry's page range or by the PDF
// outline entry whose title matches the entry's outline title or city.
// Each paragraph becomes a passage whose Start and End are byte offsets
// into the document's cleaned text; sentence spans come from prose/v2.
//
// File never panics and never blocks past Options.Timeout: corrupt,
// encrypted, image-only, oversized and unsupported inputs become
// corpus.Failure values with a reason from the failures.csv vocabulary.
// A goroutine stuck inside the PDF library after the timeout cannot be
// stopped and keeps running until the process exits.
package ingest
