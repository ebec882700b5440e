package workspace

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lcity/lcity/corpus"
)

// CodingsHeader is the header of codings.csv. source is dictionary, model,
// both, or human (a coding added by hand, in a file of reviewed codings); confidence is the model's probability, empty when no model was
// applied.
var CodingsHeader = []string{"passage_id", "doc_id", "city", "region", "page", "code_id", "score", "matches", "evidence", "source", "confidence"}

// oldCodingsHeader is codings.csv's header before lcity 0.2 (no source or
// confidence); such files are still read.
var oldCodingsHeader = CodingsHeader[:9]

// FormatEvidence renders evidence as "term@start:end; term@start:end".
func FormatEvidence(ev []corpus.Evidence) string {
	parts := make([]string, len(ev))
	for i, e := range ev {
		parts[i] = fmt.Sprintf("%s@%d:%d", e.Term, e.Start, e.End)
	}
	return strings.Join(parts, "; ")
}

// ParseEvidence is the inverse of FormatEvidence.
func ParseEvidence(s string) ([]corpus.Evidence, error) {
	if s == "" {
		return nil, nil
	}
	var out []corpus.Evidence
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
		out = append(out, corpus.Evidence{Term: part[:at], Start: start, End: end})
	}
	return out, nil
}

// WriteCodings writes codings.csv: the header and cs.
func WriteCodings(w io.Writer, cs []corpus.Coding) error {
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
func AppendCodings(w io.Writer, cs []corpus.Coding) error {
	cw := csv.NewWriter(w)
	for _, c := range cs {
		conf := ""
		if c.Confidence != nil {
			conf = strconv.FormatFloat(*c.Confidence, 'f', 6, 64)
		}
		cw.Write([]string{c.PassageID, c.DocID, c.City, c.Region, strconv.Itoa(c.Page), c.CodeID,
			strconv.FormatFloat(c.Score, 'f', -1, 64), strconv.Itoa(len(c.Evidence)), FormatEvidence(c.Evidence), c.From(), conf})
	}
	cw.Flush()
	return cw.Error()
}

// ReadCodings reads codings.csv.
func ReadCodings(name string) ([]corpus.Coding, error) {
	var out []corpus.Coding
	_, err := ScanCodings(name, func(c corpus.Coding) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// ScanCodings calls fn for each row of codings.csv, in file order, and
// returns the digest of the bytes it read.
func ScanCodings(name string, fn func(corpus.Coding) error) (Digest, error) {
	f, err := os.Open(name)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	hr := newHashingReader(f)
	err = scanCodings(hr, name, fn)
	return hr.digest(), err
}

func scanCodings(r io.Reader, name string, fn func(corpus.Coding) error) error {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if h := strings.Join(head, ","); h != strings.Join(CodingsHeader, ",") && h != strings.Join(oldCodingsHeader, ",") {
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
		c, err := parseCoding(rec)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
}

// parseCoding decodes one row of codings.csv.
func parseCoding(rec []string) (corpus.Coding, error) {
	if len(rec) != len(CodingsHeader) && len(rec) != len(oldCodingsHeader) {
		return corpus.Coding{}, fmt.Errorf("%d fields, want %d", len(rec), len(CodingsHeader))
	}
	page, err1 := strconv.Atoi(rec[4])
	score, err2 := strconv.ParseFloat(rec[6], 64)
	ev, err3 := ParseEvidence(rec[8])
	if err := errors.Join(err1, err2, err3); err != nil {
		return corpus.Coding{}, err
	}
	c := corpus.Coding{PassageID: rec[0], DocID: rec[1], City: rec[2], Region: rec[3], Page: page,
		CodeID: rec[5], Score: score, Evidence: ev}
	if len(rec) == len(CodingsHeader) {
		switch rec[9] {
		case corpus.SourceDictionary:
		case corpus.SourceModel, corpus.SourceBoth, corpus.SourceHuman:
			c.Source = rec[9]
		default:
			return corpus.Coding{}, fmt.Errorf("source %q: want %s, %s, %s or %s", rec[9], corpus.SourceDictionary, corpus.SourceModel, corpus.SourceBoth, corpus.SourceHuman)
		}
		if rec[10] != "" {
			p, err := strconv.ParseFloat(rec[10], 64)
			if err != nil || p < 0 || p > 1 {
				return corpus.Coding{}, fmt.Errorf("confidence %q: want a probability", rec[10])
			}
			c.Confidence = &p
		}
	}
	return c, nil
}

// WriteFailures writes failures.csv (header only when nothing failed).
func WriteFailures(w io.Writer, fs []corpus.Failure) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"source", "reason", "detail"})
	for _, f := range fs {
		cw.Write([]string{f.Source, f.Reason, corpus.CleanDetail(f.Detail)})
	}
	cw.Flush()
	return cw.Error()
}

// ReadFailures reads failures.csv.
func ReadFailures(name string) ([]corpus.Failure, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []corpus.Failure
	for i, r := range recs {
		if i == 0 {
			continue
		}
		if len(r) != 3 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 3", name, i+1, len(r))
		}
		out = append(out, corpus.Failure{Source: r[0], Reason: r[1], Detail: r[2]})
	}
	return out, nil
}
