package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// What a stage needs loaded from the configuration.
const (
	needCorpus = 1 << iota
	needCodebooks
	needHypotheses
)

// loaded is what the configuration names, read and checked before the
// workspace is locked, so that a configuration error leaves it alone.
type loaded struct {
	corpus    *corpus.Corpus
	codebooks []*coding.Codebook
	plan      *codingPlan
	hyp       *analysis.Hypotheses
}

// load validates the configuration and loads what need names.
func (c *Config) load(need int) (*loaded, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	l := &loaded{}
	var err error
	if need&needCorpus != 0 {
		if l.corpus, err = c.loadCorpus(); err != nil {
			return nil, err
		}
	}
	if need&needCodebooks != 0 {
		if l.codebooks, err = c.loadCodebooks(); err != nil {
			return nil, err
		}
		if l.plan, err = c.planCoding(l.codebooks); err != nil {
			return nil, err
		}
	}
	if need&needHypotheses != 0 {
		if l.hyp, err = c.loadHypotheses(); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// loadCorpus opens the configured corpus. A corpus that cannot be read is
// the user's error.
func (c *Config) loadCorpus() (*corpus.Corpus, error) {
	if c.Corpus.Opened != nil {
		return c.Corpus.Opened, nil
	}
	if c.Corpus.Path == "" {
		return corpus.Sample(), nil
	}
	co, err := corpus.Load(c.Corpus.Path)
	if err != nil {
		return nil, usage(err)
	}
	if rec := c.Corpus.Recorded; rec != "" {
		// Sources are recorded relative to the corpus as first given.
		dir := rec
		if st, err := os.Stat(c.Corpus.Path); err == nil && !st.IsDir() {
			dir = filepath.Dir(rec)
		}
		co.Display = func(file string) string { return filepath.Join(dir, filepath.FromSlash(file)) }
	}
	return co, nil
}

// corpusName is the corpus as the report names it: as the user gave it.
func (c *Config) corpusName(co *corpus.Corpus) string {
	if c.Corpus.Recorded != "" {
		return c.Corpus.Recorded
	}
	return co.Source
}

func (c *Config) loadCodebooks() ([]*coding.Codebook, error) {
	cbs, err := coding.LoadAll(c.Coding.Codebooks)
	return cbs, usage(err)
}

// loadHypotheses reads the hypotheses file, or the embedded default. A
// bad file is the user's error naming file:line.
func (c *Config) loadHypotheses() (*analysis.Hypotheses, error) {
	if c.Analysis.Hypotheses == "" {
		return analysis.DefaultHypotheses(), nil
	}
	data, err := os.ReadFile(c.Analysis.Hypotheses)
	if err != nil {
		return nil, Usagef("hypotheses: %v", err)
	}
	h, err := analysis.ParseHypotheses(data, c.Analysis.Hypotheses)
	if err != nil {
		return nil, usage(err)
	}
	if abs, err := filepath.Abs(c.Analysis.Hypotheses); err == nil {
		h.Source = abs
	}
	return h, nil
}

// newSummary starts the analysis summary of codebooks cbs, with the
// hypotheses and the focus table.
func newSummary(cbs []*coding.Codebook, hyp *analysis.Hypotheses) (*analysis.Summary, error) {
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

// focusCities codes the human-named focus themes of the sample cities
// (corpus/focus.csv: city, focus1..focus4) with the codebooks, each label
// on its own and keeping its own codes (none when the codebooks do not
// cover it), for the focus-table check of the report.
func focusCities(cbs []*coding.Codebook) ([]analysis.FocusCity, error) {
	rows, err := csv.NewReader(bytes.NewReader(corpus.FocusCSV())).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || len(rows[0]) < 2 || rows[0][0] != "city" {
		return nil, errors.New("focus.csv: want a header city,focus1,...")
	}
	var out []analysis.FocusCity
	for _, row := range rows[1:] {
		fc := analysis.FocusCity{City: row[0]}
		for _, label := range row[1:] {
			label = strings.TrimSpace(label)
			if label == "" {
				continue
			}
			fl := analysis.FocusLabel{Label: label}
			p := corpus.Passage{ID: "focus", City: row[0], Text: label, Start: 0, End: len(label)}
			for _, c := range coding.CodeAll(cbs, p) {
				if !slices.Contains(fl.Codes, c.CodeID) {
					fl.Codes = append(fl.Codes, c.CodeID)
				}
			}
			fc.Labels = append(fc.Labels, fl)
		}
		out = append(out, fc)
	}
	return out, nil
}

// ingestSettings are the settings of extraction as run.json records them.
func (c *Config) ingestSettings(co *corpus.Corpus, s *workspace.Settings) {
	s.Corpus, s.CorpusArg = co.Source, ""
	if co.Source != corpus.SampleSource {
		s.CorpusArg = co.Source
		if c.Corpus.Recorded != "" {
			s.CorpusArg = c.Corpus.Recorded
		}
		if abs, err := filepath.Abs(co.Source); err == nil {
			s.Corpus = abs
		}
	}
	s.MaxBytes, s.Timeout, s.Fallback, s.MaxMemory = c.Ingest.MaxBytes, c.Ingest.Timeout.String(), c.Ingest.Fallback, c.Ingest.MaxMemory
	s.Extractors = []string{ingest.ExtractorPDF, ingest.ExtractorText, ingest.ExtractorHTML, ingest.ExtractorDOCX}
	if c.Ingest.Fallback == ingest.FallbackPdftotext {
		s.Extractors = append(s.Extractors, ingest.ExtractorPdftotext())
	}
}

// analysisSettings are the settings of the analysis as run.json records
// them.
func (c *Config) analysisSettings(hyp *analysis.Hypotheses, s *workspace.Settings) {
	s.Seed, s.Weight, s.Permutations = c.Analysis.Seed, c.Analysis.Weight, c.Analysis.Permutations
	s.AnalysisCodebooks = c.Analysis.Codebooks
	s.Hypotheses, s.HypothesesSHA256 = hyp.Source, hyp.SHA256
}

// clearAnalysisSettings forgets the settings of an analysis whose outputs
// are gone.
func clearAnalysisSettings(s *workspace.Settings) {
	s.Seed, s.Weight, s.Permutations, s.AnalysisCodebooks, s.Hypotheses, s.HypothesesSHA256 = 0, "", 0, nil, "", ""
}
