package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// parseRunManifest decodes run.json strictly: it is read back by verify
// and diff, perhaps years later, and a damaged one must say so.
func parseRunManifest(data []byte) (*runManifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m runManifest
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	if m.Tool != "lcity" {
		return nil, fmt.Errorf("tool %q: not an lcity run manifest", m.Tool)
	}
	for _, o := range m.Outputs {
		if o.Path == "" || filepath.IsAbs(o.Path) || strings.Contains(o.Path, "..") {
			return nil, fmt.Errorf("output path %q: want a path inside the workspace", o.Path)
		}
	}
	return &m, nil
}

func newVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify DIR/run.json",
		Short: "Check a run: outputs still have their recorded SHA-256, and a rerun from the recorded inputs and settings gives the same bytes",
		Long: `verify reads a workspace's run.json and checks, in order:

  1. every recorded output still has its SHA-256 (nothing was edited);
  2. every input file and codebook still has its SHA-256;
  3. the tool and Go versions are the recorded ones;
  4. rerunning the pipeline from the recorded inputs and settings in a
     temporary workspace gives every recorded output byte for byte
     (index.bleve is listed but not compared: Bleve's files are not
     byte-stable).

It exits 0 when everything matches and 1 listing each difference.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("verify: %v", err)
			}
			m, err := parseRunManifest(data)
			if err != nil {
				return usagef("verify: %s: %v", args[0], err)
			}
			diffs, err := verifyRun(cmd, filepath.Dir(args[0]), m)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if len(diffs) == 0 {
				fmt.Fprintf(w, "verified: %d outputs match their recorded SHA-256 and a rerun reproduces them\n", len(m.Outputs))
				return nil
			}
			for _, d := range diffs {
				fmt.Fprintln(w, "differs:", d)
			}
			return fmt.Errorf("%d differences", len(diffs))
		},
	}
}

func verifyRun(cmd *cobra.Command, dir string, m *runManifest) ([]string, error) {
	var diffs []string
	// 1. Outputs as recorded.
	for _, o := range m.Outputs {
		if o.SHA256 == "" {
			continue
		}
		sum, _, err := hashFile(filepath.Join(dir, o.Path))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			diffs = append(diffs, fmt.Sprintf("output %s: missing", o.Path))
		case err != nil:
			return nil, err
		case sum != o.SHA256:
			diffs = append(diffs, fmt.Sprintf("output %s: changed since the run (recorded %s, now %s)", o.Path, short(o.SHA256), short(sum)))
		}
	}
	// 2. Inputs and codebooks.
	s := m.Settings
	if s.Corpus != corpus.SampleSource {
		base := s.CorpusArg
		for _, in := range m.Inputs {
			p := in.Path
			if base != "" && !filepath.IsAbs(p) {
				// Recorded relative to the run's working directory: find it
				// under the absolute corpus path instead.
				if rel, err := filepath.Rel(corpusDir(base, s.Corpus), p); err == nil {
					p = filepath.Join(corpusDir(s.Corpus, s.Corpus), rel)
				}
			}
			sum, _, err := hashFile(p)
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("input %s: %v", in.Path, err))
				continue
			}
			if sum != in.SHA256 {
				diffs = append(diffs, fmt.Sprintf("input %s: changed (recorded %s, now %s)", in.Path, short(in.SHA256), short(sum)))
			}
		}
	}
	var names []string
	for _, cb := range m.Codebooks {
		names = append(names, strings.TrimPrefix(cb.Source, coding.EmbeddedPrefix))
		loaded, err := coding.Load(strings.TrimPrefix(cb.Source, coding.EmbeddedPrefix))
		if err != nil {
			diffs = append(diffs, fmt.Sprintf("codebook %s: %v", cb.Source, err))
			continue
		}
		if loaded.SHA256 != cb.SHA256 {
			diffs = append(diffs, fmt.Sprintf("codebook %s: changed (recorded %s, now %s)", cb.Source, short(cb.SHA256), short(loaded.SHA256)))
		}
	}
	// 3. Versions.
	if m.Version != Version {
		diffs = append(diffs, fmt.Sprintf("tool version: run made by lcity %s, this is %s", m.Version, Version))
	}
	if m.GoVersion != runtime.Version() {
		diffs = append(diffs, fmt.Sprintf("Go version: run built with %s, this is %s", m.GoVersion, runtime.Version()))
	}
	// 4. Rerun.
	tmp, err := os.MkdirTemp("", "lcity-verify-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	o := &options{out: tmp, codebooks: names, seed: s.Seed, weight: s.Weight, permutations: s.Permutations,
		maxBytes: s.MaxBytes, fallback: s.Fallback, corpusArg: s.CorpusArg}
	if o.timeout, err = time.ParseDuration(s.Timeout); err != nil {
		return nil, fmt.Errorf("run.json: timeout %q: %v", s.Timeout, err)
	}
	if s.Corpus != corpus.SampleSource {
		o.corpus = s.Corpus
	}
	if s.Hypotheses != "" && s.Hypotheses != analysis.DefaultHypothesesSource {
		o.hypotheses = s.Hypotheses
	}
	if err := o.runAll(cmd.Context(), io.Discard); err != nil && !errors.Is(err, errPartial) {
		return nil, fmt.Errorf("rerun: %w", err)
	}
	re, err := os.ReadFile(filepath.Join(tmp, corpus.RunFile))
	if err != nil {
		return nil, err
	}
	m2, err := parseRunManifest(re)
	if err != nil {
		return nil, err
	}
	rerun := map[string]string{}
	for _, o := range m2.Outputs {
		rerun[o.Path] = o.SHA256
	}
	for _, o := range m.Outputs {
		if o.SHA256 == "" || o.Path == corpus.RunFile {
			continue
		}
		got, ok := rerun[o.Path]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("rerun: %s not produced", o.Path))
		case got != o.SHA256:
			diffs = append(diffs, fmt.Sprintf("rerun: %s differs (recorded %s, rerun %s)", o.Path, short(o.SHA256), short(got)))
		}
	}
	return diffs, nil
}

// corpusDir is the folder the corpus's files are relative to.
func corpusDir(given, abs string) string {
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return filepath.Dir(given)
	}
	return given
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
