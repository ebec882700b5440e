package pipeline

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
)

// countingFS counts the opens of each file and the bytes read from it.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
	bytes map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return &countingFile{File: f, fs: c, name: name}, nil
}

func (c *countingFS) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.opens, c.bytes = map[string]int{}, map[string]int{}
}

type countingFile struct {
	fs.File
	fs   *countingFS
	name string
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.fs.mu.Lock()
	f.fs.bytes[f.name] += n
	f.fs.mu.Unlock()
	return n, err
}

// TestInputsHashedOnce: a run opens each input once to hash it and once
// to extract it; a rerun with nothing to do, and a forced rerun served by
// the extraction cache, open it once; a file over the size limit is never
// read.
func TestInputsHashedOnce(t *testing.T) {
	files := fstest.MapFS{}
	var manifest strings.Builder
	manifest.WriteString("documents:\n")
	for _, city := range []string{"Cork", "Espoo", "Suwon"} {
		name := strings.ToLower(city) + ".md"
		files[name] = &fstest.MapFile{Data: []byte("# " + city + "\n\n## Learning\n\nThe learning festival of " + city + " brings families and partners together.\n")}
		manifest.WriteString("  - {file: " + name + ", city: " + city + ", region: Europe, year: 2015}\n")
	}
	files["big.md"] = &fstest.MapFile{Data: []byte(strings.Repeat("A long report about learning. ", 100))}
	manifest.WriteString("  - {file: big.md, city: Bigtown, region: Europe, year: 2015}\n")
	m, err := corpus.ParseManifest(strings.NewReader(manifest.String()), "corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfs := &countingFS{FS: files}
	co := &corpus.Corpus{Source: "mem", FS: cfs, Manifest: m, Display: func(f string) string { return "mem/" + f }}
	cfg := testConfig(filepath.Join(t.TempDir(), "out"))
	cfg.Corpus.Opened = co
	cfg.Ingest.MaxBytes = 1000
	for _, step := range []struct {
		name     string
		force    bool
		opens    int
		upToDate bool
	}{
		{"first run", false, 2, false},
		{"unchanged rerun", false, 1, true},
		{"forced rerun from the cache", true, 1, false},
	} {
		cfs.reset()
		cfg.Force = step.force
		res, err := Run(context.Background(), cfg)
		if err != ErrPartial || res.UpToDate != step.upToDate {
			t.Fatalf("%s: Run = %+v, %v; want ErrPartial (big.md is too large), up to date %v", step.name, res, err, step.upToDate)
		}
		for _, f := range []string{"cork.md", "espoo.md", "suwon.md"} {
			if cfs.opens[f] != step.opens {
				t.Errorf("%s: %s opened %d times, want %d", step.name, f, cfs.opens[f], step.opens)
			}
		}
		if cfs.bytes["big.md"] != 0 {
			t.Errorf("%s: read %d bytes of big.md, which is over --max-bytes", step.name, cfs.bytes["big.md"])
		}
	}
}
