package pipeline

import (
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// toolName is the program and version a report names.
func toolName() string { return "lcity " + Version + " (" + runtime.Version() + ")" }

// command is the lcity command line that reproduces the outputs of a run
// with settings s: the settings that change outputs, each only when it
// differs from the default. The workspace (--out), worker count and lock
// wait never change the outputs and are left out, so a report that quotes
// the command does not depend on where its workspace lies. The corpus is
// the path as the first run was given it.
func command(s workspace.Settings) string {
	d := Default()
	args := []string{"lcity", "run"}
	add := func(flag, v string) { args = append(args, flag, shellQuote(v)) }
	switch {
	case s.CorpusArg != "":
		add("--corpus", s.CorpusArg)
	case s.Corpus != "" && s.Corpus != corpus.SampleSource:
		add("--corpus", s.Corpus)
	}
	if !slices.Equal(s.Codebooks, coding.Defaults) {
		for _, cb := range s.Codebooks {
			add("--codebook", cb)
		}
	}
	if s.Gold != "" {
		add("--gold", s.Gold)
	}
	if s.Model != "" {
		add("--model", s.Model)
	}
	if s.Lambda != 0 {
		add("--lambda", strconv.FormatFloat(s.Lambda, 'g', -1, 64))
	}
	if s.Combine != "" && s.Combine != CombineUnion {
		add("--combine", s.Combine)
	}
	if s.MaxBytes != 0 && s.MaxBytes != d.Ingest.MaxBytes {
		add("--max-bytes", strconv.FormatInt(s.MaxBytes, 10))
	}
	if s.Timeout != "" && s.Timeout != d.Ingest.Timeout.String() {
		add("--timeout", s.Timeout)
	}
	if s.Fallback != "" {
		add("--fallback", s.Fallback)
	}
	if s.Seed != d.Analysis.Seed {
		add("--seed", strconv.FormatUint(s.Seed, 10))
	}
	if s.Weight != "" && s.Weight != d.Analysis.Weight {
		add("--weight", s.Weight)
	}
	if s.Permutations != 0 && s.Permutations != d.Analysis.Permutations {
		add("--permutations", strconv.Itoa(s.Permutations))
	}
	if s.Hypotheses != "" && s.Hypotheses != analysis.DefaultHypothesesSource {
		add("--hypotheses", s.Hypotheses)
	}
	cmd := strings.Join(args, " ")
	if len(s.AnalysisCodebooks) > 0 {
		cmd += " && lcity analyze"
		for _, cb := range s.AnalysisCodebooks {
			cmd += " --codebook " + shellQuote(cb)
		}
	}
	return cmd
}

// reportInputs lists the inputs for the report.
func reportInputs(ins []workspace.Input) []analysis.InputInfo {
	out := make([]analysis.InputInfo, len(ins))
	for i, in := range ins {
		out[i] = analysis.InputInfo{Path: in.Path, SHA256: in.SHA256}
		if in.SHA256 == "" && in.Bytes > 0 {
			out[i].SHA256 = "not read: " + strconv.FormatInt(in.Bytes, 10) + " bytes, over --max-bytes"
		}
	}
	return out
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
