package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
)

// DefaultOut is the default workspace.
const DefaultOut = "lcity-out"

// options are the flags shared by the pipeline commands.
type options struct {
	corpus       string
	codebooks    []string
	out          string
	workers      int
	seed         uint64
	weight       string
	permutations int
	maxBytes     int64
	timeout      time.Duration
	fallback     string
	hypotheses   string
	hypRecord    [2]string // source and SHA-256 of the hypotheses analysed
	corpusArg    string    // verify: --corpus as the recorded run gave it
	force        bool      // run: even when up to date
}

func (o *options) addOut(c *cobra.Command) {
	c.Flags().StringVar(&o.out, "out", DefaultOut, "workspace folder")
}

func (o *options) addIngest(c *cobra.Command) {
	c.Flags().StringVar(&o.corpus, "corpus", "", "corpus folder or manifest (default: the embedded illustrative sample)")
	c.Flags().IntVar(&o.workers, "workers", 0, "parallel workers (default GOMAXPROCS)")
	c.Flags().Int64Var(&o.maxBytes, "max-bytes", ingest.DefaultMaxBytes, "largest input file accepted, in bytes")
	c.Flags().DurationVar(&o.timeout, "timeout", ingest.DefaultTimeout, "time limit per input file")
	c.Flags().StringVar(&o.fallback, "fallback", "", "external extractor for PDFs the built-in one cannot read or gets no text from: pdftotext")
}

func (o *options) addCode(c *cobra.Command) {
	c.Flags().StringArrayVar(&o.codebooks, "codebook", nil, "codebook name or YAML file (repeatable; default charter, keyfeatures, drivers)")
	if c.Flags().Lookup("workers") == nil {
		c.Flags().IntVar(&o.workers, "workers", 0, "parallel workers (default GOMAXPROCS)")
	}
}

func (o *options) addAnalyze(c *cobra.Command) {
	c.Flags().Uint64Var(&o.seed, "seed", analysis.DefaultSeed, "seed of the permutation tests")
	c.Flags().StringVar(&o.weight, "weight", analysis.WeightRate, "profile weighting: rate, share, tfidf or binary")
	c.Flags().IntVar(&o.permutations, "permutations", analysis.DefaultPermutations, "permutations per test")
	c.Flags().StringVar(&o.hypotheses, "hypotheses", "", "YAML file of hypotheses to test (default: the embedded Longworth and Han–Makino hypotheses)")
}

func (o *options) validate() error {
	if o.workers < 0 {
		return usagef("--workers must be at least 1")
	}
	if o.permutations < 0 {
		return usagef("--permutations must be positive")
	}
	if o.weight != "" {
		ok := false
		for _, w := range analysis.Weights {
			ok = ok || w == o.weight
		}
		if !ok {
			return usagef("--weight %q: want one of %v", o.weight, analysis.Weights)
		}
	}
	return nil
}

func (o *options) loadCorpus() (*corpus.Corpus, error) {
	if o.corpus == "" {
		return corpus.Sample(), nil
	}
	c, err := corpus.Load(o.corpus)
	if err != nil {
		return nil, usageError{err}
	}
	if o.corpusArg != "" {
		// verify: sources are recorded relative to the corpus as first given.
		dir := o.corpusArg
		if st, err := os.Stat(o.corpus); err == nil && !st.IsDir() {
			dir = filepath.Dir(o.corpusArg)
		}
		c.Display = func(file string) string { return filepath.Join(dir, filepath.FromSlash(file)) }
	}
	return c, nil
}

func (o *options) loadCodebooks() ([]*coding.Codebook, error) {
	cbs, err := coding.LoadAll(o.codebooks)
	if err != nil {
		return nil, usageError{err}
	}
	return cbs, nil
}

// lock takes the workspace lock for the duration of a command.
func lock(out string) (func(), error) {
	unlock, err := corpus.Lock(out)
	if errors.Is(err, corpus.ErrLocked) {
		return nil, usageError{err}
	}
	return unlock, err
}

func newRunCmd() *cobra.Command {
	o := &options{}
	c := &cobra.Command{
		Use:   "run",
		Short: "Run the whole pipeline: ingest, code, index, analyze",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runAll(cmd.Context(), cmd.ErrOrStderr())
		},
	}
	o.addOut(c)
	o.addIngest(c)
	o.addCode(c)
	o.addAnalyze(c)
	c.Flags().BoolVar(&o.force, "force", false, "run even when the workspace is up to date")
	return c
}

func (o *options) runAll(ctx context.Context, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	c, err := o.loadCorpus()
	if err != nil {
		return err
	}
	cbs, err := o.loadCodebooks()
	if err != nil {
		return err
	}
	hyp, err := o.loadHypotheses()
	if err != nil {
		return err
	}
	if !o.force {
		if m, ok := o.upToDate(c, cbs, hyp); ok {
			fmt.Fprintf(stderr, "lcity: %s is up to date: inputs, codebooks, settings and tool unchanged, outputs intact (--force to rerun)\n", o.out)
			if m.Counts.Failures > 0 {
				return errPartial
			}
			return nil
		}
	}
	unlock, err := lock(o.out)
	if err != nil {
		return err
	}
	defer unlock()
	prog := newProgress(stderr)
	workers := defaultWorkers(o.workers)

	if err := ingest.CheckFallback(o.fallback); err != nil {
		return usageError{err}
	}
	summary, err := o.newSummary(cbs)
	if err != nil {
		return err
	}
	ing, err := runPipeline(ctx, o.out, c, o.ingestOptions(), stages{codebooks: cbs, index: true, summary: summary}, workers, prog)
	if err != nil {
		return err
	}
	if err := writeCodebookCopies(o.out, cbs); err != nil {
		return err
	}
	m := loadRunManifest(o.out)
	m.Settings = o.settings(c)
	m.Inputs, m.Notes = ing.Inputs, ing.Notes
	m.Codebooks = codebookRecords(cbs)
	m.Counts = runCounts{Documents: len(ing.Docs), Passages: ing.Passages, Codings: ing.Codings, Failures: len(ing.Failures)}
	if len(ing.Docs) > 0 {
		if err := o.writeAnalysis(summary, cbs, o.sourceName(c), len(ing.Failures)); err != nil {
			return err
		}
		m.Settings.Hypotheses, m.Settings.HypothesesSHA256 = o.hypRecord[0], o.hypRecord[1]
	}
	if err := m.save(o.out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "lcity: %d documents, %d passages, %d codings, %d failures → %s\n",
		len(ing.Docs), ing.Passages, ing.Codings, len(ing.Failures), o.out)
	return ing.report(stderr)
}

// sourceName is the corpus as the report names it: as given on the
// command line (by the recorded run, when verify reruns it).
func (o *options) sourceName(c *corpus.Corpus) string {
	if o.corpusArg != "" {
		return o.corpusArg
	}
	return c.Source
}

func (o *options) ingestOptions() ingest.Options {
	return ingest.Options{MaxBytes: o.maxBytes, Timeout: o.timeout, Fallback: o.fallback}
}

// newSummary starts the analysis summary for the codebooks, with the
// hypotheses and the focus table.
func (o *options) newSummary(cbs []*coding.Codebook) (*analysis.Summary, error) {
	hyp, err := o.loadHypotheses()
	if err != nil {
		return nil, err
	}
	o.hypRecord = [2]string{hyp.Source, hyp.SHA256}
	focus, err := focusCities(cbs)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, cb := range cbs {
		names = append(names, cb.Name)
	}
	return analysis.NewSummary(coding.Codable(cbs), names, hyp, focus), nil
}

// report prints the ingest notes and failures; it returns errPartial when
// any input failed, so that the command exits 1.
func (in *ingested) report(stderr io.Writer) error {
	for _, n := range in.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	for _, f := range in.Failures {
		fmt.Fprintf(stderr, "failed: %s: %s: %s\n", f.Source, f.Reason, f.Detail)
	}
	if len(in.Failures) > 0 {
		return errPartial
	}
	return nil
}

func (o *options) settings(c *corpus.Corpus) runSettings {
	s := runSettings{Corpus: c.Source, Codebooks: o.codebooks, Seed: o.seed, Weight: o.weight, Permutations: o.permutations,
		MaxBytes: o.maxBytes, Timeout: o.timeout.String(), Extractors: []string{ingest.ExtractorPDF, ingest.ExtractorText},
		Fallback: o.fallback}
	if o.fallback == ingest.FallbackPdftotext {
		s.Extractors = append(s.Extractors, ingest.ExtractorPdftotext())
	}
	if c.Source != corpus.SampleSource {
		s.CorpusArg = c.Source
		if o.corpusArg != "" {
			s.CorpusArg = o.corpusArg
		}
		if abs, err := filepath.Abs(c.Source); err == nil {
			s.Corpus = abs
		}
	}
	return s
}

func codebookRecords(cbs []*coding.Codebook) []codebookRecord {
	var out []codebookRecord
	for _, cb := range cbs {
		n := cb.NumCodable()
		out = append(out, codebookRecord{Name: cb.Name, Source: cb.Source, SHA256: cb.SHA256, Codes: n})
	}
	return out
}

// reindex builds the workspace's index from passages.jsonl and, when it
// exists, codings.csv; it returns the number of passages indexed.
func reindex(ctx context.Context, out string) (int, error) {
	_, err := os.Stat(filepath.Join(out, corpus.CodingsFile))
	withCodings := err == nil
	iw, err := index.NewWriter(filepath.Join(out, index.DirName))
	if err != nil {
		return 0, err
	}
	n := 0
	err = corpus.ScanWorkspace(out, withCodings, func(p corpus.Passage, cs []corpus.Coding) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		codes := make([]string, len(cs))
		for i, c := range cs {
			codes[i] = c.CodeID
		}
		n++
		return iw.Add(p, codes)
	})
	if err != nil {
		iw.Abort()
		return 0, noWorkspace(out, err)
	}
	return n, iw.Commit()
}

// writeAnalysis runs the analysis of a summary and writes its outputs.
func (o *options) writeAnalysis(summary *analysis.Summary, cbs []*coding.Codebook, source string, failures int) error {
	res, err := analysis.AnalyzeSummary(summary, analysis.Options{Weight: o.weight, Seed: o.seed, Permutations: o.permutations})
	if err != nil {
		return err
	}
	meta := analysis.ReportMeta{CorpusSource: source, Sample: source == corpus.SampleSource, Failures: failures}
	for _, cb := range cbs {
		meta.Codebooks = append(meta.Codebooks, analysis.CodebookInfo{Name: cb.Name, Title: cb.Title, SHA256: cb.SHA256,
			Codes: cb.NumCodable()})
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{corpus.ProfilesFile, res.WriteProfiles},
		{corpus.SimilarityFile, res.WriteSimilarity},
		{corpus.ContrastsFile, res.WriteContrasts},
		{corpus.SimilaritySVG, res.WriteSimilaritySVG},
		{corpus.HeatmapSVG, res.WriteHeatmapSVG},
		{corpus.DendrogramSVG, res.WriteDendrogramSVG},
		{corpus.PCASVG, res.WritePCASVG},
		{corpus.CrosstabFile, res.WriteCrosstab},
		{corpus.CoOccurFile, res.WriteCoOccurrence},
		{corpus.ClustersFile, res.WriteClusters},
		{corpus.HypothesesFile, res.WriteHypotheses},
		{corpus.FocusFile, res.WriteFocus},
		{corpus.ReportMD, func(w io.Writer) error { return res.WriteMarkdown(w, meta) }},
		{corpus.ReportHTML, func(w io.Writer) error { return res.WriteHTML(w, meta) }},
	}
	for _, f := range files {
		if err := corpus.WriteFile(filepath.Join(o.out, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func noWorkspace(out string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return usagef("%s is not an lcity workspace (run `lcity run --out %s` or `lcity ingest --out %s` first): %v", out, out, out, err)
	}
	return err
}

func newIngestCmd() *cobra.Command {
	o := &options{}
	c := &cobra.Command{
		Use:   "ingest",
		Short: "Extract documents and passages from the corpus into the workspace",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			co, err := o.loadCorpus()
			if err != nil {
				return err
			}
			unlock, err := lock(o.out)
			if err != nil {
				return err
			}
			defer unlock()
			if err := ingest.CheckFallback(o.fallback); err != nil {
				return usageError{err}
			}
			ing, err := runPipeline(cmd.Context(), o.out, co, o.ingestOptions(), stages{}, defaultWorkers(o.workers), newProgress(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			passages := ing.Passages
			m := loadRunManifest(o.out)
			s := o.settings(co)
			m.Settings.Corpus, m.Settings.MaxBytes, m.Settings.Timeout, m.Settings.Extractors = s.Corpus, s.MaxBytes, s.Timeout, s.Extractors
			m.Settings.CorpusArg = s.CorpusArg
			m.Settings.Fallback = s.Fallback
			m.Inputs, m.Notes = ing.Inputs, ing.Notes
			m.Counts.Documents, m.Counts.Passages, m.Counts.Failures = len(ing.Docs), passages, len(ing.Failures)
			if err := m.save(o.out); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: %d documents, %d passages, %d failures → %s\n", len(ing.Docs), passages, len(ing.Failures), o.out)
			return ing.report(cmd.ErrOrStderr())
		},
	}
	o.addOut(c)
	o.addIngest(c)
	return c
}

func newCodeCmd() *cobra.Command {
	o := &options{}
	c := &cobra.Command{
		Use:   "code",
		Short: "Code the workspace's passages against codebooks (writes codings.csv)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cbs, err := o.loadCodebooks()
			if err != nil {
				return err
			}
			unlock, err := lock(o.out)
			if err != nil {
				return err
			}
			defer unlock()
			passages, codings, err := codeStream(cmd.Context(), o.out, cbs, defaultWorkers(o.workers), newProgress(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			if err := writeCodebookCopies(o.out, cbs); err != nil {
				return err
			}
			m := loadRunManifest(o.out)
			m.Settings.Codebooks = o.codebooks
			m.Codebooks = codebookRecords(cbs)
			m.Counts.Codings = codings
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: %d codings of %d passages → %s\n", codings, passages, o.out)
			// The index carries each passage's codes (the --code filter and
			// facet): an index built before this coding is rebuilt.
			if _, err := os.Stat(filepath.Join(o.out, index.DirName)); err == nil {
				if _, err := reindex(cmd.Context(), o.out); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "lcity: index rebuilt with the new codes\n")
			}
			return m.save(o.out)
		},
	}
	o.addOut(c)
	o.addCode(c)
	return c
}

func newIndexCmd() *cobra.Command {
	o := &options{}
	c := &cobra.Command{
		Use:   "index",
		Short: "Build the Bleve search index of the workspace's passages and their codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			unlock, err := lock(o.out)
			if err != nil {
				return err
			}
			defer unlock()
			dir := filepath.Join(o.out, index.DirName)
			n, err := reindex(cmd.Context(), o.out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: indexed %d passages → %s\n", n, dir)
			return loadRunManifest(o.out).save(o.out)
		},
	}
	o.addOut(c)
	return c
}

func newAnalyzeCmd() *cobra.Command {
	o := &options{}
	c := &cobra.Command{
		Use:   "analyze",
		Short: "Compare the cities' theme profiles (profiles, similarity, contrasts, report)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			unlock, err := lock(o.out)
			if err != nil {
				return err
			}
			defer unlock()
			docs, err := corpus.ReadJSONL[corpus.Document](filepath.Join(o.out, corpus.DocumentsFile))
			if err != nil {
				return noWorkspace(o.out, err)
			}
			m := loadRunManifest(o.out)
			var cbs []*coding.Codebook
			if len(o.codebooks) > 0 {
				cbs, err = o.loadCodebooks()
			} else {
				cbs, err = recordedCodebooks(o.out, m, nil)
			}
			if err != nil {
				return err
			}
			fails, _ := corpus.ReadFailures(filepath.Join(o.out, corpus.FailuresFile))
			source := m.Settings.Corpus
			summary, err := o.newSummary(cbs)
			if err != nil {
				return err
			}
			for _, d := range docs {
				summary.AddDocument(d)
			}
			if err := corpus.ScanWorkspace(o.out, true, func(p corpus.Passage, cs []corpus.Coding) error {
				summary.AddPassage(p, cs)
				return nil
			}); err != nil {
				return noWorkspace(o.out, err)
			}
			if err := o.writeAnalysis(summary, cbs, source, len(fails)); err != nil {
				return err
			}
			m.Settings.Seed, m.Settings.Weight, m.Settings.Permutations = o.seed, o.weight, o.permutations
			m.Settings.Hypotheses, m.Settings.HypothesesSHA256 = o.hypRecord[0], o.hypRecord[1]
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: analysed %d documents → %s\n", len(docs), o.out)
			return m.save(o.out)
		},
	}
	o.addOut(c)
	o.addAnalyze(c)
	c.Flags().StringArrayVar(&o.codebooks, "codebook", nil, "codebooks whose codes enter the profile (default: those of the last coding)")
	return c
}
