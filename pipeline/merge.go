package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Merge combines the partial workspaces parts (made by Run with
// Config.Shard, shards 1..N each once) into the workspace cfg.Out and
// makes its index, analysis and report, so that cfg.Out is byte for byte
// what Run of the whole corpus makes with the same settings (the index
// folder aside, whose files Bleve does not write byte-stably). The parts
// must have been made by this lcity and Go version from the same corpus
// listing, with the same settings and codebooks; a difference is a
// *UsageError naming it. Merge takes the analysis settings from the
// parts; from cfg it uses Out, Workers, LockWait and Progress only. The
// parts' extraction caches are copied into cfg.Out, so that a later run
// there does not extract again. It returns ErrPartial (with the Result)
// when the parts recorded failed inputs.
func Merge(ctx context.Context, cfg Config, parts []string) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, Usagef("merge: no partial workspaces given")
	}
	ps, err := openParts(cfg.Out, parts)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, p := range ps {
			p.lock.Release()
		}
	}()
	first := ps[0].m
	s := first.Settings
	cfg.Coding.Codebooks = s.Codebooks
	cfg.Analysis = AnalysisConfig{Seed: s.Seed, Weight: s.Weight, Permutations: s.Permutations, Codebooks: s.AnalysisCodebooks}
	if s.Hypotheses != analysis.DefaultHypothesesSource {
		cfg.Analysis.Hypotheses = s.Hypotheses
	}
	l, err := cfg.load(needHypotheses)
	if err != nil {
		return nil, err
	}
	if l.hyp.SHA256 != s.HypothesesSHA256 {
		return nil, Usagef("hypotheses %s changed since the parts were made (SHA-256 %s, recorded %s)", s.Hypotheses, workspace.Short(l.hyp.SHA256), workspace.Short(s.HypothesesSHA256))
	}
	cbs, err := workspace.RecordedCodebooks(ps[0].dir, first, nil)
	if err != nil {
		return nil, usage(err)
	}
	acbs, err := analysisCodebooks(cbs, s.AnalysisCodebooks)
	if err != nil {
		return nil, err
	}

	w, res, err := begin(&cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := w.clear(workspace.StageIngest, workspace.StageCode, workspace.StageIndex, workspace.StageAnalyze); err != nil {
		return nil, err
	}
	*w.m = workspace.Manifest{Tool: "lcity", Version: Version, GoVersion: runtime.Version()}
	// Until the merge is done, run.json records an empty workspace, not
	// the outputs just removed.
	if err := w.save(); err != nil {
		return nil, err
	}
	m := w.m
	m.Settings = s
	m.Codebooks = first.Codebooks

	docs, err := mergeIngest(ctx, &cfg, ps, m)
	if err != nil {
		return nil, err
	}
	cbOuts, err := workspace.WriteCodebooks(cfg.Out, cbs)
	if err != nil {
		return nil, err
	}
	m.SetOutputs(workspace.StageCode, append(m.StageOutputs(workspace.StageCode), cbOuts...))
	if err := copyCaches(cfg.Out, ps); err != nil {
		return nil, err
	}
	_, rec, err := reindex(ctx, &cfg, m)
	if err != nil {
		return nil, err
	}
	m.SetOutputs(workspace.StageIndex, []workspace.Output{workspace.IndexOutput()})
	m.SetReview(workspace.StageIndex, rec)
	if docs > 0 {
		source := s.CorpusArg
		if source == "" {
			source = s.Corpus
		}
		outs, rec, err := analyzeWorkspace(ctx, &cfg, m, acbs, l.hyp, source, &Result{})
		if err != nil {
			return nil, err
		}
		m.SetOutputs(workspace.StageAnalyze, outs)
		m.SetReview(workspace.StageAnalyze, rec)
		res.Review = rec
	}
	if err := w.save(); err != nil {
		return nil, err
	}
	res.Documents, res.Passages, res.Codings = m.Counts.Documents, m.Counts.Passages, m.Counts.Codings
	res.Failures, err = workspace.ReadFailures(filepath.Join(cfg.Out, workspace.FailuresFile))
	if err != nil {
		return nil, err
	}
	res.Notes = m.Notes
	return res, res.Err()
}

// part is a partial workspace being merged, under its Shared lock.
type part struct {
	dir  string
	lock *workspace.Lock
	m    *workspace.Manifest
}

// openParts locks and reads the parts and checks that they belong
// together: each a partial workspace, intact, made by this lcity from the
// same corpus with the same settings and codebooks, shards 1..N each
// once, none of them out.
func openParts(out string, dirs []string) (ps []part, err error) {
	defer func() {
		if err != nil {
			for _, p := range ps {
				p.lock.Release()
			}
			ps = nil
		}
	}()
	absOut, _ := filepath.Abs(out)
	for _, dir := range dirs {
		if abs, _ := filepath.Abs(dir); abs == absOut {
			return ps, Usagef("merge: %s is both the output and a part; merge into a new folder", dir)
		}
		l, err := openReader(dir, 0)
		if err != nil {
			return ps, err
		}
		m, err := readManifest(dir)
		if err != nil {
			l.Release()
			return ps, err
		}
		ps = append(ps, part{dir: dir, lock: l, m: m})
		if m.Shard == nil {
			return ps, Usagef("merge: %s is not a partial workspace (made by lcity run --shard I/N)", dir)
		}
		if m.Version != Version || m.GoVersion != runtime.Version() {
			return ps, Usagef("merge: %s was made by lcity %s (%s), this is lcity %s (%s): make every part with the same lcity as the merge",
				dir, m.Version, m.GoVersion, Version, runtime.Version())
		}
		bad, err := m.Check(dir)
		if err != nil {
			return ps, err
		}
		if len(bad) > 0 {
			return ps, Usagef("merge: %s: %s", dir, bad[0])
		}
	}
	a := ps[0]
	byIndex := map[int]string{}
	for _, p := range ps {
		sh, sa := p.m.Shard, a.m.Shard
		switch {
		case sh.Count != sa.Count:
			return ps, Usagef("merge: %s is shard %d/%d but %s is shard %d/%d: the parts were cut %d and %d ways", a.dir, sa.Index, sa.Count, p.dir, sh.Index, sh.Count, sa.Count, sh.Count)
		case sh.Corpus != sa.Corpus || sh.Inputs != sa.Inputs:
			return ps, Usagef("merge: %s and %s were cut from different corpora (listing SHA-256 %s of %d files, %s of %d files): the corpus's files, sizes or manifest changed between the shards",
				a.dir, p.dir, workspace.Short(sa.Corpus), sa.Inputs, workspace.Short(sh.Corpus), sh.Inputs)
		}
		if d := differing(a.m.Settings, p.m.Settings); len(d) > 0 {
			return ps, Usagef("merge: %s and %s were made with different settings: %s", a.dir, p.dir, strings.Join(d, "; "))
		}
		if d := differing(a.m.Codebooks, p.m.Codebooks); len(d) > 0 {
			return ps, Usagef("merge: %s and %s were coded with different codebooks: %s", a.dir, p.dir, strings.Join(d, "; "))
		}
		if prev, dup := byIndex[sh.Index]; dup {
			return ps, Usagef("merge: shard %d/%d is given twice: %s and %s", sh.Index, sh.Count, prev, p.dir)
		}
		byIndex[sh.Index] = p.dir
	}
	var missing []string
	for i := 1; i <= a.m.Shard.Count; i++ {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, a.m.Shard.Count))
		}
	}
	if len(missing) > 0 {
		return ps, Usagef("merge: shard %s missing: give all %d parts", strings.Join(missing, ", "), a.m.Shard.Count)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].m.Shard.Index < ps[j].m.Shard.Index })
	return ps, nil
}

// differing names the fields (by their JSON names) in which a and b
// differ, with both values.
func differing(a, b any) []string {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	if bytes.Equal(x, y) {
		return nil
	}
	var ma, mb map[string]any
	if json.Unmarshal(x, &ma) != nil || json.Unmarshal(y, &mb) != nil {
		return []string{fmt.Sprintf("%s against %s", x, y)}
	}
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		u, _ := json.Marshal(ma[k])
		v, _ := json.Marshal(mb[k])
		if !bytes.Equal(u, v) {
			out = append(out, fmt.Sprintf("%s %s against %s", k, u, v))
		}
	}
	sort.Strings(out)
	return out
}

// docBlock is one document's bytes in a part: its line of documents.jsonl
// and its blocks of passages.jsonl and codings.csv.
type docBlock struct {
	part     int
	id       string
	line     []byte
	passages [2]int64 // offset, length
	codings  [2]int64
}

// mergeIngest writes documents.jsonl, passages.jsonl, codings.csv,
// failures.csv and texts/ of out from the parts, every document in ID
// order as a run writes them, and records them with the inputs, counts
// and notes in m. It returns the number of documents.
func mergeIngest(ctx context.Context, cfg *Config, ps []part, m *workspace.Manifest) (int, error) {
	var blocks []*docBlock
	byID := map[string]*docBlock{}
	var fails []corpus.Failure
	inputs := map[string]workspace.Input{}
	for k, p := range ps {
		n := len(blocks)
		err := scanLines(filepath.Join(p.dir, workspace.DocumentsFile), func(line []byte, _ int64) error {
			var d struct {
				ID     string `json:"id"`
				Source string `json:"source"`
			}
			if err := json.Unmarshal(line, &d); err != nil {
				return err
			}
			if prev, dup := byID[d.ID]; dup {
				return Usagef("merge: document %s is in both %s and %s", d.ID, ps[prev.part].dir, p.dir)
			}
			b := &docBlock{part: k, id: d.ID, line: bytes.Clone(line)}
			blocks = append(blocks, b)
			byID[d.ID] = b
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("%s: %w", p.dir, err)
		}
		if err := passageBlocks(p.dir, k, byID); err != nil {
			return 0, err
		}
		if err := codingBlocks(p.dir, k, byID); err != nil {
			return 0, err
		}
		f, err := workspace.ReadFailures(filepath.Join(p.dir, workspace.FailuresFile))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
		fails = append(fails, f...)
		for _, in := range p.m.Inputs {
			if _, dup := inputs[in.Path]; dup {
				return 0, Usagef("merge: input %s is in more than one part", in.Path)
			}
			inputs[in.Path] = in
		}
		m.Notes = append(m.Notes, p.m.Notes...)
		c := p.m.Counts
		m.Counts.Documents += c.Documents
		m.Counts.Passages += c.Passages
		m.Counts.Codings += c.Codings
		m.Counts.Failures += c.Failures
		if len(blocks)-n != c.Documents {
			return 0, Usagef("merge: %s holds %d documents, its run.json records %d", p.dir, len(blocks)-n, c.Documents)
		}
	}
	if want := ps[0].m.Shard.Inputs; len(inputs) != want {
		return 0, Usagef("merge: the parts hold %d input files, the corpus they were cut from has %d", len(inputs), want)
	}
	for _, in := range inputs {
		m.Inputs = append(m.Inputs, in)
	}
	sort.Slice(m.Inputs, func(i, j int) bool { return m.Inputs[i].Path < m.Inputs[j].Path })
	sort.Strings(m.Notes)
	corpus.SortFailures(fails)
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].id < blocks[j].id })

	files := make([]*os.File, len(ps)*2)
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	for k, p := range ps {
		for j, name := range []string{workspace.PassagesFile, workspace.CodingsFile} {
			f, err := os.Open(filepath.Join(p.dir, name))
			if err != nil {
				return 0, err
			}
			files[2*k+j] = f
		}
	}
	copyBlocks := func(w io.Writer, j int) error {
		for _, b := range blocks {
			if err := ctx.Err(); err != nil {
				return err
			}
			span := b.passages
			if j == 1 {
				span = b.codings
			}
			if _, err := io.Copy(w, io.NewSectionReader(files[2*b.part+j], span[0], span[1])); err != nil {
				return err
			}
		}
		return nil
	}
	var ingestOuts, codeOuts []workspace.Output
	write := func(outs *[]workspace.Output, rel string, fn func(io.Writer) error) error {
		d, err := workspace.WriteFile(filepath.Join(cfg.Out, filepath.FromSlash(rel)), fn)
		if err != nil {
			return err
		}
		*outs = append(*outs, workspace.NewOutput(rel, d))
		return nil
	}
	steps := []struct {
		outs *[]workspace.Output
		rel  string
		fn   func(io.Writer) error
	}{
		{&ingestOuts, workspace.DocumentsFile, func(w io.Writer) error {
			for _, b := range blocks {
				if _, err := w.Write(b.line); err != nil {
					return err
				}
			}
			return nil
		}},
		{&ingestOuts, workspace.PassagesFile, func(w io.Writer) error { return copyBlocks(w, 0) }},
		{&codeOuts, workspace.CodingsFile, func(w io.Writer) error {
			if err := workspace.WriteCodings(w, nil); err != nil {
				return err
			}
			return copyBlocks(w, 1)
		}},
		{&ingestOuts, workspace.FailuresFile, func(w io.Writer) error { return workspace.WriteFailures(w, fails) }},
	}
	for _, st := range steps {
		if err := write(st.outs, st.rel, st.fn); err != nil {
			return 0, err
		}
	}
	// texts/ is written as the stream writes it: into texts.tmp/ (a
	// leftover of an interrupted run), renamed into place when complete.
	tmp := filepath.Join(cfg.Out, workspace.TextsDir+".tmp")
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	for i, b := range blocks {
		rel := workspace.TextFile(b.id)
		d, err := copyText(filepath.Join(ps[b.part].dir, filepath.FromSlash(rel)), filepath.Join(tmp, b.id+".txt"))
		if err != nil {
			return 0, err
		}
		ingestOuts = append(ingestOuts, workspace.NewOutput(rel, d))
		cfg.progress("merge", i+1, len(blocks))
	}
	texts := filepath.Join(cfg.Out, workspace.TextsDir)
	if err := os.RemoveAll(texts); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, texts); err != nil {
		return 0, err
	}
	m.SetOutputs(workspace.StageIngest, ingestOuts)
	m.SetOutputs(workspace.StageCode, codeOuts)
	return len(blocks), nil
}

// copyText copies a document's text and returns its digest.
func copyText(src, dst string) (workspace.Digest, error) {
	in, err := os.Open(src)
	if err != nil {
		return workspace.Digest{}, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return workspace.Digest{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return workspace.Digest{SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, err
}

// scanLines calls fn with each line of a file (its newline included) and
// the line's offset.
func scanLines(name string, fn func(line []byte, off int64) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	var off int64
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				return fmt.Errorf("%s: last line has no newline", name)
			}
			if err := fn(line, off); err != nil {
				return err
			}
			off += int64(len(line))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// passageBlocks finds each document's block of passages.jsonl in part k:
// the document's passages are consecutive lines.
func passageBlocks(dir string, k int, byID map[string]*docBlock) error {
	name := filepath.Join(dir, workspace.PassagesFile)
	last := ""
	return scanLines(name, func(line []byte, off int64) error {
		var p struct {
			DocID string `json:"doc_id"`
		}
		if err := json.Unmarshal(line, &p); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		b := byID[p.DocID]
		if b == nil || b.part != k {
			return Usagef("merge: %s: passage of document %q, which is not in its documents.jsonl", name, p.DocID)
		}
		if p.DocID != last && b.passages[1] > 0 {
			return Usagef("merge: %s: the passages of document %s are not together", name, p.DocID)
		}
		if b.passages[1] == 0 {
			b.passages[0] = off
		}
		b.passages[1] += int64(len(line))
		last = p.DocID
		return nil
	})
}

// codingBlocks finds each document's block of codings.csv in part k (a
// CSV record may span lines, so the blocks are found by the CSV reader's
// offsets).
func codingBlocks(dir string, k int, byID map[string]*docBlock) error {
	name := filepath.Join(dir, workspace.CodingsFile)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	col := -1
	for i, h := range head {
		if h == "doc_id" {
			col = i
		}
	}
	if col < 0 {
		return Usagef("merge: %s has no doc_id column", name)
	}
	off := r.InputOffset()
	last := ""
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		end := r.InputOffset()
		id := rec[col]
		b := byID[id]
		if b == nil || b.part != k {
			return Usagef("merge: %s: coding of document %q, which is not in its documents.jsonl", name, id)
		}
		if id != last && b.codings[1] > 0 {
			return Usagef("merge: %s: the codings of document %s are not together", name, id)
		}
		if b.codings[1] == 0 {
			b.codings[0] = off
		}
		b.codings[1] += end - off
		off, last = end, id
	}
}

// copyCaches copies the parts' extraction caches into out (entries are
// named by their key, so a copy never replaces a different result).
func copyCaches(out string, ps []part) error {
	for _, p := range ps {
		src := filepath.Join(p.dir, workspace.CacheDir, "extract")
		es, err := os.ReadDir(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range es {
			if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".gob") {
				continue
			}
			dst := filepath.Join(out, workspace.CacheDir, "extract", e.Name())
			if _, err := os.Stat(dst); err == nil {
				continue
			}
			if _, err := workspace.WriteFile(dst, func(w io.Writer) error {
				f, err := os.Open(filepath.Join(src, e.Name()))
				if err != nil {
					return err
				}
				defer f.Close()
				_, err = io.Copy(w, f)
				return err
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
