package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// codeStream codes the workspace's passages, in batches coded in
// parallel and written in passage order, into codings.csv; it returns the
// number of passages and codings.
func codeStream(ctx context.Context, out string, cbs []*coding.Codebook, workers int, prog *progress) (passages, codings int, err error) {
	const batch = 512
	prog.start("code", 0)
	defer prog.done()
	err = corpus.WriteFile(filepath.Join(out, corpus.CodingsFile), func(w io.Writer) error {
		if err := corpus.WriteCodings(w, nil); err != nil {
			return err
		}
		var ps []corpus.Passage
		flush := func() error {
			parts := make([][]corpus.Coding, len(ps))
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(workers)
			for i := range ps {
				g.Go(func() error {
					if err := gctx.Err(); err != nil {
						return err
					}
					cs := coding.CodeAll(cbs, ps[i])
					corpus.SortCodings(cs)
					parts[i] = cs
					return nil
				})
			}
			if err := g.Wait(); err != nil {
				return err
			}
			for _, cs := range parts {
				if err := corpus.AppendCodings(w, cs); err != nil {
					return err
				}
				codings += len(cs)
			}
			passages += len(ps)
			prog.add(len(ps))
			ps = ps[:0]
			return nil
		}
		err := corpus.ScanWorkspace(out, false, func(p corpus.Passage, _ []corpus.Coding) error {
			ps = append(ps, p)
			if len(ps) == batch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return noWorkspace(out, err)
		}
		return flush()
	})
	return passages, codings, err
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
