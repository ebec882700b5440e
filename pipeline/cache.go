package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// The extraction cache keeps each input file's ingest result under
// <out>/.cache/extract/, keyed by the file's SHA-256 (computed once per
// run, see prepare), the manifest entries it holds, the extraction
// settings, and the extractor and tool versions. A rerun with unchanged
// inputs, or one where only the codebooks changed, does not extract
// again. Results with a timeout, a crashed worker or too much memory are
// not cached (they depend on the machine and the limits), nor are those
// of a cancelled run. Supervised and in-process extraction give the same
// results, so they share the cache. Stale entries are never
// read; delete the folder to reclaim the space.

// cacheKey is the key of an input whose digest is known.
func cacheKey(in ingest.Input, opt ingest.Options) string {
	meta, _ := json.Marshal(struct {
		File, Tool, Extractor string
		Entries               []corpus.Entry
		MaxBytes              int64
		Fallback              string
	}{in.SHA256, Version, ingest.Version, in.Entries, opt.MaxBytes, opt.Fallback})
	k := sha256.Sum256(meta)
	return hex.EncodeToString(k[:])
}

func cachePath(out, key string) string {
	return filepath.Join(out, workspace.CacheDir, "extract", key+".gob")
}

// cached returns the cached result of an input, if any.
func cached(out, key string) (ingest.Result, bool) {
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

// store caches a result unless it holds a failure that depends on the
// machine (timeout, crashed, too-much-memory). The manifest's PDF
// passwords are not written (the key holds them only hashed).
func store(out, key string, res ingest.Result) error {
	for _, f := range res.Failures {
		switch f.Reason {
		case corpus.ReasonTimeout, corpus.ReasonCrashed, corpus.ReasonTooMuchMemory:
			return nil
		}
	}
	res.Input.Entries = append([]corpus.Entry(nil), res.Input.Entries...)
	for i := range res.Input.Entries {
		res.Input.Entries[i].Password = ""
	}
	_, err := workspace.WriteFile(cachePath(out, key), func(w io.Writer) error { return gob.NewEncoder(w).Encode(res) })
	return err
}
