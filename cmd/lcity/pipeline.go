package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

// ingested is the output of the ingest stage, sorted.
type ingested struct {
	Docs     []ingest.Doc
	Inputs   []inputRecord
	Failures []corpus.Failure
	Notes    []string
}

// ingestCorpus extracts every input of c with a pool of workers. Results
// are sorted (documents by ID, failures by source), so the output does not
// depend on the number of workers or on scheduling.
func ingestCorpus(ctx context.Context, c *corpus.Corpus, workers int, opt ingest.Options, prog *progress) (*ingested, error) {
	inputs := ingest.Inputs(c)
	jobs := make(chan ingest.Input)
	results := make(chan ingest.Result)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(jobs)
		for _, in := range inputs {
			select {
			case jobs <- in:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for in := range jobs {
				res := ingest.File(gctx, c.FS, in, opt)
				select {
				case results <- res:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(results) }()
	out := &ingested{}
	prog.start("ingest", len(inputs))
	for res := range results {
		prog.add(1)
		out.Docs = append(out.Docs, res.Docs...)
		out.Failures = append(out.Failures, res.Failures...)
		out.Notes = append(out.Notes, res.Notes...)
		out.Inputs = append(out.Inputs, inputRecord{Path: res.Input.Source, SHA256: res.SHA256})
	}
	prog.done()
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out.Docs, func(i, j int) bool { return out.Docs[i].ID < out.Docs[j].ID })
	sort.Slice(out.Inputs, func(i, j int) bool { return out.Inputs[i].Path < out.Inputs[j].Path })
	corpus.SortFailures(out.Failures)
	sort.Strings(out.Notes)
	return out, nil
}

func (in *ingested) passages() []corpus.Passage {
	var ps []corpus.Passage
	for _, d := range in.Docs {
		ps = append(ps, d.Passages...)
	}
	return ps
}

func (in *ingested) documents() []corpus.Document {
	ds := make([]corpus.Document, len(in.Docs))
	for i, d := range in.Docs {
		ds[i] = d.Document
	}
	return ds
}

// writeIngest writes documents.jsonl, passages.jsonl, texts/ and failures.csv.
func writeIngest(out string, in *ingested) error {
	if err := corpus.WriteFile(filepath.Join(out, corpus.DocumentsFile), func(w io.Writer) error {
		return corpus.WriteJSONL(w, in.documents())
	}); err != nil {
		return err
	}
	if err := corpus.WriteFile(filepath.Join(out, corpus.PassagesFile), func(w io.Writer) error {
		return corpus.WriteJSONL(w, in.passages())
	}); err != nil {
		return err
	}
	texts := filepath.Join(out, corpus.TextsDir)
	if err := os.RemoveAll(texts); err != nil {
		return err
	}
	for _, d := range in.Docs {
		if err := corpus.WriteFile(filepath.Join(texts, d.ID+".txt"), func(w io.Writer) error {
			_, err := io.WriteString(w, d.Text)
			return err
		}); err != nil {
			return err
		}
	}
	return corpus.WriteFile(filepath.Join(out, corpus.FailuresFile), func(w io.Writer) error {
		return corpus.WriteFailures(w, in.Failures)
	})
}

// codePassages codes every passage with every codebook using a pool of
// workers over chunks of passages; codings come back sorted by passage and
// code whatever the worker count.
func codePassages(ctx context.Context, cbs []*coding.Codebook, ps []corpus.Passage, workers int, prog *progress) ([]corpus.Coding, error) {
	const chunk = 64
	n := (len(ps) + chunk - 1) / chunk
	parts := make([][]corpus.Coding, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	prog.start("code", len(ps))
	for k := 0; k < n; k++ {
		g.Go(func() error {
			lo, hi := k*chunk, min((k+1)*chunk, len(ps))
			var cs []corpus.Coding
			for _, p := range ps[lo:hi] {
				if err := gctx.Err(); err != nil {
					return err
				}
				cs = append(cs, coding.CodeAll(cbs, p)...)
			}
			parts[k] = cs
			prog.add(hi - lo)
			return nil
		})
	}
	err := g.Wait()
	prog.done()
	if err != nil {
		return nil, err
	}
	var all []corpus.Coding
	for _, p := range parts {
		all = append(all, p...)
	}
	corpus.SortCodings(all)
	return all, nil
}

func defaultWorkers(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// progress draws a one-line progress bar on stderr when it is a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	stage string
	n, of int
}

func newProgress(w io.Writer) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, on: on}
}

func (p *progress) start(stage string, of int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.n, p.of = stage, 0, of
	p.draw()
}

func (p *progress) add(k int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += k
	p.draw()
}

func (p *progress) done() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

func (p *progress) draw() {
	if !p.on || p.of == 0 {
		return
	}
	const width = 30
	filled := width * p.n / p.of
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < filled {
			bar[i] = '='
		}
	}
	fmt.Fprintf(p.w, "\r%-8s [%s] %d/%d", p.stage, bar, p.n, p.of)
}
