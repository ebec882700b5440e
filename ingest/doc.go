// Package ingest turns corpus files (PDF, plain text, Markdown) into
// documents and passages.
//
// A PDF is opened with github.com/ledongthuc/pdf's object parser; an
// encrypted one with the empty user password or the manifest entry's
// password, and what the library cannot decrypt (RC4 keys under 128 bits,
// AES-256, owner passwords) is rewritten unencrypted in memory first
// (decrypt.go). The content streams are interpreted here (content.go):
// fonts are decoded once per file (a /ToUnicode CMap first, else glyph
// names over the base or built-in Type 1 encoding, numbered Type 3 glyph
// names by their codes, CIDs of the Adobe CJK collections by tables made
// from poppler-data; encoding.go, cjk.go), text in form XObjects and in
// form-field appearances is read, text outside the crop box and glyphs
// printed twice are dropped, and rotated text is turned upright. Glyphs are
// grouped into lines by baseline, word spaces are put back from the gaps
// between glyphs (measured against the font's space width and the line's
// median glyph width), and pages with two or three columns are read column by
// column (a gutter found where lines stop on one side and start on the
// other). Running headers, footers and page numbers (lines on the top or
// bottom baselines of a page that recur across pages, or look like page
// numbers) are dropped. Lines are then grouped into blocks: headings by
// font size or weight, paragraphs by vertical gaps, indentation and size
// changes, with paragraphs that run across a page or column break joined
// and end-of-line hyphens removed. Options.Fallback can hand a PDF the Go
// extractor cannot read to poppler's pdftotext.
//
// A file that holds several cities (a compilation book) is split into one
// document per manifest entry, by the entry's page range or by the PDF
// outline entry whose title matches the entry's outline title or city.
// Each paragraph becomes a passage whose Start and End are byte offsets
// into the document's cleaned text; sentence spans come from prose/v2.
//
// HashFile hashes an input within the size limit and stops on
// cancellation; a caller that already needs the digest (for an up-to-date
// check or a cache key) passes it in Input.SHA256, and File then reads the
// file only to extract it.
//
// File never panics and never blocks past Options.Timeout: corrupt,
// encrypted, image-only, oversized and unsupported inputs become
// corpus.Failure values with a reason from the failures.csv vocabulary.
// Extraction has bounded loops (content bytes, glyphs per page, form
// nesting); a goroutine stuck inside the PDF library's object parser after
// the timeout could not be stopped, but fuzzing (FuzzFile, 300,000 inputs)
// found none.
package ingest
