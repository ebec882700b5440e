package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/workerfault"
)

// Version identifies the extraction logic. It is recorded in every
// document (in the extractor names) and is part of the key of lcity run's
// extraction cache, so a stale version serves stale cached text.
//
// Bump it with every change that makes the same file yield different
// documents: text, passages, offsets, sections, sentence spans, pages or
// failures. TestExtractionVersion fails when the extraction of the sample
// corpus changes while Version stays the same; after bumping, record the
// new golden with go test ./ingest -run TestExtractionVersion -update.
//
// "3": the extraction changed after "2" without a bump (a two-column page,
// for one, is now read differently). "5": an encrypted file with object
// streams is decrypted by lcity, not the library; a one-entry file whose
// outline has several top-level entries is split by the city name.
// "6": running lines of two-page documents removed; a paragraph across a
// page break joined when its last line reaches the margin; passages
// record their last page. "7": a line-end hyphen is kept where the
// document writes the compound so or uses both parts as words, and after
// a digit. "8": words of invisible text (OCR layers) parted at gaps of
// 0.1 em. "9": a simple font's codes beyond /Widths advance by
// /MissingWidth; a glyph without a width is measured from the end of the
// glyph before it (typeset ligatures came out as "offi ce"). "10": an
// entry's missing pages or outline entry no longer says "unsupported file
// type". "11": passage IDs are derived from the passage's text
// (corpus.PassageIDs), not from its position. "12": web pages (.html) and
// Word files (.docx) are read, and every file by its content; a text
// file's short title-case lines and Markdown's headings (by goldmark)
// are headings, its list items and table rows paragraphs; a bare CFF
// font's built-in encoding and glyph names read (Greek and math faces); a
// CID TrueType font without /ToUnicode read by its embedded cmap;
// Wingdings bullets, a bulleted line and a font-size change start
// paragraphs; a one-line page does not continue onto the next; a file not
// there fails as missing; a filled-in text field whose appearance shows
// nothing is read from its value; fonts with predefined CJK CMaps other
// than Identity (90ms-RKSJ-H, UniGB-UTF16-H …) give text. 13: the
// escapes \b and \f, a backslash before an end of line, and an end of
// line in a literal string are read as ISO 32000-1 says (files rewritten
// by qpdf --qdf or PyMuPDF's clean save lost letters); the strings of
// AES-128 files lose their padding (a CID font's page had no text); word
// gaps in a condensed font are measured in the em of its width; a file
// whose trailer /Size is below the objects its table lists is rebuilt
// (pdfunite's output lost its last pages); streams in ASCIIHexDecode,
// LZWDecode, RunLengthDecode, abbreviated filter names or with predictors
// other than PNG Up are decoded (they gave no text); a Type0 font's own
// /Encoding CMap maps its codes to CIDs; a browser's print header and
// footer go from a page whatever the page count; sentences are segmented
// per document, 256 passages at a time (a document's last sentence no
// longer depends on the next document's first word).
const Version = "13"

// Extractor names recorded in documents.jsonl.
const (
	ExtractorPDF  = "lcity-pdf/v" + Version
	ExtractorText = "text/v" + Version // plain text and Markdown
	ExtractorHTML = "html/v" + Version // web pages, main content by go-readability
	ExtractorDOCX = "docx/v" + Version // Word files
)

// Defaults for Options.
const (
	DefaultMaxBytes  = 256 << 20
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxMemory = 2 << 30
)

// Options limit what one input may cost.
type Options struct {
	// MaxBytes is the largest file accepted; larger files fail as too-large.
	MaxBytes int64
	// Timeout bounds the extraction of one file; slower files fail as timeout.
	Timeout time.Duration
	// Fallback names an external extractor ("" or FallbackPdftotext) used
	// for a PDF the Go extractor cannot open or gets no text from. The
	// document then records that extractor. Pages read by pdftotext have
	// no font sizes, so their sections are not recognised.
	Fallback string
	// MaxMemory is the memory a worker process may take for one file
	// beyond what it held when it started; a file that needs more fails
	// as too-much-memory. Only a Supervisor enforces it (see the package
	// documentation for what each operating system allows); File, in
	// process, ignores it.
	MaxMemory int64
	// PageWorkers is how many pages of one PDF are read at once (0 or 1:
	// one after the other). The output does not depend on it; each extra
	// worker loads the fonts it meets again, so it pays only when CPUs
	// would otherwise idle: a run with fewer files than workers.
	PageWorkers int
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	return o
}

// Input is one file of a corpus with the manifest entries (cities) it holds.
type Input struct {
	File    string // path inside the corpus FS
	Source  string // path as recorded in outputs
	Entries []corpus.Entry
	// SHA256 is the known digest (hex) of File, as HashFile returns it, or
	// "". When set, File does not hash the file again: it records SHA256
	// as the result's and the documents' sha256 without checking it, so
	// the caller vouches that it is the digest of the file's current
	// bytes (hash and extract in the same run, and do not reuse a digest
	// across runs or after the file may have changed). When empty, File
	// hashes the file itself.
	SHA256 string
}

// Inputs groups a corpus's manifest entries by file, in manifest order of
// first appearance.
func Inputs(c *corpus.Corpus) []Input {
	var out []Input
	at := map[string]int{}
	for _, e := range c.Manifest.Entries {
		i, ok := at[e.File]
		if !ok {
			i = len(out)
			at[e.File] = i
			out = append(out, Input{File: e.File, Source: c.Display(e.File)})
		}
		out[i].Entries = append(out[i].Entries, e)
	}
	return out
}

// Doc is a document with its passages.
type Doc struct {
	corpus.Document
	Passages []corpus.Passage
}

// Result is what one input file yields. Every entry of the input ends either
// in Docs or in Failures.
type Result struct {
	Input    Input
	SHA256   string
	Docs     []Doc
	Failures []corpus.Failure
	// Notes are warnings that did not stop the file, such as outline
	// entries that match no city of the manifest.
	Notes []string
}

// File extracts the documents of one input. It never panics and never
// returns an error: a file that cannot be read becomes a Result with one
// failure per entry, its reason from corpus.Reason. It returns early when
// ctx is done.
func File(ctx context.Context, fsys fs.FS, in Input, opt Options) Result {
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	done := make(chan Result, 1)
	go func() {
		var res Result
		defer func() {
			if x := recover(); x != nil {
				res = failAll(in, res.SHA256, fmt.Errorf("%w: panic: %v", corpus.ErrCorrupt, x))
			}
			done <- res
		}()
		if workerfault.Hook != nil {
			workerfault.Hook(in.File)
		}
		res = extractFile(ctx, fsys, in, opt)
	}()
	select {
	case res := <-done:
		return cleanMessages(res)
	case <-ctx.Done():
		err := ctx.Err()
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: more than %s", corpus.ErrTimeout, opt.Timeout)
		}
		return cleanMessages(failAll(in, "", err))
	}
}

// cleanMessages puts each failure's detail and each note on one line of
// valid UTF-8 (corpus.CleanDetail): the PDF library's panics quote the
// file's bytes. File and Supervisor.File apply it to what they return.
func cleanMessages(res Result) Result {
	for i := range res.Failures {
		res.Failures[i].Detail = corpus.CleanDetail(res.Failures[i].Detail)
	}
	for i := range res.Notes {
		res.Notes[i] = corpus.CleanDetail(res.Notes[i])
	}
	return res
}

// failAll fails every entry of in. sum is the file's digest if it was
// computed; else the input's known digest, if any, is reported.
func failAll(in Input, sum string, err error) Result {
	if sum == "" {
		sum = in.SHA256
	}
	res := Result{Input: in, SHA256: sum}
	for _, e := range in.Entries {
		detail := err.Error()
		if len(in.Entries) > 1 {
			detail = e.City + ": " + detail
		}
		res.Failures = append(res.Failures, corpus.Failure{Source: in.Source, Reason: corpus.Reason(err), Detail: detail})
	}
	return res
}

func extractFile(ctx context.Context, fsys fs.FS, in Input, opt Options) Result {
	data, size, sum, err := readInput(fsys, in.File, opt.MaxBytes, in.SHA256)
	if err != nil {
		return failAll(in, sum, err)
	}
	defer data.Close()
	res := Result{Input: in, SHA256: sum}

	k, err := sniff(in.File, data, size)
	if err != nil {
		return failAll(in, sum, err)
	}
	if k != kindPDF {
		return extractStructured(data, size, in, sum, k, opt.PageWorkers)
	}
	var pages []page
	var outline []outlineEntry
	repaired := false
	extractor := ExtractorPDF
	{
		var notes []string
		var err error
		pages, outline, notes, repaired, err = extractPDF(ctx, data, size, in, opt.PageWorkers)
		if opt.Fallback == FallbackPdftotext && ctx.Err() == nil && (err != nil || !hasText(pages)) {
			if fp, ferr := pdftotextPages(ctx, data, size); ferr == nil && hasText(fp) {
				pages, err, notes, repaired = fp, nil, nil, false
				extractor = ExtractorPdftotext()
				res.Notes = append(res.Notes, fmt.Sprintf("%s: read by pdftotext", in.Source))
			}
		}
		if err != nil {
			return failAll(in, sum, err)
		}
		res.Notes = append(res.Notes, notes...)
	}

	total := len(pages)
	raw := pages
	pages = removeFurniture(pages)
	ranges, notes := splitRanges(in.Entries, outline, total)
	res.Notes = append(res.Notes, notes...)
	for i, e := range in.Entries {
		r := ranges[i]
		if r.err != nil {
			res.Failures = append(res.Failures, corpus.Failure{Source: in.Source, Reason: corpus.Reason(r.err), Detail: e.City + ": " + r.err.Error()})
			continue
		}
		doc := corpus.Document{
			ID: corpus.DocID(e.City, e.Year), City: e.City, Country: e.Country, Region: e.Region,
			Year: e.Year, Publication: e.Publication, Source: in.Source, SHA256: sum,
			FirstPage: r.first, LastPage: r.last, Pages: r.last - r.first + 1, Extractor: extractor,
			Repaired: repaired,
		}
		sel := pagesIn(pages, r)
		ps := build(&doc, blocks(sel))
		if len(ps) == 0 {
			// Cleaning never removes the last text of a document.
			sel = pagesIn(raw, r)
			ps = build(&doc, blocks(sel))
		}
		if len(ps) == 0 {
			err := noTextError(sel, r)
			detail := err.Error()
			if len(in.Entries) > 1 {
				detail = e.City + ": " + detail
			}
			res.Failures = append(res.Failures, corpus.Failure{Source: in.Source, Reason: corpus.Reason(err), Detail: detail})
			continue
		}
		res.Docs = append(res.Docs, Doc{Document: doc, Passages: ps})
	}
	segmentDocs(res.Docs, opt.PageWorkers)
	return res
}

// pagesIn returns the pages of r.
func pagesIn(pages []page, r pageRange) []page {
	var sel []page
	for _, p := range pages {
		if p.number >= r.first && p.number <= r.last {
			sel = append(sel, p)
		}
	}
	return sel
}

// noTextError is the failure of pages that gave no text: undecodable-font
// when glyphs were drawn in fonts that did not decode them, else
// no-text-layer.
func noTextError(pages []page, r pageRange) error {
	undecoded := 0
	for _, p := range pages {
		undecoded += p.undecoded
	}
	if undecoded > 0 {
		return fmt.Errorf("%w: pages %d-%d: %d glyphs not decoded", corpus.ErrUndecodableFont, r.first, r.last, undecoded)
	}
	return fmt.Errorf("%w: pages %d-%d", corpus.ErrNoText, r.first, r.last)
}

// extractPDF reads the pages an input needs and, for a book split by its
// outline, the outline, with up to workers pages read at once. Pages that
// fail are empty and noted. repaired tells that the file's cross-reference
// data was rebuilt.
func extractPDF(ctx context.Context, data io.ReaderAt, size int64, in Input, workers int) (pages []page, outline []outlineEntry, notes []string, repaired bool, err error) {
	f, err := openPDF(data, size, password(in.Entries))
	if err != nil {
		return nil, nil, nil, false, err
	}
	if f.repaired {
		notes = append(notes, fmt.Sprintf("%s: cross-reference data rebuilt by scanning the file (%s)", in.Source, f.repairNote))
	}
	want := neededPages(in.Entries, f.pages)
	nums := make([]int, 0, len(want))
	for n := 1; n <= f.pages; n++ {
		if want[n] {
			nums = append(nums, n)
		}
	}
	pages, errs := f.extractPages(ctx, nums, workers)
	for i, err := range errs {
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return nil, nil, nil, false, fmt.Errorf("%w: stopped at page %d", corpus.ErrTimeout, nums[i])
		}
		notes = append(notes, fmt.Sprintf("%s: %v", in.Source, err))
		pages[i] = page{number: nums[i]}
	}
	if needsOutline(in.Entries) {
		outline = f.outline()
	}
	return pages, outline, notes, f.repaired, nil
}

// password is the first password the manifest entries of a file give.
func password(es []corpus.Entry) string {
	for _, e := range es {
		if e.Password != "" {
			return e.Password
		}
	}
	return ""
}

// hashChunk is how much HashFile reads between checks of its context.
const hashChunk = 1 << 20

// HashFile returns the SHA-256 (hex) and size of a corpus file, the digest
// Input.SHA256 takes. It checks the size first: a file larger than
// maxBytes (DefaultMaxBytes if maxBytes <= 0) is not read and gives an
// error wrapping corpus.ErrTooLarge. It reads in chunks of 1 MiB and stops
// with ctx's error (wrapped) when ctx is done. A file that does not exist
// gives an error wrapping corpus.ErrMissing; one that cannot be opened or
// read, corpus.ErrCorrupt.
func HashFile(ctx context.Context, fsys fs.FS, name string, maxBytes int64) (sum string, size int64, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := ctx.Err(); err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", name, err)
	}
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", 0, fmt.Errorf("%w: %s", corpus.ErrMissing, name)
	}
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	if st.Size() > maxBytes {
		return "", st.Size(), fmt.Errorf("%w: %d bytes, limit %d", corpus.ErrTooLarge, st.Size(), maxBytes)
	}
	h := sha256.New()
	// A file that grows after Stat is still held to the limit.
	r := io.LimitReader(f, maxBytes+1)
	buf := make([]byte, hashChunk)
	for {
		if err := ctx.Err(); err != nil {
			return "", size, fmt.Errorf("hash %s: %w", name, err)
		}
		n, err := io.ReadFull(r, buf)
		h.Write(buf[:n])
		size += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return "", size, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
		}
	}
	if size > maxBytes {
		return "", size, fmt.Errorf("%w: more than %d bytes, limit %d", corpus.ErrTooLarge, maxBytes, maxBytes)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// readInput opens a corpus file and checks its size. It hashes the file
// unless known (a digest from HashFile) is given, which it returns as is.
func readInput(fsys fs.FS, name string, max int64, known string) (ra readerAtCloser, size int64, sum string, err error) {
	f, size, err := openInput(fsys, name, max)
	if err != nil {
		return nil, size, "", err
	}
	if ra, ok := f.(readerAtCloser); ok {
		if known != "" {
			return ra, size, known, nil
		}
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(ra, 0, size)); err != nil {
			f.Close()
			return nil, 0, "", fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
		}
		return ra, size, hex.EncodeToString(h.Sum(nil)), nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, 0, "", fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	if int64(len(b)) > max {
		return nil, int64(len(b)), "", fmt.Errorf("%w: more than %d bytes, limit %d", corpus.ErrTooLarge, max, max)
	}
	if known != "" {
		return nopCloser{bytes.NewReader(b)}, int64(len(b)), known, nil
	}
	sum256 := sha256.Sum256(b)
	return nopCloser{bytes.NewReader(b)}, int64(len(b)), hex.EncodeToString(sum256[:]), nil
}

// openInput opens a corpus file and checks its size against max. On an
// error the file is closed; size is the file's size when it was known.
func openInput(fsys fs.FS, name string, max int64) (f fs.File, size int64, err error) {
	f, err = fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: %s", corpus.ErrMissing, name)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	size = st.Size()
	if size > max {
		f.Close()
		return nil, size, fmt.Errorf("%w: %d bytes, limit %d", corpus.ErrTooLarge, size, max)
	}
	return f, size, nil
}

type readerAtCloser interface {
	io.ReaderAt
	io.Closer
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// pageRange is the pages of a file that belong to one entry.
type pageRange struct {
	first, last int
	err         error
}

// needsOutline tells whether splitting the file needs its outline: some
// entry gives no page range (a one-entry file too: its outline may name
// the entry's part of a book, or say that the book holds several).
func needsOutline(es []corpus.Entry) bool {
	for _, e := range es {
		if _, _, ok, _ := e.PageRange(); !ok {
			return true
		}
	}
	return false
}

func neededPages(es []corpus.Entry, total int) map[int]bool {
	want := map[int]bool{}
	all := needsOutline(es) || len(es) == 1
	for _, e := range es {
		first, last, ok, _ := e.PageRange()
		if !ok {
			all = true
			continue
		}
		for n := first; n <= last && n <= total; n++ {
			want[n] = true
		}
	}
	if all {
		for n := 1; n <= total; n++ {
			want[n] = true
		}
	}
	return want
}

// splitRanges decides which pages belong to which entry: an entry's own
// page range wins; an entry with an outline title takes the outline entry
// it matches, and fails naming that title when none does. Otherwise, in a
// file of several entries, each is matched by its city name; a file of
// one entry is whole, unless its outline has several top-level entries (a
// book of several cities): then the city is looked for in the outline
// like the entries of a book, and a note says what was chosen. Matching
// ignores accents, case and punctuation: a title matches when it is the
// name, starts with it or holds it as whole words; an outline entry's
// part runs to the page before the next outline entry of the same or a
// higher level.
func splitRanges(es []corpus.Entry, outline []outlineEntry, total int) ([]pageRange, []string) {
	ranges := make([]pageRange, len(es))
	var notes []string
	used := map[int]bool{}
	for i, e := range es {
		if first, last, ok, _ := e.PageRange(); ok {
			ranges[i] = clampRange(first, last, total)
			continue
		}
		if e.Outline != "" {
			best := matchOutline(e.Outline, outline, used)
			if best < 0 {
				ranges[i] = pageRange{err: partError(fmt.Sprintf("no outline entry matches outline %q; give its pages in the manifest", e.Outline))}
				continue
			}
			used[best] = true
			ranges[i] = outlineRange(outline, best, total)
			continue
		}
		if len(es) == 1 {
			top := topLevel(outline)
			if top < 2 {
				ranges[i] = pageRange{first: 1, last: total}
				return ranges, nil
			}
			best := matchOutline(e.City, outline, used)
			if best < 0 {
				ranges[i] = pageRange{first: 1, last: total}
				return ranges, []string{fmt.Sprintf("%s: the whole file (pages 1-%d) is its document, although its outline has %d top-level entries and none names the city; give outline: or pages: in the manifest to take a part", e.City, total, top)}
			}
			used[best] = true
			ranges[i] = outlineRange(outline, best, total)
			notes = append(notes, fmt.Sprintf("%s: pages %d-%d, chosen by the outline entry %q (the file's outline has %d top-level entries; give outline: or pages: in the manifest to choose otherwise)", e.City, ranges[i].first, ranges[i].last, outline[best].title, top))
			return ranges, notes
		}
		best := matchOutline(e.City, outline, used)
		if best < 0 {
			ranges[i] = pageRange{err: partError(fmt.Sprintf("no outline entry matches %q; give its pages in the manifest", e.City))}
			continue
		}
		used[best] = true
		ranges[i] = outlineRange(outline, best, total)
	}
	if len(es) == 1 {
		return ranges, nil
	}
	for j, o := range outline {
		if o.level == 0 && !used[j] {
			notes = append(notes, fmt.Sprintf("outline entry %q (page %d) matches no city of the manifest", o.title, o.page))
		}
	}
	sort.Strings(notes)
	return ranges, notes
}

// matchOutline returns the outline entry, not used yet and pointing at a
// page, whose title matches name (the highest-level one of several), or
// -1.
func matchOutline(name string, outline []outlineEntry, used map[int]bool) int {
	want := corpus.MatchKey(name)
	if want == "" {
		return -1
	}
	best := -1
	for j, o := range outline {
		if used[j] || o.page == 0 {
			continue
		}
		k := corpus.MatchKey(o.title)
		if k == want || strings.HasPrefix(k, want+" ") || strings.Contains(" "+k+" ", " "+want+" ") {
			if best < 0 || o.level < outline[best].level {
				best = j
			}
		}
	}
	return best
}

// outlineRange is the part of the file outline entry j begins: up to the
// page before the next entry of the same or a higher level.
func outlineRange(outline []outlineEntry, j, total int) pageRange {
	o := outline[j]
	last := total
	for _, next := range outline[j+1:] {
		if next.level <= o.level && next.page > o.page {
			last = next.page - 1
			break
		}
	}
	return pageRange{first: o.page, last: last}
}

// topLevel counts the outline's top-level entries that point at a page.
func topLevel(outline []outlineEntry) int {
	n := 0
	for _, o := range outline {
		if o.level == 0 && o.page > 0 {
			n++
		}
	}
	return n
}

// partError is an entry whose part of its file cannot be found (its
// pages or outline entry). Its reason is unsupported (errors.Is
// corpus.ErrUnsupported), but its message says only what is missing:
// the file's type is not at fault.
type partError string

func (e partError) Error() string        { return string(e) }
func (e partError) Is(target error) bool { return target == corpus.ErrUnsupported }

func clampRange(first, last, total int) pageRange {
	if first > total {
		return pageRange{err: partError(fmt.Sprintf("pages %d-%d beyond the file's %d pages", first, last, total))}
	}
	if last > total {
		last = total
	}
	return pageRange{first: first, last: last}
}
