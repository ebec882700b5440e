package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"runtime"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Result is what a run or a stage did.
type Result struct {
	// UpToDate is set when Run found nothing to do: run.json records the
	// same tool, settings, codebooks, hypotheses and input files, and
	// every output is intact.
	UpToDate  bool
	Documents int
	Passages  int
	Codings   int
	Failures  []corpus.Failure
	Notes     []string
	// Removed lists what an interrupted run had left in the workspace and
	// this one deleted; Cleared the outputs of later stages that no longer
	// described the workspace and were removed.
	Removed []string
	Cleared []string
	// IndexRebuilt is set when Code rebuilt an existing index, or Analyze
	// one made from another state of the review.
	IndexRebuilt bool
	// Review is the state of review.sqlite the analysis used (zero
	// without decisions).
	Review workspace.ReviewRecord
}

// Err is ErrPartial when some input failed, else nil.
func (r *Result) Err() error {
	if len(r.Failures) > 0 {
		return ErrPartial
	}
	return nil
}

// Run ingests, codes, indexes and analyses the corpus into the workspace
// cfg.Out. Unless cfg.Force is set it does nothing when the workspace is
// up to date. It returns ErrPartial (with the Result) when some inputs
// failed; every other document is processed and written.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Shard.check(&cfg); err != nil {
		return nil, err
	}
	l, err := cfg.load(needCorpus | needCodebooks | needHypotheses)
	if err != nil {
		return nil, err
	}
	if cfg.Shard.Count > 0 {
		return runShard(ctx, cfg, l)
	}
	co, cbs, hyp := l.corpus, l.codebooks, l.hyp
	defer cfg.prestart(co)()
	acbs, err := analysisCodebooks(cbs, cfg.Analysis.Codebooks)
	if err != nil {
		return nil, err
	}
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	in, err := prepare(ctx, &cfg, co)
	if err != nil {
		return nil, err
	}
	var s workspace.Settings
	cfg.ingestSettings(co, &s)
	s.Codebooks = cfg.Coding.Codebooks
	l.plan.record(&s)
	cfg.analysisSettings(hyp, &s)
	if !cfg.Force {
		log, _, err := readReview(ctx, &cfg)
		if err != nil {
			return nil, err
		}
		ok, err := upToDate(w, s, cbs, in, reviewRecord(log))
		if err != nil {
			return nil, err
		}
		if ok {
			m := w.m
			res.UpToDate = true
			res.Documents, res.Passages, res.Codings = m.Counts.Documents, m.Counts.Passages, m.Counts.Codings
			res.Failures, _ = workspace.ReadFailures(filepath.Join(cfg.Out, workspace.FailuresFile))
			return res, res.Err()
		}
	}
	if l.plan.gold != nil {
		err = runLearning(ctx, &cfg, w, l, acbs, in, s, res)
	} else {
		err = runStream(ctx, &cfg, w, l, acbs, in, s, res)
	}
	if err != nil {
		return nil, err
	}
	return res, res.Err()
}

// runStream is a run in one pass: each input extracted, coded (with the
// dictionary, and a model file if one is given), indexed and summarised
// as it comes.
func runStream(ctx context.Context, cfg *Config, w *writer, l *loaded, acbs []*coding.Codebook, in *prepared, s workspace.Settings, res *Result) error {
	summary, err := newSummary(acbs, l.hyp)
	if err != nil {
		return err
	}
	c, _, err := l.plan.coder(cfg, w.m)
	if err != nil {
		return err
	}
	rv, err := newReviewer(ctx, cfg, l.codebooks)
	if err != nil {
		return err
	}
	got, err := stream(ctx, cfg, l.corpus, in.inputs, steps{coder: c, index: true, summary: summary, review: rv})
	if err != nil {
		return err
	}
	rec := rv.finish()
	cbOuts, err := workspace.WriteCodebooks(cfg.Out, l.codebooks)
	if err != nil {
		return err
	}
	if err := l.plan.removeStaleModel(cfg.Out); err != nil {
		return err
	}
	m := w.m
	m.Settings = s
	m.Inputs, _ = in.records()
	m.Notes = got.Notes
	m.Shard = nil
	m.Codebooks = workspace.CodebookRecords(l.codebooks)
	m.Counts = workspace.Counts{Documents: len(got.Docs), Passages: got.Passages, Codings: got.Codings, Failures: len(got.Failures)}
	m.SetOutputs(workspace.StageIngest, got.outputs[workspace.StageIngest])
	m.SetOutputs(workspace.StageCode, append(got.outputs[workspace.StageCode], cbOuts...))
	m.SetOutputs(workspace.StageIndex, got.outputs[workspace.StageIndex])
	m.SetReview(workspace.StageIndex, rec)
	if len(got.Docs) > 0 {
		outs, err := writeAnalysis(cfg, summary, acbs, cfg.corpusName(l.corpus), len(got.Failures), rv.info(), s, m.Inputs)
		if err != nil {
			return err
		}
		m.SetOutputs(workspace.StageAnalyze, outs)
		m.SetReview(workspace.StageAnalyze, rec)
		res.Review = rec
	} else if err := w.clear(workspace.StageAnalyze); err != nil {
		return err
	}
	if err := w.save(); err != nil {
		return err
	}
	res.Documents, res.Passages, res.Codings = len(got.Docs), got.Passages, got.Codings
	res.Failures, res.Notes = got.Failures, got.Notes
	return nil
}

// runLearning is a run that learns a model from a gold coding: the model
// needs the gold's passages before any passage can be coded, so the
// stages run one after the other on the workspace — extract, learn and
// code, index, analyse.
func runLearning(ctx context.Context, cfg *Config, w *writer, l *loaded, acbs []*coding.Codebook, in *prepared, s workspace.Settings, res *Result) error {
	got, err := stream(ctx, cfg, l.corpus, in.inputs, steps{})
	if err != nil {
		return err
	}
	m := w.m
	m.Settings = s
	m.Inputs, _ = in.records()
	m.Notes = got.Notes
	m.Shard = nil
	m.SetOutputs(workspace.StageIngest, got.outputs[workspace.StageIngest])
	coded := &Result{}
	if err := w.code(ctx, cfg, l.codebooks, l.plan, coded); err != nil {
		return err
	}
	_, rec, err := reindex(ctx, cfg, m)
	if err != nil {
		return err
	}
	m.SetOutputs(workspace.StageIndex, []workspace.Output{workspace.IndexOutput()})
	m.SetReview(workspace.StageIndex, rec)
	if len(got.Docs) > 0 {
		outs, rec, err := analyzeWorkspace(ctx, cfg, m, acbs, l.hyp, cfg.corpusName(l.corpus), &Result{})
		if err != nil {
			return err
		}
		m.SetOutputs(workspace.StageAnalyze, outs)
		m.SetReview(workspace.StageAnalyze, rec)
		res.Review = rec
	}
	m.Settings = s
	m.Counts = workspace.Counts{Documents: len(got.Docs), Passages: got.Passages, Codings: coded.Codings, Failures: len(got.Failures)}
	if err := w.save(); err != nil {
		return err
	}
	res.Documents, res.Passages, res.Codings = len(got.Docs), got.Passages, coded.Codings
	res.Failures, res.Notes = got.Failures, got.Notes
	return nil
}

// analysisCodebooks are the codebooks of cbs named in only (all when only
// is empty).
func analysisCodebooks(cbs []*coding.Codebook, only []string) ([]*coding.Codebook, error) {
	if len(only) == 0 {
		return cbs, nil
	}
	var out []*coding.Codebook
	for _, name := range only {
		found := false
		for _, cb := range cbs {
			if cb.Name == name {
				out, found = append(out, cb), true
			}
		}
		if !found {
			var names []string
			for _, cb := range cbs {
				names = append(names, cb.Name)
			}
			return nil, Usagef("codebook %q is not among those coded (%v)", name, names)
		}
	}
	return out, nil
}

// upToDate reports whether the workspace's run.json records exactly this
// run (the same tool and Go version, settings, codebooks, hypotheses and
// input files by SHA-256, and the index and analysis made from the review
// as it is now, rev) and every recorded output is intact.
func upToDate(w *writer, s workspace.Settings, cbs []*coding.Codebook, in *prepared, rev workspace.ReviewRecord) (bool, error) {
	m := w.m
	if m.Version != Version || m.GoVersion != runtime.Version() || len(m.Outputs) == 0 {
		return false, nil
	}
	same := func(a, b any) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return bytes.Equal(x, y)
	}
	recs, ok := in.records()
	if !ok || !same(m.Settings, s) || !same(m.Codebooks, workspace.CodebookRecords(cbs)) || !same(m.Inputs, recs) {
		return false, nil
	}
	for _, st := range []string{workspace.StageIngest, workspace.StageCode, workspace.StageIndex} {
		if len(m.StageOutputs(st)) == 0 {
			return false, nil
		}
	}
	for _, st := range []string{workspace.StageIndex, workspace.StageAnalyze} {
		if len(m.StageOutputs(st)) > 0 && m.Review[st].SHA256 != rev.SHA256 {
			return false, nil
		}
	}
	bad, err := m.Check(w.out)
	return err == nil && len(bad) == 0, err
}

// writeAnalysis runs the analysis of a summary and writes its outputs.
func writeAnalysis(cfg *Config, summary *analysis.Summary, cbs []*coding.Codebook, source string, failures int, ri *analysis.ReviewInfo, s workspace.Settings, inputs []workspace.Input) ([]workspace.Output, error) {
	res, err := analysis.AnalyzeSummary(summary, analysis.Options{Weight: cfg.Analysis.Weight, Seed: cfg.Analysis.Seed, Permutations: cfg.Analysis.Permutations})
	if err != nil {
		return nil, err
	}
	meta := analysis.ReportMeta{CorpusSource: source, Sample: source == corpus.SampleSource, Failures: failures, Review: ri,
		Tool: toolName(), Command: command(s), Inputs: reportInputs(inputs)}
	for _, cb := range cbs {
		meta.Codebooks = append(meta.Codebooks, analysis.CodebookInfo{Name: cb.Name, Title: cb.Title, SHA256: cb.SHA256,
			Codes: cb.NumCodable()})
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{workspace.ProfilesFile, res.WriteProfiles},
		{workspace.SimilarityFile, res.WriteSimilarity},
		{workspace.ContrastsFile, res.WriteContrasts},
		{workspace.SimilaritySVG, res.WriteSimilaritySVG},
		{workspace.HeatmapSVG, res.WriteHeatmapSVG},
		{workspace.DendrogramSVG, res.WriteDendrogramSVG},
		{workspace.PCASVG, res.WritePCASVG},
		{workspace.CrosstabFile, res.WriteCrosstab},
		{workspace.CoOccurFile, res.WriteCoOccurrence},
		{workspace.ClustersFile, res.WriteClusters},
		{workspace.HypothesesFile, res.WriteHypotheses},
		{workspace.FocusFile, res.WriteFocus},
		{workspace.ReportMD, func(w io.Writer) error { return res.WriteMarkdown(w, meta) }},
		{workspace.ReportHTML, func(w io.Writer) error { return res.WriteHTML(w, meta) }},
	}
	var outs []workspace.Output
	for _, f := range files {
		d, err := workspace.WriteFile(filepath.Join(cfg.Out, f.name), f.write)
		if err != nil {
			return nil, err
		}
		outs = append(outs, workspace.NewOutput(f.name, d))
	}
	return outs, nil
}
