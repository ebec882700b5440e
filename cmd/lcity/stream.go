package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
)

// The pipeline streams: a bounded pool of workers extracts (and codes) one
// input file at a time; a single sink writes each document's text, spools
// its passages and codings, hands its passages to the index writer and
// folds them into the analysis summary, then forgets them. At the end the
// spooled blocks are copied into passages.jsonl and codings.csv in sorted
// order, so memory holds only per-document metadata and never the corpus,
// and the output does not depend on the worker count.

// ingested is what the pipeline keeps of a corpus: per-document metadata
// and counts, never the text.
type ingested struct {
	Docs     []corpus.Document // sorted by ID, Text empty
	Inputs   []inputRecord
	Failures []corpus.Failure
	Notes    []string
	Passages int
	Codings  int
}

// stages selects what the pipeline does besides extracting.
type stages struct {
	codebooks []*coding.Codebook // code the passages (nil: no codings.csv written)
	index     bool               // build index.bleve
	summary   *analysis.Summary  // fold passages and codings into it (nil: skip)
}

// fileWork is one input file extracted and coded by a worker.
type fileWork struct {
	res     ingest.Result
	codings [][][]corpus.Coding // per document, per passage
}

// spoolSpan locates one document's blocks in the spool files.
type spoolSpan struct {
	key string // docID + "-p": the order of its passage IDs
	// blocks[spoolPassages] and blocks[spoolCodings]: offset and length.
	blocks [2][2]int64
}

const (
	spoolPassages = iota
	spoolCodings
)

// copySpool copies block k of each span, in span order, from spool to w.
func copySpool(w io.Writer, spool io.ReaderAt, spans []spoolSpan, k int) error {
	for _, s := range spans {
		if _, err := io.Copy(w, io.NewSectionReader(spool, s.blocks[k][0], s.blocks[k][1])); err != nil {
			return err
		}
	}
	return nil
}

// runPipeline extracts every input of c with workers goroutines and writes
// documents.jsonl, passages.jsonl, texts/, failures.csv and, with
// codebooks, codings.csv, and with index, index.bleve.
func runPipeline(ctx context.Context, out string, c *corpus.Corpus, opt ingest.Options, st stages, workers int, prog *progress) (*ingested, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	textsTmp := filepath.Join(out, corpus.TextsDir+".tmp")
	if err := os.RemoveAll(textsTmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(textsTmp, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(textsTmp)
	passSpool, err := os.CreateTemp(out, ".passages-*.spool")
	if err != nil {
		return nil, err
	}
	defer func() { passSpool.Close(); os.Remove(passSpool.Name()) }()
	codSpool, err := os.CreateTemp(out, ".codings-*.spool")
	if err != nil {
		return nil, err
	}
	defer func() { codSpool.Close(); os.Remove(codSpool.Name()) }()

	inputs := ingest.Inputs(c)
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan ingest.Input)
	results := make(chan fileWork, workers)
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
				var fw fileWork
				key, kerr := cacheKey(c.FS, in, opt)
				res, hit := cachedFile(out, key)
				if kerr != nil || !hit {
					res = ingest.File(gctx, c.FS, in, opt)
					if kerr == nil && gctx.Err() == nil {
						if err := storeFile(out, key, res); err != nil {
							return err
						}
					}
				}
				res.Input = in // the cached result may name the input differently
				for i := range res.Failures {
					res.Failures[i].Source = in.Source
				}
				for i := range res.Docs {
					res.Docs[i].Source = in.Source
				}
				fw.res = res
				if st.codebooks != nil {
					fw.codings = make([][][]corpus.Coding, len(fw.res.Docs))
					for i, d := range fw.res.Docs {
						fw.codings[i] = make([][]corpus.Coding, len(d.Passages))
						for k, p := range d.Passages {
							cs := coding.CodeAll(st.codebooks, p)
							corpus.SortCodings(cs)
							fw.codings[i][k] = cs
						}
					}
				}
				select {
				case results <- fw:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(results) }()

	// The index writer runs beside the sink, fed through a bounded channel.
	type indexItem struct {
		p     corpus.Passage
		codes []string
	}
	var iw *index.Writer
	indexCh := make(chan indexItem, 1024)
	indexDone := make(chan error, 1)
	if st.index {
		if iw, err = index.NewWriter(filepath.Join(out, index.DirName)); err != nil {
			return nil, err
		}
		go func() {
			var err error
			for it := range indexCh {
				if err == nil {
					err = iw.Add(it.p, it.codes)
				}
			}
			indexDone <- err
		}()
	} else {
		close(indexCh)
		indexDone <- nil
	}
	indexClosed := !st.index
	closeIndex := func() error {
		if !indexClosed {
			close(indexCh)
			indexClosed = true
		}
		return <-indexDone
	}

	ing := &ingested{}
	var spans []spoolSpan
	pw, cw := bufio.NewWriterSize(passSpool, 1<<16), bufio.NewWriterSize(codSpool, 1<<16)
	var passOff, codOff int64
	prog.start("run", len(inputs))
	sinkErr := func() error {
		for fw := range results {
			prog.add(1)
			res := fw.res
			ing.Failures = append(ing.Failures, res.Failures...)
			ing.Notes = append(ing.Notes, res.Notes...)
			ing.Inputs = append(ing.Inputs, inputRecord{Path: res.Input.Source, SHA256: res.SHA256})
			for i, d := range res.Docs {
				if err := os.WriteFile(filepath.Join(textsTmp, d.ID+".txt"), []byte(d.Text), 0o644); err != nil {
					return err
				}
				if st.summary != nil {
					st.summary.AddDocument(d.Document)
				}
				span := spoolSpan{key: d.ID + "-p"}
				span.blocks[spoolPassages][0], span.blocks[spoolCodings][0] = passOff, codOff
				enc := json.NewEncoder(pw)
				enc.SetEscapeHTML(false)
				var cbuf countingWriter
				cbuf.w = cw
				for k, p := range d.Passages {
					if err := enc.Encode(p); err != nil {
						return err
					}
					var cs []corpus.Coding
					if fw.codings != nil {
						cs = fw.codings[i][k]
						if err := corpus.AppendCodings(&cbuf, cs); err != nil {
							return err
						}
						ing.Codings += len(cs)
					}
					if st.summary != nil {
						st.summary.AddPassage(p, cs)
					}
					if st.index {
						codes := make([]string, len(cs))
						for x, c := range cs {
							codes[x] = c.CodeID
						}
						select {
						case indexCh <- indexItem{p, codes}:
						case <-gctx.Done():
							return gctx.Err()
						}
					}
				}
				ing.Passages += len(d.Passages)
				if err := pw.Flush(); err != nil {
					return err
				}
				size := fileSize(passSpool)
				span.blocks[spoolPassages][1] = size - passOff
				passOff = size
				span.blocks[spoolCodings][1] = cbuf.n
				codOff += cbuf.n
				spans = append(spans, span)
				doc := d.Document
				doc.Text = ""
				ing.Docs = append(ing.Docs, doc)
			}
		}
		return cw.Flush()
	}()
	prog.done()
	if sinkErr != nil {
		// Drain so that the workers can finish.
		for range results {
		}
	}
	werr := g.Wait()
	ierr := closeIndex()
	if err := errors.Join(sinkErr, werr, ctx.Err()); err != nil {
		if iw != nil {
			iw.Abort()
		}
		return nil, err
	}
	if ierr != nil {
		iw.Abort()
		return nil, ierr
	}
	sort.Slice(ing.Docs, func(i, j int) bool { return ing.Docs[i].ID < ing.Docs[j].ID })
	sort.Slice(ing.Inputs, func(i, j int) bool { return ing.Inputs[i].Path < ing.Inputs[j].Path })
	corpus.SortFailures(ing.Failures)
	sort.Strings(ing.Notes)
	sort.Slice(spans, func(i, j int) bool { return spans[i].key < spans[j].key })

	if err := corpus.WriteFile(filepath.Join(out, corpus.DocumentsFile), func(w io.Writer) error {
		return corpus.WriteJSONL(w, ing.Docs)
	}); err != nil {
		return nil, err
	}
	if err := corpus.WriteFile(filepath.Join(out, corpus.PassagesFile), func(w io.Writer) error {
		return copySpool(w, passSpool, spans, spoolPassages)
	}); err != nil {
		return nil, err
	}
	if st.codebooks != nil {
		if err := corpus.WriteFile(filepath.Join(out, corpus.CodingsFile), func(w io.Writer) error {
			if err := corpus.WriteCodings(w, nil); err != nil {
				return err
			}
			return copySpool(w, codSpool, spans, spoolCodings)
		}); err != nil {
			return nil, err
		}
	}
	if err := corpus.WriteFile(filepath.Join(out, corpus.FailuresFile), func(w io.Writer) error {
		return corpus.WriteFailures(w, ing.Failures)
	}); err != nil {
		return nil, err
	}
	texts := filepath.Join(out, corpus.TextsDir)
	if err := os.RemoveAll(texts); err != nil {
		return nil, err
	}
	if err := os.Rename(textsTmp, texts); err != nil {
		return nil, err
	}
	if iw != nil {
		if err := iw.Commit(); err != nil {
			return nil, err
		}
	}
	return ing, nil
}

func fileSize(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
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
