package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
)

// runManifest is run.json: what went in, with which settings, and what came
// out, with hashes. It holds no timestamps and no worker count, so that
// reruns give identical bytes.
type runManifest struct {
	Tool      string           `json:"tool"`
	Version   string           `json:"version"`
	GoVersion string           `json:"go_version"`
	Notice    string           `json:"notice,omitempty"`
	Settings  runSettings      `json:"settings"`
	Inputs    []inputRecord    `json:"inputs"`
	Codebooks []codebookRecord `json:"codebooks"`
	Counts    runCounts        `json:"counts"`
	Notes     []string         `json:"notes,omitempty"`
	Outputs   []outputRecord   `json:"outputs"`
}

type runSettings struct {
	Corpus string `json:"corpus"`
	// CorpusArg is --corpus as given (relative paths stay relative); the
	// documents' sources are recorded relative to it, so verify reruns
	// with it to compare like with like.
	CorpusArg    string   `json:"corpus_arg,omitempty"`
	Codebooks    []string `json:"codebooks,omitempty"`
	Seed         uint64   `json:"seed"`
	Weight       string   `json:"weight,omitempty"`
	Permutations int      `json:"permutations,omitempty"`
	MaxBytes     int64    `json:"max_bytes"`
	Timeout      string   `json:"timeout"`
	Extractors   []string `json:"extractors,omitempty"`
	Fallback     string   `json:"fallback,omitempty"`
	// Hypotheses is the hypothesis file analysed and its SHA-256.
	Hypotheses       string `json:"hypotheses,omitempty"`
	HypothesesSHA256 string `json:"hypotheses_sha256,omitempty"`
}

type inputRecord struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

type codebookRecord struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	Codes  int    `json:"codes"`
}

type runCounts struct {
	Documents int `json:"documents"`
	Passages  int `json:"passages"`
	Codings   int `json:"codings"`
	Failures  int `json:"failures"`
}

type outputRecord struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int64  `json:"bytes,omitempty"`
	// Note explains an output that is not hashed (the Bleve index, whose
	// internal files are not byte-stable).
	Note string `json:"note,omitempty"`
}

const sampleNotice = "corpus is lcity's embedded illustrative sample, written by the lcity authors; not UNESCO text"

// loadRunManifest reads run.json from a workspace, or returns a fresh one.
func loadRunManifest(out string) *runManifest {
	m := &runManifest{}
	data, err := os.ReadFile(filepath.Join(out, corpus.RunFile))
	if err == nil {
		json.Unmarshal(data, m)
	}
	m.Tool, m.Version, m.GoVersion = "lcity", Version, runtime.Version()
	return m
}

// save hashes every output in the workspace and writes run.json.
func (m *runManifest) save(out string) error {
	outs, err := hashOutputs(out)
	if err != nil {
		return err
	}
	m.Outputs = outs
	if m.Settings.Corpus == corpus.SampleSource {
		m.Notice = sampleNotice
	} else {
		m.Notice = ""
	}
	return corpus.WriteFile(filepath.Join(out, corpus.RunFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(m)
	})
}

// hashOutputs lists the workspace's files (but run.json, the lock and
// temporary files) with their SHA-256, sorted by path; the index folder is
// listed once, unhashed.
func hashOutputs(out string) ([]outputRecord, error) {
	var recs []outputRecord
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == index.DirName {
				recs = append(recs, outputRecord{Path: rel + "/", Note: "Bleve index; internal files are not byte-stable and are not hashed"})
				return fs.SkipDir
			}
			if strings.HasSuffix(rel, ".tmp") || strings.HasSuffix(rel, ".old") || (rel != "." && strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir // staging folders and the extraction cache
			}
			return nil
		}
		base := d.Name()
		if rel == corpus.RunFile || base == corpus.LockFile || strings.HasPrefix(base, ".") {
			return nil
		}
		sum, n, err := hashFile(p)
		if err != nil {
			return err
		}
		recs = append(recs, outputRecord{Path: rel, SHA256: sum, Bytes: n})
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Path < recs[j].Path })
	return recs, err
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
