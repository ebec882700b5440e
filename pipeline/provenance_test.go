package pipeline

import (
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// TestCommand: the command a report quotes names exactly the settings
// that differ from the defaults, quoted for a shell.
func TestCommand(t *testing.T) {
	d := Default()
	base := workspace.Settings{Corpus: corpus.SampleSource, Seed: d.Analysis.Seed, Weight: d.Analysis.Weight,
		Permutations: d.Analysis.Permutations, MaxBytes: d.Ingest.MaxBytes, Timeout: d.Ingest.Timeout.String(), Hypotheses: "embedded:hypotheses"}
	with := func(f func(s *workspace.Settings)) workspace.Settings {
		s := base
		f(&s)
		return s
	}
	tests := []struct {
		s    workspace.Settings
		want string
	}{
		{base, "lcity run"},
		{with(func(s *workspace.Settings) { s.Codebooks = []string{"charter", "keyfeatures", "drivers"} }), "lcity run"},
		{with(func(s *workspace.Settings) { s.Corpus, s.CorpusArg = "/data/uil", "uil books" }), "lcity run --corpus 'uil books'"},
		{with(func(s *workspace.Settings) { s.Corpus = "/data/uil" }), "lcity run --corpus /data/uil"},
		{with(func(s *workspace.Settings) {
			s.Codebooks = []string{"charter", "my codes.yaml"}
			s.Seed, s.Weight, s.Permutations = 3, "share", 999
		}), "lcity run --codebook charter --codebook 'my codes.yaml' --seed 3 --weight share --permutations 999"},
		{with(func(s *workspace.Settings) { s.Gold, s.Lambda, s.Combine = "gold.csv", 0.1, CombineModel }), "lcity run --gold gold.csv --lambda 0.1 --combine model"},
		{with(func(s *workspace.Settings) { s.Timeout, s.Fallback, s.Hypotheses = "5s", "pdftotext", "h's.yaml" }),
			`lcity run --timeout 5s --fallback pdftotext --hypotheses 'h'\''s.yaml'`},
		{with(func(s *workspace.Settings) { s.AnalysisCodebooks = []string{"drivers"} }), "lcity run && lcity analyze --codebook drivers"},
	}
	for _, tt := range tests {
		if got := command(tt.s); got != tt.want {
			t.Errorf("command(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
