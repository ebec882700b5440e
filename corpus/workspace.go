package corpus

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// Workspace file names (DESIGN.md).
const (
	DocumentsFile  = "documents.jsonl"
	PassagesFile   = "passages.jsonl"
	TextsDir       = "texts"
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
	LockFile       = ".lcity.lock"
)

// WriteFile writes a file atomically: to a temporary file in the same
// folder, synced, then renamed over name. A crash leaves either the old
// file or the new one, never a half-written one.
func WriteFile(name string, write func(w io.Writer) error) (err error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// WriteJSONL writes one JSON object per line.
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
	err := ScanJSONL(name, func(v T) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// ScanJSONL calls fn for each object of a JSON-lines file, in file order,
// holding one line in memory at a time.
func ScanJSONL[T any](name string, fn func(T) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
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
	return sc.Err()
}

// CodingsHeader is the header of codings.csv.
var CodingsHeader = []string{"passage_id", "doc_id", "city", "region", "page", "code_id", "score", "matches", "evidence"}

// FormatEvidence renders evidence as "term@start:end; term@start:end".
func FormatEvidence(ev []Evidence) string {
	parts := make([]string, len(ev))
	for i, e := range ev {
		parts[i] = fmt.Sprintf("%s@%d:%d", e.Term, e.Start, e.End)
	}
	return strings.Join(parts, "; ")
}

// ParseEvidence is the inverse of FormatEvidence.
func ParseEvidence(s string) ([]Evidence, error) {
	if s == "" {
		return nil, nil
	}
	var out []Evidence
	for _, part := range strings.Split(s, "; ") {
		at := strings.LastIndex(part, "@")
		if at < 0 {
			return nil, fmt.Errorf("evidence %q: want term@start:end", part)
		}
		a, b, ok := strings.Cut(part[at+1:], ":")
		start, err1 := strconv.Atoi(a)
		end, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || start < 0 || end < start {
			return nil, fmt.Errorf("evidence %q: bad offsets", part)
		}
		out = append(out, Evidence{Term: part[:at], Start: start, End: end})
	}
	return out, nil
}

// SortCodings orders codings by passage, then code.
func SortCodings(cs []Coding) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].PassageID != cs[j].PassageID {
			return cs[i].PassageID < cs[j].PassageID
		}
		return cs[i].CodeID < cs[j].CodeID
	})
}

// WriteCodings writes codings.csv: the header and cs.
func WriteCodings(w io.Writer, cs []Coding) error {
	cw := csv.NewWriter(w)
	cw.Write(CodingsHeader)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return AppendCodings(w, cs)
}

// AppendCodings writes the rows of cs without a header, for a codings.csv
// written in parts.
func AppendCodings(w io.Writer, cs []Coding) error {
	cw := csv.NewWriter(w)
	for _, c := range cs {
		cw.Write([]string{c.PassageID, c.DocID, c.City, c.Region, strconv.Itoa(c.Page), c.CodeID,
			strconv.FormatFloat(c.Score, 'f', -1, 64), strconv.Itoa(len(c.Evidence)), FormatEvidence(c.Evidence)})
	}
	cw.Flush()
	return cw.Error()
}

// ReadCodings reads codings.csv.
func ReadCodings(name string) ([]Coding, error) {
	var out []Coding
	err := ScanCodings(name, func(c Coding) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// ScanCodings calls fn for each row of codings.csv, in file order.
func ScanCodings(name string, fn func(Coding) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if strings.Join(head, ",") != strings.Join(CodingsHeader, ",") {
		return fmt.Errorf("%s: unexpected header %v", name, head)
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		page, err1 := strconv.Atoi(rec[4])
		score, err2 := strconv.ParseFloat(rec[6], 64)
		ev, err3 := ParseEvidence(rec[8])
		if err := errors.Join(err1, err2, err3); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if err := fn(Coding{PassageID: rec[0], DocID: rec[1], City: rec[2], Region: rec[3], Page: page,
			CodeID: rec[5], Score: score, Evidence: ev}); err != nil {
			return err
		}
	}
}

// SortFailures orders failures by source, then detail.
func SortFailures(fs []Failure) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Source != fs[j].Source {
			return fs[i].Source < fs[j].Source
		}
		return fs[i].Detail < fs[j].Detail
	})
}

// WriteFailures writes failures.csv (header only when nothing failed).
func WriteFailures(w io.Writer, fs []Failure) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"source", "reason", "detail"})
	for _, f := range fs {
		cw.Write([]string{f.Source, f.Reason, f.Detail})
	}
	cw.Flush()
	return cw.Error()
}

// ReadFailures reads failures.csv.
func ReadFailures(name string) ([]Failure, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []Failure
	for _, r := range recs[1:] {
		out = append(out, Failure{Source: r[0], Reason: r[1], Detail: r[2]})
	}
	return out, nil
}

// ErrLocked is returned by Lock when another lcity process holds the workspace.
var ErrLocked = errors.New("workspace is in use by another lcity process")

// Lock takes the workspace lock (a file holding the owner's PID). A lock
// left by a process that no longer runs is taken over. The returned
// function releases it.
func Lock(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	name := filepath.Join(dir, LockFile)
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		data, _ := os.ReadFile(name)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
		if perr == nil && pid > 0 && processAlive(pid) {
			return nil, fmt.Errorf("%s: %w (pid %d); remove %s if it is not running", dir, ErrLocked, pid, name)
		}
		os.Remove(name) // stale
	}
	return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// ScanWorkspace streams the workspace's passages with their codings (a
// merge of passages.jsonl and codings.csv, which are written in the same
// order) to fn. Codings of a passage that is not in passages.jsonl, or
// out of order, are an error.
func ScanWorkspace(out string, withCodings bool, fn func(p Passage, cs []Coding) error) error {
	passages := filepath.Join(out, PassagesFile)
	if !withCodings {
		return ScanJSONL(passages, func(p Passage) error { return fn(p, nil) })
	}
	codings := make(chan Coding, 256)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(codings)
		readErr <- ScanCodings(filepath.Join(out, CodingsFile), func(c Coding) error {
			select {
			case codings <- c:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	defer close(stop)
	next, more := <-codings
	err := ScanJSONL(passages, func(p Passage) error {
		var cs []Coding
		for more && next.PassageID == p.ID {
			cs = append(cs, next)
			next, more = <-codings
		}
		return fn(p, cs)
	})
	if err != nil {
		return err
	}
	if more {
		return fmt.Errorf("%s: coding of passage %s does not follow passages.jsonl's order or names an unknown passage; rerun lcity code",
			filepath.Join(out, CodingsFile), next.PassageID)
	}
	for range codings {
	}
	if err := <-readErr; err != nil && !errors.Is(err, errStopped) {
		return err
	}
	return nil
}

var errStopped = errors.New("stopped")
