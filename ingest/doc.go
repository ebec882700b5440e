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
// outline entry whose title matches the entry's outline title or city
// (a one-entry file too, when its outline has several top-level entries;
// see splitRanges).
// Each paragraph becomes a passage whose Start and End are byte offsets
// into the document's cleaned text; sentence spans come from prose/v2's
// segmenter, built once per process and shared (sentences.go: prose
// exports no way to build it once, so its constructor is linked by name and
// checked against prose.NewDocument by a test and a fuzz target).
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
//     that costs the whole page). An encrypted file with object streams
//     is decrypted by lcity instead of the library (decrypt.go: which
//     unpacks its streams, bounded the same way) and the plain copy is
//     checked again.
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
// Extraction has bounded loops (content bytes, glyphs per page, form
// nesting); fuzzing (FuzzFile, 300,000 inputs) found no input that hangs
// or crashes it. In process, though, a goroutine stuck past the timeout
// cannot be stopped, and a fatal runtime error (out of memory, a stack
// overflow, a panic in a goroutine of a library) ends the whole program.
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
