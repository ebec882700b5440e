package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lcity/lcity/corpus"
)

// Stages that write outputs. Each output in run.json names the stage that
// wrote it, and only that stage records or replaces its hash.
const (
	StageIngest  = "ingest"
	StageCode    = "code"
	StageIndex   = "index"
	StageAnalyze = "analyze"
)

// Downstream lists, for each stage, the stages whose outputs are derived
// from its outputs: when a stage runs again, their outputs no longer
// describe the workspace and are removed.
var Downstream = map[string][]string{
	StageIngest:  {StageCode, StageIndex, StageAnalyze},
	StageCode:    {StageAnalyze},
	StageIndex:   nil,
	StageAnalyze: nil,
}

// SampleNotice labels a workspace made from the embedded sample corpus.
const SampleNotice = "corpus is lcity's embedded illustrative sample, written by the lcity authors; not UNESCO text"

// Manifest is run.json: what went in, with which settings, and what came
// out, with hashes. It holds no timestamps, host names or worker counts,
// so that reruns give identical bytes.
type Manifest struct {
	Tool      string     `json:"tool"`
	Version   string     `json:"version"`
	GoVersion string     `json:"go_version"`
	Notice    string     `json:"notice,omitempty"`
	Settings  Settings   `json:"settings"`
	Inputs    []Input    `json:"inputs"`
	Codebooks []Codebook `json:"codebooks"`
	Counts    Counts     `json:"counts"`
	Notes     []string   `json:"notes,omitempty"`
	Outputs   []Output   `json:"outputs"`
	// Review says, per stage that used it (index, analyze), which state of
	// the human review (review.sqlite) its outputs rest on; absent when the
	// workspace had no decisions.
	Review map[string]ReviewRecord `json:"review,omitempty"`
	// Shard marks a partial workspace, made by `lcity run --shard I/N`
	// from one slice of the corpus and meant for `lcity merge`; absent in
	// a whole workspace.
	Shard *Shard `json:"shard,omitempty"`
}

// Shard is the record of a partial workspace: which slice of which corpus
// it holds.
type Shard struct {
	Index int `json:"index"` // 1..Count
	Count int `json:"count"`
	// Corpus is the SHA-256 of the whole corpus's listing (every input's
	// path, size and manifest entries), so that merge can tell that parts
	// were cut from the same corpus; Inputs the number of its input files.
	Corpus string `json:"corpus_sha256"`
	Inputs int    `json:"inputs"`
}

// ReviewRecord is the state of the review store a stage used: the
// decisions up to LastSeq (orphans included), and the SHA-256 of that log
// as review.Hash computes it. verify replays the log up to LastSeq and
// compares the hash; decisions recorded later are newer than the run.
type ReviewRecord struct {
	Decisions int    `json:"decisions"`
	LastSeq   int64  `json:"last_seq"`
	SHA256    string `json:"sha256"`
	// Orphans is the number of those decisions whose passage is gone (or
	// whose span runs past it) or whose code is not in the codebooks.
	Orphans int `json:"orphans,omitempty"`
}

// SetReview records the review state stage used; a zero record (no
// decisions) removes the entry.
func (m *Manifest) SetReview(stage string, r ReviewRecord) {
	if r.Decisions == 0 {
		delete(m.Review, stage)
		if len(m.Review) == 0 {
			m.Review = nil
		}
		return
	}
	if m.Review == nil {
		m.Review = map[string]ReviewRecord{}
	}
	m.Review[stage] = r
}

// Settings are the settings of the recorded run, as verify needs them to
// run it again.
type Settings struct {
	Corpus string `json:"corpus"`
	// CorpusArg is --corpus as given (relative paths stay relative); the
	// documents' sources are recorded relative to it, so verify reruns
	// with it to compare like with like.
	CorpusArg    string   `json:"corpus_arg,omitempty"`
	Codebooks    []string `json:"codebooks,omitempty"`
	Seed         uint64   `json:"seed"`
	Weight       string   `json:"weight,omitempty"`
	Permutations int      `json:"permutations,omitempty"`
	// AnalysisCodebooks names the codebooks whose codes entered the
	// analysis when that was a subset of those coded (lcity analyze
	// --codebook); empty means all.
	AnalysisCodebooks []string `json:"analysis_codebooks,omitempty"`
	MaxBytes          int64    `json:"max_bytes"`
	Timeout           string   `json:"timeout"`
	Extractors        []string `json:"extractors,omitempty"`
	Fallback          string   `json:"fallback,omitempty"`
	// MaxMemory is the memory limit of a worker process per file (absent
	// in runs made before there was one).
	MaxMemory int64 `json:"max_memory,omitempty"`
	// Gold is the gold coding a model was learned from (lcity learn, or
	// run --gold), with its SHA-256 and the fit's penalty; Model is a model
	// file applied instead (code --model), with its SHA-256; Combine says
	// how model and dictionary codings were combined.
	Gold        string  `json:"gold,omitempty"`
	GoldSHA256  string  `json:"gold_sha256,omitempty"`
	Lambda      float64 `json:"lambda,omitempty"`
	Model       string  `json:"model,omitempty"`
	ModelSHA256 string  `json:"model_sha256,omitempty"`
	Combine     string  `json:"combine,omitempty"`
	// Hypotheses is the hypothesis file analysed and its SHA-256.
	Hypotheses       string `json:"hypotheses,omitempty"`
	HypothesesSHA256 string `json:"hypotheses_sha256,omitempty"`
}

// Input is one input file of the run and its SHA-256. A file over the
// size limit is not read, so not hashed: its size is recorded instead.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes,omitempty"`
}

// Codebook is a codebook the workspace was coded with.
type Codebook struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	Codes  int    `json:"codes"`
}

// Counts are the sizes of the run.
type Counts struct {
	Documents int `json:"documents"`
	Passages  int `json:"passages"`
	Codings   int `json:"codings"`
	Failures  int `json:"failures"`
}

// Output is one file (or, for the index, folder) of the workspace.
type Output struct {
	Path   string `json:"path"`
	Stage  string `json:"stage,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int64  `json:"bytes,omitempty"`
	// Note explains an output that is not hashed (the Bleve index, whose
	// internal files are not byte-stable).
	Note string `json:"note,omitempty"`
}

// NewOutput is the record of a file a stage wrote.
func NewOutput(rel string, d Digest) Output {
	return Output{Path: rel, SHA256: d.SHA256, Bytes: d.Bytes}
}

// IndexOutput is the record of the index folder: listed, not hashed.
func IndexOutput() Output {
	return Output{Path: IndexDir + "/", Note: "Bleve index; internal files are not byte-stable and are not hashed"}
}

// ParseManifest decodes run.json strictly: it is read back by run, verify
// and diff, perhaps years later, and a damaged one must say so.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	if m.Tool != "lcity" {
		return nil, fmt.Errorf("tool %q: not an lcity run manifest", m.Tool)
	}
	for _, o := range m.Outputs {
		p := strings.TrimSuffix(o.Path, "/")
		if p == "" || path.IsAbs(p) || filepath.IsAbs(p) || strings.Contains(o.Path, "\\") || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") {
			return nil, fmt.Errorf("output path %q: want a path inside the workspace", o.Path)
		}
	}
	return &m, nil
}

// ReadManifest reads the run.json of workspace dir. A missing file is an
// error wrapping fs.ErrNotExist; a damaged one names the file.
func ReadManifest(dir string) (*Manifest, error) {
	name := filepath.Join(dir, RunFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// Outputs of a stage, in path order.
func (m *Manifest) StageOutputs(stage string) []Output {
	var out []Output
	for _, o := range m.Outputs {
		if o.Stage == stage {
			out = append(out, o)
		}
	}
	return out
}

// SetOutputs replaces the outputs recorded for stage with outs.
func (m *Manifest) SetOutputs(stage string, outs []Output) {
	m.DropStages(stage)
	for _, o := range outs {
		o.Stage = stage
		m.Outputs = append(m.Outputs, o)
	}
	sort.Slice(m.Outputs, func(i, j int) bool { return m.Outputs[i].Path < m.Outputs[j].Path })
}

// DropStages forgets the outputs of the given stages.
func (m *Manifest) DropStages(stages ...string) {
	drop := map[string]bool{}
	for _, s := range stages {
		drop[s] = true
	}
	kept := m.Outputs[:0]
	for _, o := range m.Outputs {
		if !drop[o.Stage] {
			kept = append(kept, o)
		}
	}
	m.Outputs = kept
	for _, s := range stages {
		delete(m.Review, s)
	}
	if len(m.Review) == 0 {
		m.Review = nil
	}
}

// Output returns the record of the output at rel.
func (m *Manifest) Output(rel string) (Output, bool) {
	for _, o := range m.Outputs {
		if o.Path == rel {
			return o, true
		}
	}
	return Output{}, false
}

// Save writes run.json into dir.
func (m *Manifest) Save(dir string) error {
	m.Notice = ""
	if m.Settings.Corpus == corpus.SampleSource {
		m.Notice = SampleNotice
	}
	if m.Outputs == nil {
		m.Outputs = []Output{}
	}
	_, err := WriteFile(filepath.Join(dir, RunFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(m)
	})
	return err
}

// Mismatch is an output whose bytes are not the ones recorded.
type Mismatch struct {
	Path     string
	Recorded string // SHA-256 in run.json
	Now      string // SHA-256 of the file now; "" when it is missing
}

func (x Mismatch) String() string {
	if x.Now == "" {
		return fmt.Sprintf("output %s: missing", x.Path)
	}
	return fmt.Sprintf("output %s: changed since lcity wrote it (recorded %s, now %s)", x.Path, Short(x.Recorded), Short(x.Now))
}

// Check hashes every recorded output of workspace dir and returns those
// whose bytes differ from the record, in path order. The index folder is
// only checked to exist.
func (m *Manifest) Check(dir string) ([]Mismatch, error) {
	var out []Mismatch
	for _, o := range m.Outputs {
		name := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(o.Path, "/")))
		if o.SHA256 == "" {
			if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
				out = append(out, Mismatch{Path: o.Path})
			}
			continue
		}
		d, err := HashFile(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, Mismatch{Path: o.Path, Recorded: o.SHA256})
		case err != nil:
			return nil, err
		case d.SHA256 != o.SHA256:
			out = append(out, Mismatch{Path: o.Path, Recorded: o.SHA256, Now: d.SHA256})
		}
	}
	return out, nil
}

// ErrModified reports a workspace file whose bytes are not those run.json
// records: edited by hand, or written by something other than lcity.
var ErrModified = errors.New("workspace file differs from what run.json records")

// CheckDigest compares the digest of a workspace file a stage read with
// its record, so that nothing is derived from a file edited by hand. A
// file run.json does not record is not checked.
func (m *Manifest) CheckDigest(rel string, d Digest) error {
	o, ok := m.Output(rel)
	if !ok || o.SHA256 == "" || o.SHA256 == d.SHA256 {
		return nil
	}
	return fmt.Errorf("%s: %w (recorded %s, now %s): it was edited after lcity wrote it; run lcity again (run --force, or the stage that writes it), or restore it",
		rel, ErrModified, Short(o.SHA256), Short(d.SHA256))
}

// CheckRead applies CheckDigest to what Scan read.
func (m *Manifest) CheckRead(r Read) error {
	if err := m.CheckDigest(PassagesFile, r.Passages); err != nil {
		return err
	}
	if r.WithCodings {
		return m.CheckDigest(CodingsFile, r.Codings)
	}
	return nil
}

// Short abbreviates a hash for messages.
func Short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
