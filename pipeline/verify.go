package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// VerifyOptions choose the checks.
type VerifyOptions struct {
	// NoRerun skips the rerun (step 4): only hashes and versions are
	// checked, which takes seconds however large the corpus.
	NoRerun bool
}

// Verification is what Verify found.
type Verification struct {
	// Outputs is the number of hashed outputs run.json records.
	Outputs int
	// Differences lists each difference, in the order checked; none when
	// the run is verified.
	Differences []string
	// Notes says what verify left out and why: decisions recorded in
	// review.sqlite after the run, which the rerun does not use.
	Notes []string
}

// Verify checks the run a workspace's run.json records, in order:
//
//  1. every recorded output still has its SHA-256 (nothing was edited);
//  2. every input file and codebook still has its SHA-256;
//  3. the tool and Go versions are the recorded ones;
//  4. the review store still holds the decisions the run used: the log up
//     to the recorded last decision has the recorded hash (decisions
//     recorded since are newer than the run, not a difference: a note
//     says how many);
//  5. rerunning the pipeline from the recorded inputs and settings in a
//     temporary workspace, with the review's log replayed up to the
//     recorded decision, gives every recorded output byte for byte.
//
// It holds the workspace's Shared lock throughout. A run.json that cannot
// be read is the user's error.
func Verify(ctx context.Context, runJSON string, opt VerifyOptions) (*Verification, error) {
	dir := filepath.Dir(runJSON)
	data, err := os.ReadFile(runJSON)
	if err != nil {
		return nil, Usagef("verify: %v", err)
	}
	m, err := workspace.ParseManifest(data)
	if err != nil {
		return nil, Usagef("verify: %s: %v", runJSON, err)
	}
	l, err := openReader(dir, 0)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	v := &Verification{}
	// 1. Outputs as recorded.
	bad, err := m.Check(dir)
	if err != nil {
		return nil, err
	}
	for _, o := range m.Outputs {
		if o.SHA256 != "" {
			v.Outputs++
		}
	}
	for _, b := range bad {
		v.Differences = append(v.Differences, b.String())
	}
	// 2. Inputs and codebooks.
	s := m.Settings
	if s.Corpus != corpus.SampleSource && s.Corpus != "" {
		for _, in := range m.Inputs {
			p := in.Path
			if s.CorpusArg != "" && !filepath.IsAbs(p) {
				// Recorded relative to the run's working directory: find it
				// under the absolute corpus path instead.
				if rel, err := filepath.Rel(corpusDir(s.CorpusArg, s.Corpus), p); err == nil {
					p = filepath.Join(corpusDir(s.Corpus, s.Corpus), rel)
				}
			}
			d, err := workspace.HashFile(p)
			if err != nil {
				v.Differences = append(v.Differences, fmt.Sprintf("input %s: %v", in.Path, err))
				continue
			}
			if d.SHA256 != in.SHA256 {
				v.Differences = append(v.Differences, fmt.Sprintf("input %s: changed (recorded %s, now %s)", in.Path, workspace.Short(in.SHA256), workspace.Short(d.SHA256)))
			}
		}
	}
	for _, cb := range m.Codebooks {
		loaded, err := coding.Load(strings.TrimPrefix(cb.Source, coding.EmbeddedPrefix))
		if err != nil {
			v.Differences = append(v.Differences, fmt.Sprintf("codebook %s: %v", cb.Source, err))
			continue
		}
		if loaded.SHA256 != cb.SHA256 {
			v.Differences = append(v.Differences, fmt.Sprintf("codebook %s: changed (recorded %s, now %s)", cb.Source, workspace.Short(cb.SHA256), workspace.Short(loaded.SHA256)))
		}
	}
	for _, f := range []struct{ what, path, sum string }{{"gold", s.Gold, s.GoldSHA256}, {"model", s.Model, s.ModelSHA256}} {
		if f.path == "" {
			continue
		}
		d, err := workspace.HashFile(f.path)
		switch {
		case err != nil:
			v.Differences = append(v.Differences, fmt.Sprintf("%s %s: %v", f.what, f.path, err))
		case d.SHA256 != f.sum:
			v.Differences = append(v.Differences, fmt.Sprintf("%s %s: changed (recorded %s, now %s)", f.what, f.path, workspace.Short(f.sum), workspace.Short(d.SHA256)))
		}
	}
	// 3. Versions.
	if m.Version != Version {
		v.Differences = append(v.Differences, fmt.Sprintf("tool version: run made by lcity %s, this is %s", m.Version, Version))
	}
	if m.GoVersion != runtime.Version() {
		v.Differences = append(v.Differences, fmt.Sprintf("Go version: run built with %s, this is %s", m.GoVersion, runtime.Version()))
	}
	// 4. The review.
	pin, err := v.checkReview(ctx, dir, m)
	if err != nil {
		return nil, err
	}
	if opt.NoRerun {
		return v, nil
	}
	// 5. Rerun.
	tmp, err := os.MkdirTemp("", "lcity-verify-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cfg, err := RecordedConfig(m)
	if err != nil {
		return nil, Usagef("verify: %s: %v", runJSON, err)
	}
	cfg.Out = filepath.Join(tmp, "out")
	cfg.Review = pin
	if _, err := Run(ctx, cfg); err != nil && !errors.Is(err, ErrPartial) {
		return nil, fmt.Errorf("rerun: %w", err)
	}
	m2, err := workspace.ReadManifest(cfg.Out)
	if err != nil {
		return nil, err
	}
	rerun := map[string]string{}
	for _, o := range m2.Outputs {
		rerun[o.Path] = o.SHA256
	}
	for _, o := range m.Outputs {
		if o.SHA256 == "" {
			continue
		}
		got, ok := rerun[o.Path]
		switch {
		case !ok:
			v.Differences = append(v.Differences, fmt.Sprintf("rerun: %s not produced", o.Path))
		case got != o.SHA256:
			v.Differences = append(v.Differences, fmt.Sprintf("rerun: %s differs (recorded %s, rerun %s)", o.Path, workspace.Short(o.SHA256), workspace.Short(got)))
		}
	}
	return v, nil
}

// checkReview compares the workspace's review store with the state run.json
// records the analysis (or, without one, the index) used, and returns the
// review configuration that replays it.
func (v *Verification) checkReview(ctx context.Context, dir string, m *workspace.Manifest) (ReviewConfig, error) {
	rec, ok := m.Review[workspace.StageAnalyze]
	if !ok {
		rec = m.Review[workspace.StageIndex]
	}
	pin := ReviewConfig{Store: filepath.Join(dir, review.FileName), Pinned: true, UpTo: rec.LastSeq}
	log, newer, err := readReview(ctx, &Config{Review: pin})
	if err != nil {
		var oe *review.OpenError
		if errors.As(err, &oe) {
			v.Differences = append(v.Differences, err.Error())
			return pin, nil
		}
		return pin, err
	}
	now := reviewRecord(log)
	switch {
	case rec.Decisions > 0 && now.Decisions == 0 && newer == 0:
		v.Differences = append(v.Differences, fmt.Sprintf("%s: the run used %d decision(s) (up to decision %d), the workspace has none (missing or emptied review store)",
			review.FileName, rec.Decisions, rec.LastSeq))
	case now.SHA256 != rec.SHA256:
		v.Differences = append(v.Differences, fmt.Sprintf("%s: the decisions up to %d are not those the run used (recorded %d decision(s), log SHA-256 %s; now %d, %s): the log was replaced or rewritten",
			review.FileName, rec.LastSeq, rec.Decisions, workspace.Short(rec.SHA256), now.Decisions, workspace.Short(now.SHA256)))
	}
	if newer > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("the review has %d decision(s) newer than the run (after decision %d); verify replays the log as the run saw it; `lcity run` or `lcity analyze` takes them in",
			newer, rec.LastSeq))
	}
	return pin, nil
}

// RecordedConfig is the configuration that reruns the run m records (its
// Out is left empty).
func RecordedConfig(m *workspace.Manifest) (Config, error) {
	s := m.Settings
	cfg := Default()
	cfg.Out = ""
	for _, cb := range m.Codebooks {
		cfg.Coding.Codebooks = append(cfg.Coding.Codebooks, strings.TrimPrefix(cb.Source, coding.EmbeddedPrefix))
	}
	cfg.Coding.Gold, cfg.Coding.Lambda, cfg.Coding.Model, cfg.Coding.Combine = s.Gold, s.Lambda, s.Model, s.Combine
	cfg.Ingest = IngestConfig{MaxBytes: s.MaxBytes, Fallback: s.Fallback, MaxMemory: s.MaxMemory}
	if s.Timeout != "" {
		t, err := time.ParseDuration(s.Timeout)
		if err != nil {
			return Config{}, fmt.Errorf("timeout %q: %v", s.Timeout, err)
		}
		cfg.Ingest.Timeout = t
	}
	cfg.Analysis = AnalysisConfig{Seed: s.Seed, Weight: s.Weight, Permutations: s.Permutations, Codebooks: s.AnalysisCodebooks}
	if s.Weight == "" {
		// A workspace that was never analysed: analyse with the defaults.
		cfg.Analysis = Default().Analysis
	}
	if s.Corpus != corpus.SampleSource && s.Corpus != "" {
		cfg.Corpus = CorpusConfig{Path: s.Corpus, Recorded: s.CorpusArg}
	}
	if s.Hypotheses != "" && s.Hypotheses != analysis.DefaultHypothesesSource {
		cfg.Analysis.Hypotheses = s.Hypotheses
	}
	if sh := m.Shard; sh != nil {
		cfg.Shard = Shard{Index: sh.Index, Count: sh.Count}
	}
	return cfg, nil
}

// corpusDir is the folder the corpus's files are relative to.
func corpusDir(given, abs string) string {
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return filepath.Dir(given)
	}
	return given
}
