package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"1/1", Shard{1, 1}, true},
		{"2/8", Shard{2, 8}, true},
		{"8/8", Shard{8, 8}, true},
		{" 3 / 4 ", Shard{3, 4}, true},
		{"0/3", Shard{}, false},
		{"4/3", Shard{}, false},
		{"1/0", Shard{}, false},
		{"-1/3", Shard{}, false},
		{"3", Shard{}, false},
		{"a/b", Shard{}, false},
		{"", Shard{}, false},
		{"1/2/3", Shard{}, false},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		var u *UsageError
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParseShard(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.As(err, &u) {
			t.Errorf("ParseShard(%q) = %v, %v, want a usage error", tt.in, got, err)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/1", "2/8", "0/0", "9/3", "x", "1/-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := ParseShard(s)
		if err != nil {
			return
		}
		if sh.Index < 1 || sh.Index > sh.Count {
			t.Fatalf("ParseShard(%q) = %v, outside 1..N", s, sh)
		}
		if again, err := ParseShard(sh.String()); err != nil || again != sh {
			t.Fatalf("ParseShard(%q) = %v, %v, want %v", sh.String(), again, err, sh)
		}
	})
}

// textCorpus writes the sample's case studies as Markdown files (from
// corpus/sample/text) with a
// corpus.yaml into a new folder, plus extra files (name → content) with
// a manifest entry each, and returns the folder.
func textCorpus(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := corpus.Sample()
	var y strings.Builder
	y.WriteString("documents:\n")
	for _, e := range s.Manifest.Entries {
		id := corpus.DocID(e.City, e.Year)
		file := strings.TrimSuffix(id, fmt.Sprintf("-%d", e.Year)) + ".md"
		data, err := os.ReadFile(filepath.Join("..", "corpus", "sample", "text", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&y, "  - {file: %q, city: %q, country: %q, region: %q, year: %d, publication: %q}\n", file, e.City, e.Country, e.Region, e.Year, e.Publication)
	}
	names := make([]string, 0, len(extra))
	for n := range extra {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(extra[n]), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&y, "  - {file: %q, city: \"Extra %d\", country: Nowhere, region: Europe, year: 2017, publication: Extra}\n", n, i)
	}
	if err := os.WriteFile(filepath.Join(dir, corpus.ManifestName), []byte(y.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shardAndMerge runs every shard of n into its own partial workspace
// (workers differing from shard to shard) and merges them into a new
// workspace, which it returns.
func shardAndMerge(t *testing.T, base Config, n int) string {
	t.Helper()
	root := t.TempDir()
	var parts []string
	for i := 1; i <= n; i++ {
		cfg := base
		cfg.Out = filepath.Join(root, fmt.Sprintf("part%d", i))
		cfg.Shard = Shard{i, n}
		cfg.Workers = 1 + i%2
		if _, err := Run(context.Background(), cfg); err != nil && !errors.Is(err, ErrPartial) {
			t.Fatalf("Run(shard %d/%d) = %v", i, n, err)
		}
		parts = append(parts, cfg.Out)
	}
	// The order of the parts on the command line does not matter.
	rand.New(rand.NewPCG(uint64(n), 7)).Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	cfg := base
	cfg.Out = filepath.Join(root, "merged")
	if _, err := Merge(context.Background(), cfg, parts); err != nil && !errors.Is(err, ErrPartial) {
		t.Fatalf("Merge = %v", err)
	}
	return cfg.Out
}

// sameWorkspace fails the test when b's files differ from a's (byte for
// byte, the index aside) or its index answers queries differently.
func sameWorkspace(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := workspaceFiles(t, a), workspaceFiles(t, b)
	if _, ok := fa[workspace.RunFile]; !ok {
		t.Fatalf("%s has no %s", a, workspace.RunFile)
	}
	testenv.SameFiles(t, fa, fb, "the run", "the merged workspace")
	for _, q := range []index.Query{
		{Q: "learning", Limit: 1000},
		{Q: "partnership OR festival", Limit: 1000},
		{Q: "community", Region: "Europe", Limit: 1000},
		{Q: "library", Code: "charter.partnerships", Limit: 1000},
		{Q: "\"lifelong learning\"", Limit: 5},
	} {
		ra, err := Search(context.Background(), a, q)
		if err != nil {
			t.Fatalf("Search(%s, %+v) = %v", a, q, err)
		}
		rb, err := Search(context.Background(), b, q)
		if err != nil {
			t.Fatalf("Search(%s, %+v) = %v", b, q, err)
		}
		ja, _ := json.Marshal(ra)
		jb, _ := json.Marshal(rb)
		if !bytes.Equal(ja, jb) {
			t.Errorf("Search(%+v) differs:\n%s", q, testenv.FirstDiff(ja, jb, "run", "merged"))
		}
	}
}

// TestShardMergeIsRun is the contract of --shard and merge: the parts of
// a corpus, merged, are byte for byte the workspace one run makes.
func TestShardMergeIsRun(t *testing.T) {
	broken := "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
	tests := []struct {
		name   string
		corpus func(t *testing.T) string // "" is the embedded sample
		shards []int
	}{
		{"sample", func(*testing.T) string { return "" }, []int{3}},
		{"text", func(t *testing.T) string { return textCorpus(t, map[string]string{"broken.pdf": broken}) }, []int{1, 2, 5, 25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := testConfig("")
			base.Corpus.Path = tt.corpus(t)
			base.Out = filepath.Join(t.TempDir(), "run")
			base.Workers = 2
			if _, err := Run(context.Background(), base); err != nil && !errors.Is(err, ErrPartial) {
				t.Fatalf("Run = %v", err)
			}
			for _, n := range tt.shards {
				t.Run(fmt.Sprintf("%d-ways", n), func(t *testing.T) {
					merged := shardAndMerge(t, base, n)
					sameWorkspace(t, base.Out, merged)
					// A run on the merged workspace finds it up to date.
					cfg := base
					cfg.Out = merged
					res, err := Run(context.Background(), cfg)
					if (err != nil && !errors.Is(err, ErrPartial)) || !res.UpToDate {
						t.Errorf("Run on the merged workspace = %+v, %v, want it up to date", res, err)
					}
				})
			}
		})
	}
}

// TestShardSlices checks that the slices of a corpus are a partition of
// its input files, independent of the manifest's order, and balanced by
// size.
func TestShardSlices(t *testing.T) {
	dir := textCorpus(t, map[string]string{"big.md": strings.Repeat("A learning festival in the city.\n\n", 4000)})
	co, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := *co
	m := *co.Manifest
	m.Entries = append([]corpus.Entry(nil), m.Entries...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(m.Entries), func(i, j int) { m.Entries[i], m.Entries[j] = m.Entries[j], m.Entries[i] })
	shuffled.Manifest = &m
	total := len(ingest.Inputs(co))
	for _, n := range []int{1, 2, 3, 7, 18, 30} {
		seen := map[string]int{}
		var corpusSum string
		for i := 1; i <= n; i++ {
			a, ra, err := shardCorpus(co, Shard{i, n})
			if err != nil {
				t.Fatal(err)
			}
			b, rb, err := shardCorpus(&shuffled, Shard{i, n})
			if err != nil {
				t.Fatal(err)
			}
			if ra != rb {
				t.Errorf("shard %d/%d: record %+v, with the manifest shuffled %+v", i, n, ra, rb)
			}
			if corpusSum == "" {
				corpusSum = ra.Corpus
			} else if ra.Corpus != corpusSum {
				t.Errorf("shard %d/%d: corpus listing %s, shard 1 %s", i, n, ra.Corpus, corpusSum)
			}
			fa, fb := inputFiles(a), inputFiles(b)
			if strings.Join(fa, ",") != strings.Join(fb, ",") {
				t.Errorf("shard %d/%d: files %v, with the manifest shuffled %v", i, n, fa, fb)
			}
			if ra.Inputs != total {
				t.Errorf("shard %d/%d: inputs %d, want %d", i, n, ra.Inputs, total)
			}
			for _, f := range fa {
				seen[f]++
			}
			// big.md is larger than all the others together: with two
			// slices or more it is alone in its own.
			if n > 1 && len(fa) > 1 && contains(fa, "big.md") {
				t.Errorf("shard %d/%d: big.md shares its slice with %v", i, n, fa)
			}
			if n <= total && len(fa) == 0 {
				t.Errorf("shard %d/%d is empty with %d files", i, n, total)
			}
		}
		if len(seen) != total {
			t.Errorf("%d slices hold %d of %d files", n, len(seen), total)
		}
		for f, k := range seen {
			if k != 1 {
				t.Errorf("%d slices: %s is in %d of them", n, f, k)
			}
		}
	}
}

func inputFiles(co *corpus.Corpus) []string {
	var out []string
	for _, in := range ingest.Inputs(co) {
		out = append(out, in.File)
	}
	sort.Strings(out)
	return out
}

// TestMergeRefuses checks that parts that do not belong together are
// refused with an error naming the difference, and OUT is left alone.
func TestMergeRefuses(t *testing.T) {
	dir := textCorpus(t, nil)
	root := t.TempDir()
	mk := func(name string, sh Shard, edit func(*Config)) string {
		cfg := testConfig(filepath.Join(root, name))
		cfg.Corpus.Path = dir
		cfg.Shard = sh
		if edit != nil {
			edit(&cfg)
		}
		if _, err := Run(context.Background(), cfg); err != nil {
			t.Fatalf("Run(%s) = %v", name, err)
		}
		return cfg.Out
	}
	p1, p2, p3 := mk("p1", Shard{1, 3}, nil), mk("p2", Shard{2, 3}, nil), mk("p3", Shard{3, 3}, nil)
	seed := mk("seed", Shard{3, 3}, func(c *Config) { c.Analysis.Seed = 99 })
	halves := mk("half", Shard{2, 2}, nil)
	whole := mk("whole", Shard{}, nil)
	cb := mk("cb", Shard{3, 3}, func(c *Config) { c.Coding.Codebooks = []string{"charter"} })
	edited := copyWorkspace(t, p3)
	if err := os.WriteFile(filepath.Join(edited, workspace.PassagesFile), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := textCorpus(t, map[string]string{"more.md": "More text about the learning city.\n"})
	moved := mk("moved", Shard{3, 3}, func(c *Config) { c.Corpus.Path = other })
	out := filepath.Join(root, "out")

	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		{"missing", []string{p1, p3}, "shard 2/3 missing"},
		{"twice", []string{p1, p2, p2, p3}, "shard 2/3 is given twice"},
		{"count", []string{p1, p2, halves}, "cut 3 and 2 ways"},
		{"settings", []string{p1, p2, seed}, "different settings: seed 20150917 against 99"},
		{"codebooks", []string{p1, p2, cb}, "different settings: codebooks"},
		{"corpus", []string{p1, p2, moved}, "different corpora"},
		{"whole", []string{p1, p2, whole}, "is not a partial workspace"},
		{"edited", []string{p1, p2, edited}, "output passages.jsonl: changed since lcity wrote it"},
		{"out", []string{p1, p2, out}, "is both the output and a part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(out)
			_, err := Merge(context.Background(), cfg, tt.parts)
			var u *UsageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Merge = %v, want a usage error containing %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(out, workspace.RunFile)); err == nil {
				t.Errorf("Merge wrote %s/%s", out, workspace.RunFile)
			}
		})
	}
	// A stage that needs the whole corpus refuses a part.
	for name, stage := range map[string]func(context.Context, Config) (*Result, error){"Index": Index, "Analyze": Analyze, "Code": Code} {
		_, err := stage(context.Background(), testConfig(p1))
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "partial workspace of shard 1/3") {
			t.Errorf("%s(part) = %v, want a usage error naming the shard", name, err)
		}
	}
}

// FuzzMergeBlocks feeds merge's readers of a part's passages.jsonl and
// codings.csv arbitrary bytes: they never panic, and the blocks they find
// lie inside the file, one after the other.
func FuzzMergeBlocks(f *testing.F) {
	f.Add([]byte("{\"doc_id\":\"a\"}\n{\"doc_id\":\"a\"}\n{\"doc_id\":\"b\"}\n"),
		[]byte("passage_id,doc_id\np1,a\np2,\"a\"\np3,\"b\nc\"\n"))
	f.Add([]byte("{\"doc_id\":\"a\"}\n{\"doc_id\":\"b\"}\n{\"doc_id\":\"a\"}\n"), []byte("doc_id\nb\na\nb\n"))
	f.Add([]byte("{"), []byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, passages, codings []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, workspace.PassagesFile), passages, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, workspace.CodingsFile), codings, 0o644); err != nil {
			t.Fatal(err)
		}
		byID := map[string]*docBlock{"a": {id: "a"}, "b": {id: "b"}, "b\nc": {id: "b\nc"}}
		check := func(what string, size int, span func(*docBlock) [2]int64) {
			var spans [][2]int64
			for _, b := range byID {
				if s := span(b); s[1] > 0 {
					spans = append(spans, s)
				}
			}
			sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
			for i, s := range spans {
				if s[0] < 0 || s[0]+s[1] > int64(size) || (i > 0 && s[0] < spans[i-1][0]+spans[i-1][1]) {
					t.Fatalf("%s: block %v outside the file (%d bytes) or overlapping %v", what, s, size, spans)
				}
			}
		}
		if passageBlocks(dir, 0, byID) == nil {
			check("passages", len(passages), func(b *docBlock) [2]int64 { return b.passages })
		}
		if codingBlocks(dir, 0, byID) == nil {
			check("codings", len(codings), func(b *docBlock) [2]int64 { return b.codings })
		}
	})
}

// TestMergeReplacesWorkspace merges into a folder that already holds
// another workspace (a part of another corpus, with its texts, cache and
// shard record): what it held is gone, and the result is the run's.
func TestMergeReplacesWorkspace(t *testing.T) {
	want := sample(t)
	old := testConfig(filepath.Join(t.TempDir(), "out"))
	old.Corpus.Path = textCorpus(t, nil)
	old.Shard = Shard{1, 2}
	if _, err := Run(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	base := testConfig("")
	merged := shardAndMerge(t, base, 2)
	// The extraction cache keeps the entries of earlier runs, in a merge as
	// in a run (stale ones are never read): compare the rest.
	if err := os.RemoveAll(filepath.Join(old.Out, workspace.CacheDir)); err != nil {
		t.Fatal(err)
	}
	// Merge again, into the old workspace.
	var parts []string
	for i := 1; i <= 2; i++ {
		parts = append(parts, filepath.Join(filepath.Dir(merged), fmt.Sprintf("part%d", i)))
	}
	if _, err := Merge(context.Background(), testConfig(old.Out), parts); err != nil {
		t.Fatal(err)
	}
	sameWorkspace(t, want, old.Out)
}
