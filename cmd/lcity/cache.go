package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

// The extraction cache keeps each input file's ingest result under
// <out>/.cache/extract/, keyed by the file's SHA-256, the manifest entries
// it holds, the extraction settings and the extractor and tool versions.
// A rerun with unchanged inputs, or one where only the codebooks changed,
// does not extract again. Results with a timeout are not cached (they
// depend on the machine). Stale entries are never read; delete the folder
// to reclaim the space.

const cacheDir = ".cache/extract"

func cacheKey(fsys fs.FS, in ingest.Input, opt ingest.Options) (string, error) {
	f, err := fsys.Open(in.File)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	meta, _ := json.Marshal(struct {
		File, Tool, Extractor string
		Entries               []corpus.Entry
		MaxBytes              int64
		Fallback              string
	}{hex.EncodeToString(h.Sum(nil)), Version, ingest.Version, in.Entries, opt.MaxBytes, opt.Fallback})
	k := sha256.Sum256(meta)
	return hex.EncodeToString(k[:]), nil
}

func cachePath(out, key string) string {
	return filepath.Join(out, filepath.FromSlash(cacheDir), key+".gob")
}

// cachedFile returns the cached result of an input, if any.
func cachedFile(out, key string) (ingest.Result, bool) {
	data, err := os.ReadFile(cachePath(out, key))
	if err != nil {
		return ingest.Result{}, false
	}
	var res ingest.Result
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&res); err != nil {
		return ingest.Result{}, false
	}
	return res, true
}

// storeFile caches a result unless it holds a timeout.
func storeFile(out, key string, res ingest.Result) error {
	for _, f := range res.Failures {
		if f.Reason == corpus.ReasonTimeout {
			return nil
		}
	}
	return corpus.WriteFile(cachePath(out, key), func(w io.Writer) error { return gob.NewEncoder(w).Encode(res) })
}

// upToDate reports whether the workspace's run.json records exactly this
// run: the same tool and Go version, settings, codebooks, hypotheses and
// input files (by SHA-256), with every recorded output still intact. Then
// there is nothing to do.
func (o *options) upToDate(c *corpus.Corpus, cbs []*coding.Codebook, hyp *analysis.Hypotheses) (*runManifest, bool) {
	data, err := os.ReadFile(filepath.Join(o.out, corpus.RunFile))
	if err != nil {
		return nil, false
	}
	m, err := parseRunManifest(data)
	if err != nil || m.Version != Version || m.GoVersion != runtime.Version() {
		return nil, false
	}
	s := o.settings(c)
	if m.Counts.Documents > 0 {
		s.Hypotheses, s.HypothesesSHA256 = hyp.Source, hyp.SHA256
	}
	same := func(a, b any) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return bytes.Equal(x, y)
	}
	if !same(m.Settings, s) || !same(m.Codebooks, codebookRecords(cbs)) {
		return nil, false
	}
	var inputs []inputRecord
	for _, in := range ingest.Inputs(c) {
		f, err := c.FS.Open(in.File)
		if err != nil {
			return nil, false
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, false
		}
		inputs = append(inputs, inputRecord{Path: in.Source, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	if !same(m.Inputs, inputs) || len(m.Outputs) == 0 {
		return nil, false
	}
	for _, out := range m.Outputs {
		p := filepath.Join(o.out, filepath.FromSlash(out.Path))
		if out.SHA256 == "" {
			if _, err := os.Stat(p); err != nil {
				return nil, false
			}
			continue
		}
		if sum, _, err := hashFile(p); err != nil || sum != out.SHA256 {
			return nil, false
		}
	}
	return m, true
}
