// Package ingest turns corpus files (PDF, Word .docx, web pages, plain
// text, Markdown) into documents and passages. Each file's reader is
// chosen by its content, not its name (sniff.go; see "Web pages, Word
// files and text" below).
//
// A PDF is opened with github.com/ledongthuc/pdf's object parser; an
// encrypted one is decrypted by lcity with the empty user password or the
// manifest entry's password and rewritten unencrypted in memory first
// (decrypt.go: the library cannot open AES-256 or owner passwords,
// decrypts 40-bit RC4 wrongly and leaves AES-128's padding on strings).
// The content streams are interpreted here (content.go):
// fonts are decoded once per file (a /ToUnicode CMap first, else glyph
// names over the base or built-in Type 1 or CFF encoding, numbered Type 3 glyph
// names by their codes, CIDs of the Adobe CJK collections and the codes of
// the predefined CJK CMaps (Shift-JIS, GBK, Big Five, UHC, UTF-16 …) by
// tables made from poppler-data, and of a font's own /Encoding CMap;
// encoding.go, cjk.go), text in form XObjects and in
// form-field appearances is read, text outside the crop box and glyphs
// printed twice are dropped, and rotated text is turned upright. Glyphs are
// grouped into lines by baseline, word spaces are put back from the gaps
// between glyphs (measured against the font's space width and the line's
// median glyph width, in the em of a condensed font's width), and pages with two or three columns are read column by
// column (a gutter found where lines stop on one side and start on the
// other). Running headers, footers and page numbers (lines on the top or
// bottom baselines of a page that recur across pages, or look like page
// numbers, and a browser's print header and footer) are dropped. Lines are then grouped into blocks: headings by
// font size or weight, paragraphs by vertical gaps, indentation and size
// changes, with paragraphs that run across a page or column break joined
// and end-of-line hyphens removed. Options.Fallback can hand a PDF the Go
// extractor cannot read to poppler's pdftotext.
//
// A file that holds several cities (a compilation book) is split into one
// document per manifest entry, by the entry's page range or by the PDF
// outline entry whose title matches the entry's outline title or city
// (a one-entry file too, when its outline has several top-level entries;
// see splitRanges).
// Each paragraph becomes a passage whose Start and End are byte offsets
// into the document's cleaned text; sentence spans come from prose/v2's
// segmenter, built once per process and shared (sentences.go: prose
// exports no way to build it once, so its constructor is linked by name and
// checked against prose.NewDocument by a test and a fuzz target). Its
// Punkt model is read by a small decoder written here for the model's one
// shape, because the library's LoadTraining (encoding/json by reflection)
// cost 13–22 ms in every process, each worker included; anything else is
// left to LoadTraining, and a test and a fuzz target hold the decoder to
// it.
//
// HashFile hashes an input within the size limit and stops on
// cancellation; a caller that already needs the digest (for an up-to-date
// check or a cache key) passes it in Input.SHA256, and File then reads the
// file only to extract it.
//
// File never panics and never blocks past Options.Timeout: corrupt,
// encrypted, image-only, oversized and unsupported inputs become
// corpus.Failure values with a reason from the failures.csv vocabulary.
// Text drawn only in fonts that decode to nothing fails as
// undecodable-font, not no-text-layer; the pdftotext fallback runs for
// both. Extraction has bounded loops (content bytes, glyphs and operators
// per page, annotations, nested arrays in content streams, form nesting
// and cycles, page-tree depth and cycles, /Parent chains).
//
// Cleaning never removes the last text: a page whose every line looks like
// a running header keeps those lines (bare page numbers aside), a
// document that cleaning would empty keeps its uncleaned lines, and a
// document whose text is all headings (a title, one bold line) has them as
// passages.
//
// Before the PDF library sees a file, lcity reads it into memory and checks
// its cross-reference data on the raw bytes (prepare.go, with a small
// reader of its own, rawlex.go); where the library would misbehave, the
// check contains it. The library cannot be stopped from outside, so each
// case is settled before it runs:
//
//   - It sizes its object table from xref subsection headers and from a
//     cross-reference stream's /Size and /Index, allocating up to the
//     highest object number at once (a subsection at 2^32 is a fatal
//     out-of-memory, not a panic). Every such number is checked against
//     the file's size (one object per byte, at most 8 Mi objects).
//   - It follows /Prev chains without end; a loop is detected.
//   - It reads no object numbered at or above the trailer's /Size, though
//     the table lists it (pdfunite writes such files, and pages were
//     lost): such a file is rebuilt as below.
//   - It refuses a wrong startxref, offsets that do not point at their
//     "N G obj", a missing table or trailer, and bytes before the header.
//     Then the table is rebuilt by scanning the file for "N G obj"
//     headers (the last definition of an object wins), object streams and
//     trailers (the last with a /Root; else the last /Type /Catalog), as
//     poppler and pdf.js do, and the library gets the file with a
//     cross-reference stream of lcity's own appended. The document records
//     repaired: true. A file the library cannot open or finds no pages in
//     is rebuilt the same way and tried again.
//   - It parses an object stream again from the start for every object it
//     reads from it (10,000 annotations in one stream took minutes). The
//     object streams of an unencrypted file are unpacked once into plain
//     objects appended to the file; a stream that decodes to more than
//     64 MiB (a decompression bomb), or past 256 MiB for the file, is
//     dropped and its objects read as null, as is an unpacked object
//     nested more than 256 deep (the library gives up on it with a panic
//     that costs the whole page). An encrypted file is decrypted by lcity
//     instead of the library (decrypt.go: which unpacks its streams,
//     bounded the same way) and the plain copy is checked again.
//   - It decodes only FlateDecode (with the PNG Up predictor alone) and
//     ASCII85Decode, and panics on any other filter, losing the page.
//     Streams in ASCIIHexDecode, LZWDecode, RunLengthDecode, an
//     abbreviated name or another predictor are decoded by lcity
//     (decode.go) into plain copies appended like the unpacked objects;
//     a file that names none of them is not read for them.
//   - It trusts the page tree's /Count and walks the tree without cycle
//     detection; lcity counts the pages by its own bounded walk and never
//     calls the library's page lookup, and follows /Parent only 32 deep.
//
// What stays inside the library after these checks (a predictor's
// /Columns in a stream dictionary it decodes, allocating that many bytes;
// the time it takes to inflate a content stream lcity reads up to 64 MiB
// of) is bounded by the time limit and, for memory, only by running the
// extraction in a supervised process.
//
// The pages of a PDF are read by Options.PageWorkers goroutines, each with
// font and object caches of its own, and sentences segmented per document
// 256 passages at a time as widely (parallel.go); the output does not
// depend on the count.
//
// Extraction has bounded loops (content bytes, glyphs per page, form
// nesting); fuzzing (FuzzFile, 300,000 inputs) found no input that hangs
// or crashes it. In process, though, a goroutine stuck past the timeout
// cannot be stopped, and a fatal runtime error (out of memory, a stack
// overflow, a panic in a goroutine of a library) ends the whole program.
//
// # Web pages, Word files and text
//
// The reader is chosen by the file's first bytes: "%PDF-" (in the first
// KiB), a zip archive holding word/document.xml, HTML markup (a doctype,
// <html>, <head> or <body>, or a name .html/.htm with markup), else text
// when the file is UTF-8 or UTF-16 with a byte-order mark (a text file
// in neither is read as Windows-1252, noted). The name decides only
// Markdown (.md, .markdown) against plain text, and keeps .pdf files with
// the PDF reader and .docx files with the Word reader, so a damaged file
// fails as corrupt with that reader's reason. A file that is none of
// these, or a text file of data or code (.csv, .json, .xml, .js…), fails
// as unsupported with a detail that says what it seems to be (an image,
// a legacy .doc, a PowerPoint file, binary data).
//
// A web page's main content is found by codeberg.org/readeck/go-readability/v2,
// a port of Mozilla's Readability (Firefox's reader view). It is the
// maintained fork of github.com/go-shiori/go-readability, which is
// archived and which the module proxy this project uses does not serve;
// the fork tracks Readability.js 0.6. Readability scores blocks by text
// and class names and keeps what sits inside the content with enough
// prose, cookie notes among them ("cookie" is none of its words), so a
// pre-pass (html.go) first drops what HTML5 and ARIA name as furniture
// (nav, header outside the article, footer, aside, form, dialog, button;
// roles navigation, banner, contentinfo, complementary, dialog, search)
// and elements whose class or ID holds a word such as cookie, consent,
// gdpr, share, social, newsletter or breadcrumb. Headings h1-h3 start
// sections; the page's first h1 (else its title) heads the first section
// when readability took it out of the content; a heading h4-h6 leads
// into the paragraph after it ("Costs. A circle costs…"), as it is too
// small to be a section and too short to code alone. A table row is a
// paragraph with its cells parted by tabs. The charset comes from the
// byte-order mark or the page's meta tag (golang.org/x/net/html/charset),
// else UTF-8 or Windows-1252. The document records the page's title and
// its canonical address (rel=canonical, og:url, or the "saved from url="
// comment a browser writes when saving a page).
//
// A Word file is read from its parts with archive/zip and encoding/xml
// (ECMA-376 WordprocessingML): no maintained Go library for .docx is
// served to this project (unioffice needs a paid licence, gooxml is not
// served) and only the text is needed. Paragraph styles named
// "heading 1"-"heading 3" (whatever their IDs, which Word localises), or
// with outline levels 1-3, directly or through the style they are based
// on, start sections, as does the Title style (whose text, unless the
// document properties give a title, is the document's title); deeper
// levels lead into the next paragraph as in web pages. A table row is a
// paragraph of tab-separated cells (a cell's paragraphs joined by
// spaces). Footnotes and endnotes are numbered [1], [2]… in the order the
// text refers to them, marked there, and appended after the text under
// a heading "Notes", each a paragraph, as a book prints endnotes: coded
// on their own, they do not split the paragraph that cites them. Text
// boxes are paragraphs of their own (their fallback copy for old readers
// is skipped), tracked insertions are read and deletions are not, field
// codes are dropped and their results kept; headers, footers and
// comments are not the document's text. A part that inflates past 64 MiB
// fails as too-large (a decompression bomb; archive/zip also stops at
// the size an archive declares, as corrupt), XML nested deeper than 512
// elements as corrupt, a web page of more than 200,000 elements as
// too-large.
//
// Markdown is parsed by goldmark (CommonMark with GitHub tables; a YAML
// front-matter block is metadata and left out): headings of levels 1-3
// start sections, deeper ones lead in, list items and table rows are
// paragraphs, raw HTML is left out. In plain text, paragraphs are parted
// by blank lines, and a paragraph of one short title-case line (at most
// 80 characters and 12 words, no closing . , ; : or !, its words
// capitalised but for short function words) is a heading, as in a
// transcript's "Opening Questions". Form feeds part a text file's pages.
//
// Web pages and Word files have no pages: every passage is on page 1 and
// the document has one page. Offsets refer to the extracted text as for
// PDFs. An entry's pages: selects a text file's form-feed pages; an
// entry's outline: fails on these files, which have no outline.
//
// # Supervised extraction
//
// A Supervisor runs File in worker processes instead, one file at a time
// per worker, so that such a file fails alone:
//
//	s := ingest.NewSupervisor()
//	defer s.Close() // kills the workers
//	res, err := s.File(ctx, fsys, in, ingest.Options{})
//	// err: no worker could be started; res: as File's, or a failure
//	// crashed, timeout or too-much-memory
//
// A worker is the running executable started again with WorkerArg (and
// WorkerEnv=1); the program must then call ServeWorker instead of doing
// its own work. lcity does so in a hidden command, `lcity __ingest-worker`;
// a test binary does so in TestMain when IsWorker reports true (the tests
// of ingest, pipeline, workspace and cmd/lcity do). The supervisor sends a
// worker the file's bytes and options over its standard input and reads
// the Result back from its standard output (length-prefixed gob frames),
// so results are the same as in process, byte for byte, and a worker
// needs no access to the corpus.
//
// What a worker that misbehaves costs, and what each system enforces:
//
//   - It dies (a fatal error, an unrecovered panic, an exit, a signal):
//     the input fails as crashed, with the worker's exit status and the
//     first line of its panic, and a new worker takes the next file.
//   - It runs past Options.Timeout: the worker answers with a timeout
//     failure itself and is then killed, since only that stops a stuck
//     goroutine; a worker stuck as a whole is killed at
//     KillAfter(Timeout), the timeout plus a quarter (1 s to 30 s). On
//     Unix the kill (SIGKILL) reaches the worker's process group, so a
//     pdftotext it started dies with it.
//   - It takes more memory than Options.MaxMemory (default 2 GiB) for one
//     file: on Linux the worker's address space is limited to what it had
//     when it started plus MaxMemory (RLIMIT_AS, set by the worker on
//     itself), an allocation beyond it fails and the Go runtime dies "out
//     of memory": the input fails as too-much-memory. Everywhere the Go
//     runtime's soft limit (debug.SetMemoryLimit, seven eighths of
//     MaxMemory) makes the collector work harder near the limit, but
//     outside Linux nothing stops a worker that keeps growing but the
//     system itself (a worker killed by SIGKILL that the supervisor did
//     not send, as the Linux out-of-memory killer does, is counted as
//     too-much-memory) or the timeout.
//   - Its supervisor ends: Close, or a cancelled context during File,
//     kills the workers. On Linux a worker is also killed by the kernel
//     when the supervising process dies, even by SIGKILL (Pdeathsig);
//     elsewhere a worker left behind ends when it next reads its closed
//     standard input, that is once its current file is done.
//
// Workers run in their own process group on Unix, so a Ctrl-C at the
// terminal reaches only the supervisor, which then kills them. Failures
// of workers depend on the machine and the limits; pipeline does not
// cache them.
package ingest
