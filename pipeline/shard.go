package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// A run can be split across machines (a Slurm array job, say): `lcity run
// --shard I/N` extracts and codes the I-th of N slices of the corpus into
// a partial workspace, and `lcity merge OUT PART...` combines the N parts
// and runs what is left (index, analysis, report) once, so that OUT is
// byte for byte the workspace a single `lcity run` of the whole corpus
// makes.
//
// The slices are cut by input file, the unit of extraction (a compilation
// PDF is split into its cities only after its whole text is read, and
// page furniture is recognised across all its pages, so it cannot be
// split between machines without changing its text). Every machine lists
// the whole corpus the same way: the input files, sorted by size
// (largest first, ties by path), are dealt one at a time to the slice with
// the fewest bytes so far (ties to the lowest number). The slices
// therefore depend only on the corpus — its paths, file sizes and
// manifest — never on the machine, its worker count or the order of the
// manifest, and their sizes are balanced. A slice may be empty (more
// slices than files); its partial workspace then holds no documents.
//
// A partial workspace holds what is done per document: documents.jsonl,
// passages.jsonl, texts/, failures.csv, codings.csv and codebooks/ of its
// slice, and a run.json recording the run's settings (the analysis
// settings included, for merge to analyse with), the inputs of its
// slice, and a "shard" record: I, N, the number of input files of the
// whole corpus and the SHA-256 of the whole corpus's listing. The index,
// the analysis and the report are not made in a part: they are made from
// all the passages, so merge makes them once; a part's index would be
// discarded, and its analysis of one slice of the cities would mislead.
// lcity index and lcity analyze refuse a partial workspace for that
// reason, and lcity code and learn too: a part coded again would no
// longer record the run the other parts record (run --shard again
// instead; the extraction cache spares the extraction).

// Shard selects one of Count slices of the corpus (Index is 1-based). The
// zero Shard is the whole corpus.
type Shard struct {
	Index, Count int
}

// ParseShard parses "I/N" (1 ≤ I ≤ N); a bad value is a *UsageError.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(strings.TrimSpace(i))
	b, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return Shard{}, Usagef("shard %q: want I/N with 1 ≤ I ≤ N, as in 2/8", s)
	}
	return Shard{Index: a, Count: b}, nil
}

// String is the shard as "I/N".
func (s Shard) String() string { return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count) }

// check reports a shard that cannot be run with cfg: one out of range,
// or one with a model, which needs every gold passage (--gold) or is not
// supported in parts (--model).
func (s Shard) check(cfg *Config) error {
	switch {
	case s == Shard{}:
		return nil
	case s.Index < 1 || s.Index > s.Count:
		return Usagef("shard %s: want I/N with 1 ≤ I ≤ N", s)
	case cfg.Coding.Gold != "" || cfg.Coding.Model != "":
		return Usagef("--shard codes with the codebooks only: learn a model (--gold) or apply one (--model) on the merged workspace")
	}
	return nil
}

// shardListing is one input file as the corpus listing records it.
type shardListing struct {
	Source  string         `json:"source"`
	Size    int64          `json:"size"`
	Entries []corpus.Entry `json:"entries"`
}

// shardCorpus returns the slice sh of co (a corpus with the manifest
// entries of the slice's files only) and the record of it for run.json.
func shardCorpus(co *corpus.Corpus, sh Shard) (*corpus.Corpus, workspace.Shard, error) {
	inputs := ingest.Inputs(co)
	list := make([]shardListing, len(inputs))
	for i, in := range inputs {
		size := int64(-1) // a missing file: it fails in the slice it is dealt to
		if st, err := fs.Stat(co.FS, in.File); err == nil {
			size = st.Size()
		}
		es := make([]corpus.Entry, len(in.Entries))
		for k, e := range in.Entries {
			e.Password = "" // not even its hash leaves the machine
			es[k] = e
		}
		list[i] = shardListing{Source: in.Source, Size: size, Entries: es}
	}
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := list[order[a]], list[order[b]]
		if x.Size != y.Size {
			return x.Size > y.Size
		}
		return x.Source < y.Source
	})
	sorted := make([]shardListing, len(list))
	for k, i := range order {
		sorted[k] = list[i]
	}
	data, err := json.Marshal(sorted)
	if err != nil {
		return nil, workspace.Shard{}, err
	}
	sum := sha256.Sum256(data)
	load := make([]int64, sh.Count)
	mine := map[string]bool{}
	for _, i := range order {
		best := 0
		for k := range load {
			if load[k] < load[best] {
				best = k
			}
		}
		load[best] += max(list[i].Size, 0) + 1
		if best == sh.Index-1 {
			mine[inputs[i].File] = true
		}
	}
	sub := *co
	m := *co.Manifest
	m.Entries = nil
	for _, e := range co.Manifest.Entries {
		if mine[e.File] {
			m.Entries = append(m.Entries, e)
		}
	}
	sub.Manifest = &m
	rec := workspace.Shard{Index: sh.Index, Count: sh.Count, Corpus: hex.EncodeToString(sum[:]), Inputs: len(inputs)}
	return &sub, rec, nil
}

// runShard is Run with cfg.Shard set: extract and code one slice of the
// corpus into a partial workspace.
func runShard(ctx context.Context, cfg Config, l *loaded) (*Result, error) {
	sub, rec, err := shardCorpus(l.corpus, cfg.Shard)
	if err != nil {
		return nil, err
	}
	defer cfg.prestart(sub)()
	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	in, err := prepare(ctx, &cfg, sub)
	if err != nil {
		return nil, err
	}
	var s workspace.Settings
	cfg.ingestSettings(sub, &s)
	s.Codebooks = cfg.Coding.Codebooks
	l.plan.record(&s)
	cfg.analysisSettings(l.hyp, &s)
	c, _, err := l.plan.coder(&cfg, w.m)
	if err != nil {
		return nil, err
	}
	got, err := stream(ctx, &cfg, sub, in.inputs, steps{coder: c})
	if err != nil {
		return nil, err
	}
	cbOuts, err := workspace.WriteCodebooks(cfg.Out, l.codebooks)
	if err != nil {
		return nil, err
	}
	if err := l.plan.removeStaleModel(cfg.Out); err != nil {
		return nil, err
	}
	if err := w.clear(workspace.StageIndex, workspace.StageAnalyze); err != nil {
		return nil, err
	}
	m := w.m
	m.Settings = s
	m.Inputs, _ = in.records()
	m.Notes = got.Notes
	m.Codebooks = workspace.CodebookRecords(l.codebooks)
	m.Counts = workspace.Counts{Documents: len(got.Docs), Passages: got.Passages, Codings: got.Codings, Failures: len(got.Failures)}
	m.SetOutputs(workspace.StageIngest, got.outputs[workspace.StageIngest])
	m.SetOutputs(workspace.StageCode, append(got.outputs[workspace.StageCode], cbOuts...))
	m.Shard = &rec
	if err := w.save(); err != nil {
		return nil, err
	}
	res.Documents, res.Passages, res.Codings = len(got.Docs), got.Passages, got.Codings
	res.Failures, res.Notes = got.Failures, got.Notes
	return res, res.Err()
}

// refusePartial is the error of a stage that needs the whole corpus run
// on a partial workspace.
func refusePartial(out string, m *workspace.Manifest) error {
	if m.Shard == nil {
		return nil
	}
	return Usagef("%s is the partial workspace of shard %d/%d: merge the parts first (lcity merge OUT PART...)", out, m.Shard.Index, m.Shard.Count)
}
