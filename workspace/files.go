package workspace

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcity/lcity/index"
)

// Workspace file names (DESIGN.md). Paths are relative to the workspace
// folder and use forward slashes, as run.json records them.
//
// documents.jsonl is sorted by document ID. passages.jsonl lists the
// passages by document ID and, within a document, in reading order (by
// Start), and codings.csv follows the same order: passage IDs are hashes
// of the text (corpus.PassageIDs), so sorting by them would scramble the
// documents, and every reader wants reading order (KWIC lines, the
// report's quotations, exports, the web UI, cross-validation folds).
const (
	DocumentsFile  = "documents.jsonl"
	PassagesFile   = "passages.jsonl"
	TextsDir       = "texts"
	CodebooksDir   = "codebooks"
	IndexDir       = index.DirName
	CodingsFile    = "codings.csv"
	FailuresFile   = "failures.csv"
	ProfilesFile   = "profiles.csv"
	SimilarityFile = "similarity.csv"
	ContrastsFile  = "contrasts.csv"
	ReportMD       = "report.md"
	ReportHTML     = "report.html"
	SimilaritySVG  = "similarity.svg"
	HeatmapSVG     = "heatmap.svg"
	DendrogramSVG  = "dendrogram.svg"
	PCASVG         = "pca.svg"
	CrosstabFile   = "crosstab.csv"
	CoOccurFile    = "cooccurrence.csv"
	ClustersFile   = "clusters.csv"
	HypothesesFile = "hypotheses.csv"
	FocusFile      = "focus_check.csv"
	RunFile        = "run.json"
	ModelFile      = "model.json"
	// CacheDir holds the extraction cache; it is not an output.
	CacheDir = ".cache"
)

// TextFile is the path of a document's cleaned text inside the workspace.
func TextFile(docID string) string { return TextsDir + "/" + docID + ".txt" }

// Digest is the SHA-256 (hex) and size of a file's bytes.
type Digest struct {
	SHA256 string
	Bytes  int64
}

// hashingWriter passes writes through and hashes and counts them.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newHashingWriter(w io.Writer) *hashingWriter { return &hashingWriter{w: w, h: sha256.New()} }

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

func (hw *hashingWriter) digest() Digest {
	return Digest{SHA256: hex.EncodeToString(hw.h.Sum(nil)), Bytes: hw.n}
}

// WriteFile writes a file atomically: to a temporary file in the same
// folder, synced, made readable (0644), then renamed over name, so a crash
// leaves either the old file or the new one, never a half-written one. It
// returns the SHA-256 and size of what it wrote, so that the stage that
// writes an output is the one that records its hash.
func WriteFile(name string, write func(w io.Writer) error) (d Digest, err error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return Digest{}, err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return Digest{}, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	hw := newHashingWriter(bw)
	if err := write(hw); err != nil {
		return Digest{}, fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return Digest{}, fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return Digest{}, err
	}
	if err := f.Close(); err != nil {
		return Digest{}, err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return Digest{}, err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return Digest{}, err
	}
	return hw.digest(), nil
}

// HashFile returns the SHA-256 and size of a file.
func HashFile(name string) (Digest, error) {
	f, err := os.Open(name)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Digest{}, err
	}
	return Digest{SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, nil
}

// WriteJSONL writes one JSON object per line, HTML characters unescaped.
func WriteJSONL[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range items {
		if err := enc.Encode(items[i]); err != nil {
			return err
		}
	}
	return nil
}

// ReadJSONL reads a file of one JSON object per line.
func ReadJSONL[T any](name string) ([]T, error) {
	var out []T
	_, err := ScanJSONL(name, func(v T) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// ScanJSONL calls fn for each object of a JSON-lines file, in file order,
// holding one line in memory at a time, and returns the digest of the
// bytes it read (complete only when it read the whole file).
func ScanJSONL[T any](name string, fn func(T) error) (Digest, error) {
	f, err := os.Open(name)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	hr := newHashingReader(f)
	err = scanJSONL(hr, name, fn)
	return hr.digest(), err
}

func scanJSONL[T any](r io.Reader, name string, fn func(T) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, n+1, err)
	}
	return nil
}

// hashingReader hashes and counts what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func newHashingReader(r io.Reader) *hashingReader { return &hashingReader{r: r, h: sha256.New()} }

func (hr *hashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.n += int64(n)
	return n, err
}

func (hr *hashingReader) digest() Digest {
	return Digest{SHA256: hex.EncodeToString(hr.h.Sum(nil)), Bytes: hr.n}
}
