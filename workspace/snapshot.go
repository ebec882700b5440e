package workspace

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
)

// SnapshotFiles are the small analysis outputs a snapshot holds in memory,
// so that pages built from them agree with its passages and index.
var SnapshotFiles = []string{ProfilesFile, ContrastsFile, SimilarityFile, SimilaritySVG, HeatmapSVG, DendrogramSVG, PCASVG}

// Snapshot is a consistent, read-only view of a workspace for a long-lived
// reader such as the web UI. It is opened under the Shared lock and keeps
// its files and index open for its whole life (on Unix an open file
// outlives its replacement by rename), so a run that replaces the
// workspace meanwhile does not change what the snapshot shows: passages
// are read at offsets recorded when it was opened, from the very files
// those offsets belong to, and each decoded ID is checked. Stale tells
// when a writer has finished and a new snapshot should be opened.
//
// A Snapshot is safe for concurrent use; Close must not race with reads.
type Snapshot struct {
	Dir string
	// Manifest is the workspace's run.json (nil when it has none).
	Manifest *Manifest
	// Documents are the workspace's documents, sorted by ID.
	Documents []corpus.Document
	Index     *index.Index

	docs      map[string]int
	passages  *os.File
	codings   *os.File // nil when the workspace has no codings
	passageAt map[string]int64
	codingAt  map[string][2]int64 // offset of the first row, number of rows
	files     map[string][]byte
	stamps    map[string]os.FileInfo
}

// OpenSnapshot opens a snapshot of workspace dir, holding the Shared lock
// (waiting up to wait for a writer) only while it opens the files. A
// workspace file that differs from its record in run.json is an error
// wrapping ErrModified.
func OpenSnapshot(dir string, wait time.Duration) (*Snapshot, error) {
	l, err := Acquire(dir, Shared, wait)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	s := &Snapshot{Dir: dir, docs: map[string]int{}, passageAt: map[string]int64{}, codingAt: map[string][2]int64{},
		files: map[string][]byte{}, stamps: map[string]os.FileInfo{}}
	opened := false
	defer func() {
		if !opened {
			s.Close()
		}
	}()
	for _, rel := range []string{RunFile, DocumentsFile, PassagesFile, CodingsFile} {
		if st, err := os.Stat(filepath.Join(dir, rel)); err == nil {
			s.stamps[rel] = st
		}
	}
	if s.Manifest, err = ReadManifest(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if s.Documents, err = ReadJSONL[corpus.Document](filepath.Join(dir, DocumentsFile)); err != nil {
		return nil, err
	}
	sort.Slice(s.Documents, func(i, j int) bool { return s.Documents[i].ID < s.Documents[j].ID })
	for i, d := range s.Documents {
		s.docs[d.ID] = i
	}
	var read Read
	if s.passages, read.Passages, err = s.offsets(PassagesFile, s.passageLine); err != nil {
		return nil, err
	}
	if s.codings, read.Codings, err = s.offsets(CodingsFile, s.codingLine); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	read.WithCodings = s.codings != nil
	if s.Manifest != nil {
		if err := s.Manifest.CheckRead(read); err != nil {
			return nil, err
		}
	}
	for _, rel := range SnapshotFiles {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err == nil {
			s.files[rel] = data
		}
	}
	if s.Index, err = index.Open(filepath.Join(dir, IndexDir)); err != nil {
		return nil, err
	}
	opened = true
	return s, nil
}

// offsets opens a workspace file, keeps it open and calls line for each of
// its lines with the line's offset; it returns the file and the digest of
// its bytes.
func (s *Snapshot) offsets(rel string, line func(b []byte, off int64, first bool)) (*os.File, Digest, error) {
	f, err := os.Open(filepath.Join(s.Dir, rel))
	if err != nil {
		return nil, Digest{}, err
	}
	hr := newHashingReader(f)
	r := bufio.NewReaderSize(hr, 1<<16)
	var off int64
	for first := true; ; first = false {
		b, err := r.ReadBytes('\n')
		if len(b) > 0 {
			line(b, off, first)
			off += int64(len(b))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return nil, Digest{}, fmt.Errorf("read %s: %w", rel, err)
		}
	}
	return f, hr.digest(), nil
}

func (s *Snapshot) passageLine(b []byte, off int64, _ bool) {
	var p struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(b, &p) == nil && p.ID != "" {
		s.passageAt[p.ID] = off
	}
}

func (s *Snapshot) codingLine(b []byte, off int64, first bool) {
	if first {
		return // the header
	}
	id, _, _ := bytes.Cut(b, []byte(","))
	at, ok := s.codingAt[string(id)]
	if !ok {
		at = [2]int64{off, 0}
	}
	at[1]++
	s.codingAt[string(id)] = at
}

// Document returns a document of the snapshot by ID.
func (s *Snapshot) Document(id string) (corpus.Document, bool) {
	i, ok := s.docs[id]
	if !ok {
		return corpus.Document{}, false
	}
	return s.Documents[i], true
}

// File returns one of SnapshotFiles as it was when the snapshot was
// opened; ok is false when the workspace did not have it.
func (s *Snapshot) File(rel string) (data []byte, ok bool) {
	data, ok = s.files[rel]
	return data, ok
}

// maxLine bounds the length of one line of passages.jsonl read back.
const maxLine = 64 << 20

// Passage reads a passage and its codings. ok is false when the snapshot
// has no passage id. A line that does not decode to the passage asked for
// is an error: the snapshot's files changed under it, which a workspace
// written by lcity never does.
func (s *Snapshot) Passage(id string) (p corpus.Passage, cs []corpus.Coding, ok bool, err error) {
	off, ok := s.passageAt[id]
	if !ok {
		return corpus.Passage{}, nil, false, nil
	}
	line, err := bufio.NewReader(io.NewSectionReader(s.passages, off, maxLine)).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return corpus.Passage{}, nil, false, err
	}
	if err := json.Unmarshal(line, &p); err != nil {
		return corpus.Passage{}, nil, false, fmt.Errorf("%s at byte %d: %w", PassagesFile, off, err)
	}
	if p.ID != id {
		return corpus.Passage{}, nil, false, fmt.Errorf("%s at byte %d holds passage %q, not %q: the file changed under the snapshot", PassagesFile, off, p.ID, id)
	}
	at, ok := s.codingAt[id]
	if !ok || s.codings == nil {
		return p, nil, true, nil
	}
	cr := csv.NewReader(io.NewSectionReader(s.codings, at[0], 1<<62))
	for i := int64(0); i < at[1]; i++ {
		rec, err := cr.Read()
		if err != nil {
			return p, nil, true, fmt.Errorf("%s at byte %d: %w", CodingsFile, at[0], err)
		}
		c, err := parseCoding(rec)
		if err != nil {
			return p, nil, true, fmt.Errorf("%s at byte %d: %w", CodingsFile, at[0], err)
		}
		if c.PassageID != id {
			return p, nil, true, fmt.Errorf("%s at byte %d holds a coding of %q, not %q: the file changed under the snapshot", CodingsFile, at[0], c.PassageID, id)
		}
		cs = append(cs, c)
	}
	return p, cs, true, nil
}

// Codings returns every coding of the snapshot, in file order (nil when
// the workspace has no codings), read from the file the snapshot opened.
func (s *Snapshot) Codings() ([]corpus.Coding, error) {
	if s.codings == nil {
		return nil, nil
	}
	var out []corpus.Coding
	err := scanCodings(io.NewSectionReader(s.codings, 0, 1<<62), CodingsFile, func(c corpus.Coding) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// Stale reports whether a writer has replaced run.json, documents.jsonl,
// passages.jsonl or codings.csv since the snapshot was opened.
func (s *Snapshot) Stale() bool {
	for _, rel := range []string{RunFile, DocumentsFile, PassagesFile, CodingsFile} {
		st, err := os.Stat(filepath.Join(s.Dir, rel))
		old, had := s.stamps[rel]
		switch {
		case err != nil && !had:
			continue
		case err != nil || !had:
			return true
		case !os.SameFile(st, old) || !st.ModTime().Equal(old.ModTime()) || st.Size() != old.Size():
			return true
		}
	}
	return false
}

// Close releases the snapshot's files and index.
func (s *Snapshot) Close() error {
	var errs []error
	if s.Index != nil {
		errs = append(errs, s.Index.Close())
	}
	for _, f := range []*os.File{s.passages, s.codings} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	return errors.Join(errs...)
}
