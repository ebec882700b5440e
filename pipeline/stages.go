package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/workspace"
)

// The stages can also run one at a time, each on what the earlier ones
// left in the workspace. A stage records its own outputs in run.json and
// removes those of the later stages derived from them (ingest removes the
// codings, index and analysis; code removes the analysis and rebuilds an
// existing index), so the workspace never holds outputs that disagree.

// Ingest extracts the corpus into the workspace: documents.jsonl,
// passages.jsonl, texts/ and failures.csv.
func Ingest(ctx context.Context, cfg Config) (*Result, error) {
	l, err := cfg.load(needCorpus)
	if err != nil {
		return nil, err
	}
	co := l.corpus
	defer cfg.prestart(co)()
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	in, err := prepare(ctx, &cfg, co)
	if err != nil {
		return nil, err
	}
	got, err := stream(ctx, &cfg, co, in.inputs, steps{})
	if err != nil {
		return nil, err
	}
	res.Cleared = w.recorded(workspace.Downstream[workspace.StageIngest]...)
	if err := w.clearDownstream(workspace.StageIngest); err != nil {
		return nil, err
	}
	m := w.m
	m.Shard = nil
	cfg.ingestSettings(co, &m.Settings)
	m.Inputs, _ = in.records()
	m.Notes = got.Notes
	m.Counts = workspace.Counts{Documents: len(got.Docs), Passages: got.Passages, Failures: len(got.Failures)}
	m.SetOutputs(workspace.StageIngest, got.outputs[workspace.StageIngest])
	if err := w.save(); err != nil {
		return nil, err
	}
	res.Documents, res.Passages, res.Failures, res.Notes = len(got.Docs), got.Passages, got.Failures, got.Notes
	return res, res.Err()
}

// recorded lists the stages among stages that have outputs recorded.
func (w *writer) recorded(stages ...string) []string {
	var out []string
	for _, st := range stages {
		if len(w.m.StageOutputs(st)) > 0 {
			out = append(out, st)
		}
	}
	return out
}

// Code codes the workspace's passages against the configured codebooks
// (and a model, learned from a gold file or read from a model file) into
// codings.csv, keeps a copy of each codebook in codebooks/, removes the
// analysis made from earlier codings and rebuilds an existing index with
// the new codes. A panic while coding a passage is an error naming the
// passage; codings.csv is then left as it was.
func Code(ctx context.Context, cfg Config) (*Result, error) {
	l, err := cfg.load(needCodebooks)
	if err != nil {
		return nil, err
	}
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := w.code(ctx, &cfg, l.codebooks, l.plan, res); err != nil {
		return nil, err
	}
	// The index carries each passage's codes (the --code filter and
	// facet): an index built before this coding is rebuilt.
	if _, err := os.Stat(filepath.Join(cfg.Out, workspace.IndexDir)); err == nil {
		_, rec, err := reindex(ctx, &cfg, w.m)
		if err != nil {
			return nil, err
		}
		w.m.SetOutputs(workspace.StageIndex, []workspace.Output{workspace.IndexOutput()})
		w.m.SetReview(workspace.StageIndex, rec)
		res.IndexRebuilt = true
	}
	return res, w.save()
}

// code is the code stage on a locked workspace: learn a model if the plan
// says so, write codings.csv and the codebook copies, remove the analysis
// of earlier codings, and record it all.
func (w *writer) code(ctx context.Context, cfg *Config, cbs []*coding.Codebook, plan *codingPlan, res *Result) error {
	if err := refusePartial(cfg.Out, w.m); err != nil {
		return err // its run.json would no longer record the run the other parts record
	}
	c, modelOuts, err := plan.coder(cfg, w.m)
	if err != nil {
		return err
	}
	out, err := codeWorkspace(ctx, cfg, w.m, c, res)
	if err != nil {
		return err
	}
	cbOuts, err := workspace.WriteCodebooks(cfg.Out, cbs)
	if err != nil {
		return err
	}
	res.Cleared = w.recorded(workspace.Downstream[workspace.StageCode]...)
	if err := w.clearDownstream(workspace.StageCode); err != nil {
		return err
	}
	if len(modelOuts) == 0 {
		if err := plan.removeStaleModel(cfg.Out); err != nil {
			return err
		}
	}
	m := w.m
	m.Settings.Codebooks = cfg.Coding.Codebooks
	plan.record(&m.Settings)
	m.Codebooks = workspace.CodebookRecords(cbs)
	m.Counts.Codings = res.Codings
	m.SetOutputs(workspace.StageCode, append(append([]workspace.Output{out}, cbOuts...), modelOuts...))
	return nil
}

// codeWorkspace writes codings.csv: the workspace's passages, in batches
// coded in parallel and written in passage order.
func codeWorkspace(ctx context.Context, cfg *Config, m *workspace.Manifest, c *coder, res *Result) (workspace.Output, error) {
	const batch = 512
	d, err := workspace.WriteFile(filepath.Join(cfg.Out, workspace.CodingsFile), func(w io.Writer) error {
		if err := workspace.WriteCodings(w, nil); err != nil {
			return err
		}
		var ps []corpus.Passage
		flush := func() error {
			parts := make([][]corpus.Coding, len(ps))
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(cfg.workers())
			for i := range ps {
				g.Go(func() error {
					if err := gctx.Err(); err != nil {
						return err
					}
					return guard("code passage "+ps[i].ID, func() error {
						parts[i] = c.code(ps[i])
						return nil
					})
				})
			}
			if err := g.Wait(); err != nil {
				return err
			}
			for _, cs := range parts {
				if err := workspace.AppendCodings(w, cs); err != nil {
					return err
				}
				res.Codings += len(cs)
			}
			res.Passages += len(ps)
			cfg.progress("code", res.Passages, m.Counts.Passages)
			ps = ps[:0]
			return nil
		}
		err := scan(cfg.Out, m, false, func(p corpus.Passage, _ []corpus.Coding) error {
			ps = append(ps, p)
			if len(ps) == batch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err != nil {
		return workspace.Output{}, unwrapWrite(err)
	}
	return workspace.NewOutput(workspace.CodingsFile, d), nil
}

// unwrapWrite keeps a user's error a user's error through WriteFile's
// wrapping.
func unwrapWrite(err error) error {
	var u *UsageError
	if errors.As(err, &u) {
		return u
	}
	return err
}

// Index builds the workspace's Bleve index from passages.jsonl and, when
// the workspace is coded, codings.csv.
func Index(ctx context.Context, cfg Config) (*Result, error) {
	if _, err := cfg.load(0); err != nil {
		return nil, err
	}
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := refusePartial(cfg.Out, w.m); err != nil {
		return nil, err
	}
	var rec workspace.ReviewRecord
	if res.Passages, rec, err = reindex(ctx, &cfg, w.m); err != nil {
		return nil, err
	}
	w.m.SetOutputs(workspace.StageIndex, []workspace.Output{workspace.IndexOutput()})
	w.m.SetReview(workspace.StageIndex, rec)
	return res, w.save()
}

// reindex builds the workspace's index from passages.jsonl and, when it
// exists, codings.csv with the review applied; it returns the number of
// passages indexed and the state of the review it used.
func reindex(ctx context.Context, cfg *Config, m *workspace.Manifest) (int, workspace.ReviewRecord, error) {
	_, err := os.Stat(filepath.Join(cfg.Out, workspace.CodingsFile))
	withCodings := err == nil
	var rv *reviewer
	if withCodings {
		if rv, err = workspaceReviewer(ctx, cfg, m); err != nil {
			return 0, workspace.ReviewRecord{}, err
		}
	}
	iw, err := index.NewWriter(filepath.Join(cfg.Out, workspace.IndexDir))
	if err != nil {
		return 0, workspace.ReviewRecord{}, err
	}
	n := 0
	err = scan(cfg.Out, m, withCodings, func(p corpus.Passage, cs []corpus.Coding) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		cs = rv.codings(p, cs)
		codes := make([]string, len(cs))
		for i, c := range cs {
			codes[i] = c.CodeID
		}
		n++
		cfg.progress("index", n, m.Counts.Passages)
		return iw.Add(p, codes)
	})
	if err != nil {
		iw.Abort()
		return 0, workspace.ReviewRecord{}, err
	}
	if rv == nil {
		return n, workspace.ReviewRecord{}, iw.Commit()
	}
	return n, rv.finish(), iw.Commit()
}

// Analyze compares the cities' theme profiles from the workspace's
// documents, passages and codings, and writes the analysis outputs and
// the report.
func Analyze(ctx context.Context, cfg Config) (*Result, error) {
	l, err := cfg.load(needHypotheses)
	if err != nil {
		return nil, err
	}
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	m := w.m
	if err := refusePartial(cfg.Out, m); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, workspace.CodingsFile)); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(cfg.Out, workspace.PassagesFile)); err == nil {
			return nil, Usagef("%s is not coded yet: run `lcity code --out %s` first", cfg.Out, cfg.Out)
		}
	}
	only := map[string]bool{}
	for _, n := range cfg.Analysis.Codebooks {
		only[n] = true
	}
	cbs, err := workspace.RecordedCodebooks(cfg.Out, m, only)
	if err != nil {
		return nil, err
	}
	if len(cbs) < len(only) {
		var names []string
		for _, r := range m.Codebooks {
			names = append(names, r.Name)
		}
		return nil, Usagef("codebooks %v: %s was coded with %v", cfg.Analysis.Codebooks, cfg.Out, names)
	}
	source := m.Settings.CorpusArg
	if source == "" {
		source = m.Settings.Corpus
	}
	outs, rec, err := analyzeWorkspace(ctx, &cfg, m, cbs, l.hyp, source, res)
	if err != nil {
		return nil, err
	}
	cfg.analysisSettings(l.hyp, &m.Settings)
	m.SetOutputs(workspace.StageAnalyze, outs)
	m.SetReview(workspace.StageAnalyze, rec)
	res.Review = rec
	// The index's codes (search's --code filter and facets) follow the
	// review too: an index made from another state of it is rebuilt, so
	// that search and the report count the same codings.
	if _, err := os.Stat(filepath.Join(cfg.Out, workspace.IndexDir)); err == nil && len(m.StageOutputs(workspace.StageIndex)) > 0 &&
		m.Review[workspace.StageIndex].SHA256 != rec.SHA256 {
		_, irec, err := reindex(ctx, &cfg, m)
		if err != nil {
			return nil, err
		}
		m.SetOutputs(workspace.StageIndex, []workspace.Output{workspace.IndexOutput()})
		m.SetReview(workspace.StageIndex, irec)
		res.IndexRebuilt = true
	}
	return res, w.save()
}

// analyzeWorkspace analyses the workspace's documents, passages and
// reviewed codings (of the codebooks cbs), writes the analysis outputs and
// returns them with the state of the review it used.
func analyzeWorkspace(ctx context.Context, cfg *Config, m *workspace.Manifest, cbs []*coding.Codebook, hyp *analysis.Hypotheses, source string, res *Result) ([]workspace.Output, workspace.ReviewRecord, error) {
	var none workspace.ReviewRecord
	summary, err := newSummary(cbs, hyp)
	if err != nil {
		return nil, none, err
	}
	rv, err := workspaceReviewer(ctx, cfg, m)
	if err != nil {
		return nil, none, err
	}
	dd, err := workspace.ScanJSONL(filepath.Join(cfg.Out, workspace.DocumentsFile), func(d corpus.Document) error {
		summary.AddDocument(d)
		res.Documents++
		return nil
	})
	if err != nil {
		return nil, none, notWorkspace(cfg.Out, err)
	}
	if err := m.CheckDigest(workspace.DocumentsFile, dd); err != nil {
		return nil, none, usage(err)
	}
	err = scanReviewed(cfg.Out, m, rv, func(p corpus.Passage, cs []corpus.Coding) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		summary.AddPassage(p, cs)
		res.Passages++
		res.Codings += len(cs)
		return nil
	})
	if err != nil {
		return nil, none, err
	}
	if res.Documents == 0 {
		return nil, none, Usagef("%s has no documents to analyse", cfg.Out)
	}
	fails, err := workspace.ReadFailures(filepath.Join(cfg.Out, workspace.FailuresFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, none, err
	}
	rec := rv.finish()
	settings := m.Settings
	cfg.analysisSettings(hyp, &settings)
	outs, err := writeAnalysis(cfg, summary, cbs, source, len(fails), rv.info(), settings, m.Inputs)
	if err != nil {
		return nil, none, fmt.Errorf("analyze: %w", err)
	}
	return outs, rec, nil
}
