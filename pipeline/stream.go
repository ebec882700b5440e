package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// The stream is the heart of a run. It has four named steps, all under
// one errgroup, so the first error (or Ctrl-C) cancels every step:
//
//	feed ──inputs──▶ worker × N ──fileWork──▶ sink ──passages──▶ indexer
//
// feed hands out the input files; each worker extracts one file (or takes
// it from the cache; unless IngestConfig.InProcess, in a worker process of
// its own, see ingest.Supervisor) and codes its passages; the sink alone writes: each
// document's text, its passages and codings into two spool files, its
// passages to the indexer and into the analysis summary, and then forgets
// them; the indexer alone owns the Bleve batch. Each channel is closed by
// its only producer and every send selects on the context. When all steps
// have ended without error, finalise assembles passages.jsonl and
// codings.csv from the spools in document-ID order, so memory holds
// per-document metadata only and the output does not depend on the number
// of workers or their scheduling. A panic in a worker fails that input
// (reason internal-error) and the run goes on; a panic in the sink or the
// indexer is an error of the run.

// Test hooks: nil but in tests that inject failures into the steps.
var (
	testHookCode  func(p corpus.Passage)       // a worker, before coding a passage
	testHookSink  func(d ingest.Doc) error     // the sink, before writing a document
	testHookIndex func(p corpus.Passage) error // the indexer, before adding a passage
)

// steps selects what the stream does besides extracting.
type steps struct {
	coder   *coder            // code the passages (nil: no codings.csv written)
	index   bool              // build index.bleve
	summary *analysis.Summary // fold passages and codings into it (nil: skip)
	// review turns the auto codings into the reviewed ones for the index
	// and the summary (codings.csv gets the auto codings); nil: none.
	review *reviewer
}

// streamed is what the stream keeps of a corpus: per-document metadata,
// counts and the records of the files it wrote, never the text.
type streamed struct {
	Docs     []corpus.Document // sorted by ID, Text empty
	Failures []corpus.Failure
	Notes    []string
	Passages int
	Codings  int
	// outputs by stage: ingest's files, codings.csv, the index.
	outputs map[string][]workspace.Output
}

// fileWork is one input file extracted and coded by a worker.
type fileWork struct {
	res     ingest.Result
	codings [][][]corpus.Coding // per document, per passage
}

// indexItem is one passage for the indexer.
type indexItem struct {
	p     corpus.Passage
	codes []string
}

// spoolSpan locates one document's blocks in the two spool files.
type spoolSpan struct {
	key    string // the document's ID: passages.jsonl and codings.csv are in document ID order, each document's passages in reading order
	blocks [2][2]int64
}

const (
	spoolPassages = iota
	spoolCodings
)

// streamer holds the state of one stream.
type streamer struct {
	cfg    *Config
	corpus *corpus.Corpus
	steps  steps
	opt    ingest.Options
	total  int
	// started counts the inputs workers have taken, for pageWorkers.
	started atomic.Int64
	// sup extracts in worker processes; nil extracts in process
	// (IngestConfig.InProcess).
	sup *ingest.Supervisor

	textsTmp string
	spools   [2]*os.File
	iw       *index.Writer

	// sink state, owned by the sink goroutine until the group ends.
	got      streamed
	spans    []spoolSpan
	texts    map[string]workspace.Digest
	sources  map[string]string // doc ID → source, to name both files of a duplicate
	offsets  [2]int64
	done     int
	spoolBuf [2]*bufio.Writer
}

// stream extracts every input with cfg.Workers workers and writes
// documents.jsonl, passages.jsonl, texts/ and failures.csv, plus
// codings.csv with codebooks and index.bleve with index.
func stream(ctx context.Context, cfg *Config, co *corpus.Corpus, inputs []ingest.Input, st steps) (_ *streamed, err error) {
	out := cfg.Out
	s := &streamer{cfg: cfg, corpus: co, steps: st, total: len(inputs), texts: map[string]workspace.Digest{}, sources: map[string]string{},
		opt: ingest.Options{MaxBytes: cfg.Ingest.MaxBytes, Timeout: cfg.Ingest.Timeout, Fallback: cfg.Ingest.Fallback, MaxMemory: cfg.Ingest.MaxMemory}}
	if !cfg.Ingest.InProcess {
		if s.sup = cfg.sup; s.sup == nil {
			s.sup = ingest.NewSupervisor()
			defer s.sup.Close()
		}
	}
	s.textsTmp = filepath.Join(out, workspace.TextsDir+".tmp")
	if err := os.RemoveAll(s.textsTmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.textsTmp, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(s.textsTmp)
	for k, name := range []string{"passages", "codings"} {
		f, err := os.CreateTemp(out, workspace.SpoolPattern(name))
		if err != nil {
			return nil, err
		}
		defer func() { f.Close(); os.Remove(f.Name()) }()
		s.spools[k] = f
		s.spoolBuf[k] = bufio.NewWriterSize(f, 1<<16)
	}
	if st.index {
		if s.iw, err = index.NewWriter(filepath.Join(out, workspace.IndexDir)); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				s.iw.Abort()
			}
		}()
	}

	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan ingest.Input)
	results := make(chan fileWork, s.cfg.workers())
	items := make(chan indexItem, 1024)
	g.Go(func() error { return s.feed(gctx, inputs, jobs) })
	var workers errgroup.Group
	for range s.cfg.workers() {
		workers.Go(func() error { return s.worker(gctx, jobs, results) })
	}
	g.Go(func() error {
		defer close(results)
		return workers.Wait()
	})
	g.Go(func() error { return guard("sink", func() error { return s.sink(gctx, results, items) }) })
	g.Go(func() error {
		if !st.index {
			for range items {
			}
			return nil
		}
		return guard("indexer", func() error { return s.indexer(gctx, items) })
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.finalise()
}

// guard runs fn, turning a panic into an error.
func guard(step string, fn func() error) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%s: internal error: %v\n%s", step, x, debug.Stack())
		}
	}()
	return fn()
}

// feed sends the inputs to the workers.
func (s *streamer) feed(ctx context.Context, inputs []ingest.Input, jobs chan<- ingest.Input) error {
	defer close(jobs)
	for _, in := range inputs {
		select {
		case jobs <- in:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// worker extracts and codes input files until jobs is closed.
func (s *streamer) worker(ctx context.Context, jobs <-chan ingest.Input, results chan<- fileWork) error {
	for in := range jobs {
		fw, err := s.work(ctx, in)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err // the result of a cancelled extraction is not a failure of the input
		}
		select {
		case results <- fw:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// work extracts one input, from the cache when it can, and codes its
// passages. A panic while extracting fails the input; one while coding a
// document fails that document alone. The error is the run's: no worker
// process could be started.
func (s *streamer) work(ctx context.Context, in ingest.Input) (fw fileWork, err error) {
	defer func() {
		if x := recover(); x != nil {
			fw, err = fileWork{res: ingest.Failed(in, fmt.Errorf("%w: %v", corpus.ErrInternal, x))}, nil
		}
	}()
	var res ingest.Result
	hit := false
	key := ""
	if in.SHA256 != "" {
		key = cacheKey(in, s.opt)
		res, hit = cached(s.cfg.Out, key)
	}
	left := s.total - int(s.started.Add(1)) + 1
	if !hit {
		opt := s.opt
		opt.PageWorkers = pageWorkers(s.cfg.workers(), left)
		if s.sup != nil {
			if res, err = s.sup.File(ctx, s.corpus.FS, in, opt); err != nil {
				return fileWork{}, fmt.Errorf("%w (--in-process extracts without worker processes)", err)
			}
		} else {
			res = ingest.File(ctx, s.corpus.FS, in, opt)
		}
		if key != "" && ctx.Err() == nil {
			if err := store(s.cfg.Out, key, res); err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("%s: not cached: %v", in.Source, err))
			}
		}
	}
	// A cached result may name the input differently.
	res.Input = in
	for i := range res.Failures {
		res.Failures[i].Source = in.Source
	}
	for i := range res.Docs {
		res.Docs[i].Source = in.Source
	}
	if s.steps.coder == nil {
		fw.res = res
		return fw, nil
	}
	docs := res.Docs[:0:0]
	for _, d := range res.Docs {
		cs, err := s.code(d)
		if err != nil {
			res.Failures = append(res.Failures, corpus.Failure{Source: in.Source, Reason: corpus.Reason(err), Detail: d.City + ": " + err.Error()})
			continue
		}
		docs = append(docs, d)
		fw.codings = append(fw.codings, cs)
	}
	res.Docs = docs
	fw.res = res
	return fw, nil
}

// pageWorkers is how many pages of an input to read at once when it is
// taken with left inputs (itself included) still to start: the workers'
// share of each, so that one book, or the last of a corpus, uses every
// worker's CPU rather than one. The output does not depend on it.
func pageWorkers(workers, left int) int {
	return max(1, workers/max(1, min(workers, left)))
}

// code codes a document's passages; a panic is an error wrapping
// corpus.ErrInternal.
func (s *streamer) code(d ingest.Doc) (out [][]corpus.Coding, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%w: coding %s: %v", corpus.ErrInternal, d.ID, x)
		}
	}()
	out = make([][]corpus.Coding, len(d.Passages))
	for k, p := range d.Passages {
		if testHookCode != nil {
			testHookCode(p)
		}
		out[k] = s.steps.coder.code(p)
	}
	return out, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sink writes each document as it comes and feeds the indexer and the
// summary. It is the only goroutine that touches the sink state.
func (s *streamer) sink(ctx context.Context, results <-chan fileWork, items chan<- indexItem) error {
	defer close(items)
	for fw := range results {
		s.done++
		s.cfg.progress("run", s.done, s.total)
		res := fw.res
		s.got.Failures = append(s.got.Failures, res.Failures...)
		s.got.Notes = append(s.got.Notes, res.Notes...)
		for i, d := range res.Docs {
			var cs [][]corpus.Coding
			if fw.codings != nil {
				cs = fw.codings[i]
			}
			if err := s.document(ctx, d, cs, items); err != nil {
				return err
			}
		}
	}
	return nil
}

// document writes one document's text and spools its passages and
// codings.
func (s *streamer) document(ctx context.Context, d ingest.Doc, codings [][]corpus.Coding, items chan<- indexItem) error {
	if testHookSink != nil {
		if err := testHookSink(d); err != nil {
			return err
		}
	}
	if prev, dup := s.sources[d.ID]; dup {
		return fmt.Errorf("document ID %s is given by both %s and %s; IDs must be unique in a corpus", d.ID, prev, d.Source)
	}
	s.sources[d.ID] = d.Source
	text := []byte(d.Text)
	if err := os.WriteFile(filepath.Join(s.textsTmp, d.ID+".txt"), text, 0o644); err != nil {
		return err
	}
	sum := sha256.Sum256(text)
	s.texts[d.ID] = workspace.Digest{SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(text))}
	if s.steps.summary != nil {
		s.steps.summary.AddDocument(d.Document)
	}
	span := spoolSpan{key: d.ID}
	pw := &countingWriter{w: s.spoolBuf[spoolPassages]}
	cw := &countingWriter{w: s.spoolBuf[spoolCodings]}
	enc := json.NewEncoder(pw)
	enc.SetEscapeHTML(false)
	for k, p := range d.Passages {
		if err := enc.Encode(p); err != nil {
			return err
		}
		var cs []corpus.Coding
		if codings != nil {
			cs = codings[k]
			if err := workspace.AppendCodings(cw, cs); err != nil {
				return err
			}
			s.got.Codings += len(cs)
		}
		cs = s.steps.review.codings(p, cs)
		if s.steps.summary != nil {
			s.steps.summary.AddPassage(p, cs)
		}
		if s.steps.index {
			codes := make([]string, len(cs))
			for x, c := range cs {
				codes[x] = c.CodeID
			}
			select {
			case items <- indexItem{p, codes}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	s.got.Passages += len(d.Passages)
	for k, n := range []int64{pw.n, cw.n} {
		span.blocks[k] = [2]int64{s.offsets[k], n}
		s.offsets[k] += n
	}
	s.spans = append(s.spans, span)
	doc := d.Document
	doc.Text = ""
	s.got.Docs = append(s.got.Docs, doc)
	return nil
}

// indexer adds passages to the index as the sink sends them.
func (s *streamer) indexer(ctx context.Context, items <-chan indexItem) error {
	for it := range items {
		if testHookIndex != nil {
			if err := testHookIndex(it.p); err != nil {
				return err
			}
		}
		if err := s.iw.Add(it.p, it.codes); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// copySpool copies block k of each span, in span order, from spool to w.
func copySpool(w io.Writer, spool io.ReaderAt, spans []spoolSpan, k int) error {
	for _, sp := range spans {
		if _, err := io.Copy(w, io.NewSectionReader(spool, sp.blocks[k][0], sp.blocks[k][1])); err != nil {
			return err
		}
	}
	return nil
}

// finalise sorts what the sink kept and writes the workspace files in
// place: documents.jsonl, passages.jsonl and codings.csv from the spools,
// failures.csv, texts/ and the index.
func (s *streamer) finalise() (*streamed, error) {
	for _, b := range s.spoolBuf {
		if err := b.Flush(); err != nil {
			return nil, err
		}
	}
	got := &s.got
	sort.Slice(got.Docs, func(i, j int) bool { return got.Docs[i].ID < got.Docs[j].ID })
	corpus.SortFailures(got.Failures)
	sort.Strings(got.Notes)
	sort.Slice(s.spans, func(i, j int) bool { return s.spans[i].key < s.spans[j].key })
	got.outputs = map[string][]workspace.Output{}
	out := s.cfg.Out
	write := func(stage, rel string, fn func(io.Writer) error) error {
		d, err := workspace.WriteFile(filepath.Join(out, rel), fn)
		if err != nil {
			return err
		}
		got.outputs[stage] = append(got.outputs[stage], workspace.NewOutput(rel, d))
		return nil
	}
	if err := write(workspace.StageIngest, workspace.DocumentsFile, func(w io.Writer) error {
		return workspace.WriteJSONL(w, got.Docs)
	}); err != nil {
		return nil, err
	}
	if err := write(workspace.StageIngest, workspace.PassagesFile, func(w io.Writer) error {
		return copySpool(w, s.spools[spoolPassages], s.spans, spoolPassages)
	}); err != nil {
		return nil, err
	}
	if s.steps.coder != nil {
		if err := write(workspace.StageCode, workspace.CodingsFile, func(w io.Writer) error {
			if err := workspace.WriteCodings(w, nil); err != nil {
				return err
			}
			return copySpool(w, s.spools[spoolCodings], s.spans, spoolCodings)
		}); err != nil {
			return nil, err
		}
	}
	if err := write(workspace.StageIngest, workspace.FailuresFile, func(w io.Writer) error {
		return workspace.WriteFailures(w, got.Failures)
	}); err != nil {
		return nil, err
	}
	for _, d := range got.Docs {
		got.outputs[workspace.StageIngest] = append(got.outputs[workspace.StageIngest], workspace.NewOutput(workspace.TextFile(d.ID), s.texts[d.ID]))
	}
	texts := filepath.Join(out, workspace.TextsDir)
	if err := os.RemoveAll(texts); err != nil {
		return nil, err
	}
	if err := os.Rename(s.textsTmp, texts); err != nil {
		return nil, err
	}
	if s.iw != nil {
		if err := s.iw.Commit(); err != nil {
			return nil, err
		}
		got.outputs[workspace.StageIndex] = []workspace.Output{workspace.IndexOutput()}
	}
	return got, nil
}
