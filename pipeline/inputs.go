package pipeline

import (
	"context"
	"errors"
	"sort"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// prepared are the corpus's inputs, each hashed once.
type prepared struct {
	inputs []ingest.Input
	// tooLarge holds the size of each input over the size limit, by
	// source; such a file is not read.
	tooLarge map[string]int64
}

// prepare lists the corpus's input files and hashes each once, with
// cfg.Workers in parallel: the digest goes into the up-to-date check, the
// cache key and the documents, so no stage reads a file again to hash it.
// A file over the size limit is not read at all; one that cannot be
// hashed keeps an empty digest, and ingest reports it.
func prepare(ctx context.Context, cfg *Config, co *corpus.Corpus) (*prepared, error) {
	p := &prepared{inputs: ingest.Inputs(co), tooLarge: map[string]int64{}}
	sizes := make([]int64, len(p.inputs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.workers())
	for i := range p.inputs {
		g.Go(func() error {
			sum, size, err := ingest.HashFile(gctx, co.FS, p.inputs[i].File, cfg.Ingest.MaxBytes)
			switch {
			case err == nil:
				p.inputs[i].SHA256 = sum
			case errors.Is(err, corpus.ErrTooLarge):
				sizes[i] = size
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, in := range p.inputs {
		if sizes[i] > 0 {
			p.tooLarge[in.Source] = sizes[i]
		}
	}
	return p, ctx.Err()
}

// records are the run.json records of the inputs, sorted by path; ok is
// false when some input could be neither hashed nor measured.
func (p *prepared) records() (recs []workspace.Input, ok bool) {
	ok = true
	for _, in := range p.inputs {
		r := workspace.Input{Path: in.Source, SHA256: in.SHA256, Bytes: p.tooLarge[in.Source]}
		recs = append(recs, r)
		ok = ok && (r.SHA256 != "" || r.Bytes > 0)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Path < recs[j].Path })
	return recs, ok
}
