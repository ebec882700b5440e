package coding

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Agreement between automatic coding and a human gold standard. Every
// passage × code is a unit coded 1 (has the code) or 0 by each side.

// Table is the 2 × 2 table of one code: TP both coded, FP only the
// automatic side, FN only the gold side, TN neither.
type Table struct {
	TP, FP, FN, TN int
}

// N is the number of units.
func (t Table) N() int { return t.TP + t.FP + t.FN + t.TN }

// Add counts one unit.
func (t *Table) Add(auto, gold bool) {
	switch {
	case auto && gold:
		t.TP++
	case auto:
		t.FP++
	case gold:
		t.FN++
	default:
		t.TN++
	}
}

// Precision is TP / (TP + FP); NaN when the automatic side coded nothing.
func (t Table) Precision() float64 { return ratio(t.TP, t.TP+t.FP) }

// Recall is TP / (TP + FN); NaN when the gold side coded nothing.
func (t Table) Recall() float64 { return ratio(t.TP, t.TP+t.FN) }

// F1 is the harmonic mean of precision and recall (NaN when undefined).
func (t Table) F1() float64 { return ratio(2*t.TP, 2*t.TP+t.FP+t.FN) }

// PercentAgreement is the share of units both sides coded alike.
func (t Table) PercentAgreement() float64 { return ratio(t.TP+t.TN, t.N()) }

// Kappa is Cohen's kappa, (po − pe) / (1 − pe). It is NaN when pe = 1:
// both sides gave every unit the same single value, so chance agreement is
// total and kappa is undefined (agreement is then reported as a percentage
// only).
func (t Table) Kappa() float64 {
	n := float64(t.N())
	if n == 0 {
		return math.NaN()
	}
	po := float64(t.TP+t.TN) / n
	autoYes, goldYes := float64(t.TP+t.FP)/n, float64(t.TP+t.FN)/n
	pe := autoYes*goldYes + (1-autoYes)*(1-goldYes)
	if pe >= 1-1e-15 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}

// Alpha is Krippendorff's alpha for two coders and nominal values 0/1 over
// all units of the tables: 1 − (n − 1)·D / (n0·n1), where n = 2 × units
// pairable values, D the units coded differently, n0 and n1 the counts of
// each value over both coders. NaN when only one value occurs.
func Alpha(tables ...Table) float64 {
	var units, d, ones int
	for _, t := range tables {
		units += t.N()
		d += t.FP + t.FN
		ones += 2*t.TP + t.FP + t.FN
	}
	n := 2 * units
	zeros := n - ones
	if units == 0 || ones == 0 || zeros == 0 {
		return math.NaN()
	}
	return 1 - float64(n-1)*float64(d)/(float64(zeros)*float64(ones))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// GoldRow is one line of a gold file: a passage a human coded with a code.
type GoldRow struct {
	PassageID, CodeID string
	Line              int
}

// GoldError is a problem in a gold file at file:line.
type GoldError struct {
	File string
	Line int
	Err  error
}

func (e *GoldError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *GoldError) Unwrap() error { return e.Err }

// ParseGold reads a gold coding file: CSV with a header whose first two
// columns are passage_id and code_id (further columns, such as a coder's
// note, are ignored), one row per passage and code a human assigned; a row
// with an empty code_id lists a passage read and given no code. Lines
// starting with # are comments. An empty passage_id, code IDs without a
// codebook prefix and repeated rows are errors.
func ParseGold(data []byte, file string) ([]GoldRow, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	head, err := cr.Read()
	if err != nil {
		return nil, &GoldError{File: file, Line: 1, Err: fmt.Errorf("no header: %v", err)}
	}
	if len(head) < 2 || strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")) != "passage_id" || strings.TrimSpace(head[1]) != "code_id" {
		return nil, &GoldError{File: file, Line: 1, Err: fmt.Errorf("header %q: want passage_id,code_id", strings.Join(head, ","))}
	}
	var rows []GoldRow
	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, &GoldError{File: file, Line: line, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < 2 {
			return nil, &GoldError{File: file, Line: line, Err: errors.New("want passage_id,code_id")}
		}
		p, c := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		switch {
		case p == "":
			return nil, &GoldError{File: file, Line: line, Err: errors.New("empty passage_id")}
		case c == "":
		case !strings.Contains(c, ".") || strings.HasPrefix(c, ".") || strings.HasSuffix(c, "."):
			return nil, &GoldError{File: file, Line: line, Err: fmt.Errorf("code_id %q: want codebook.code", c)}
		}
		k := [2]string{p, c}
		if prev, dup := seen[k]; dup {
			return nil, &GoldError{File: file, Line: line, Err: fmt.Errorf("%s %s repeats line %d", p, c, prev)}
		}
		seen[k] = line
		rows = append(rows, GoldRow{PassageID: p, CodeID: c, Line: line})
	}
	return rows, nil
}

// GoldCodebooks returns the codebook names the gold rows use, sorted.
func GoldCodebooks(rows []GoldRow) []string {
	set := map[string]bool{}
	for _, r := range rows {
		if r.CodeID != "" {
			set[r.CodeID[:strings.IndexByte(r.CodeID, '.')]] = true
		}
	}
	out := make([]string, 0, len(set))
	for b := range set {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// Reliability is reliability data for Krippendorff's alpha with nominal
// values and missing data: units (here a passage × code), each with the
// values of the coders who coded it. A coder who did not code a unit is
// missing there, not a value; a unit with fewer than two values is not
// pairable and does not count. Values are small integers (0 and 1 for
// "has the code" or not). The zero value is empty and ready to use.
type Reliability struct {
	units    int
	counts   map[int]int // pairable values per value: n_c
	values   int         // n, all pairable values
	disagree float64     // Σ over units of Σ_{c≠k} n_uc·n_uk / (m_u − 1)
}

// Add adds one unit with the values of the coders who coded it.
func (r *Reliability) Add(values ...int) {
	m := len(values)
	if m < 2 {
		return
	}
	if r.counts == nil {
		r.counts = map[int]int{}
	}
	per := map[int]int{}
	for _, v := range values {
		per[v]++
	}
	same := 0
	for v, n := range per {
		r.counts[v] += n
		same += n * n
	}
	r.units++
	r.values += m
	r.disagree += float64(m*m-same) / float64(m-1)
}

// Merge adds o's units to r (pooling codes, for an overall alpha).
func (r *Reliability) Merge(o Reliability) {
	if r.counts == nil {
		r.counts = map[int]int{}
	}
	for v, n := range o.counts {
		r.counts[v] += n
	}
	r.units += o.units
	r.values += o.values
	r.disagree += o.disagree
}

// Units is the number of pairable units (two values or more).
func (r Reliability) Units() int { return r.units }

// Values is the number of pairable values, n.
func (r Reliability) Values() int { return r.values }

// Count is the number of pairable values equal to v, n_v.
func (r Reliability) Count(v int) int { return r.counts[v] }

// Alpha is Krippendorff's alpha for nominal data,
// 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, from the coincidence matrix
// o of the pairable units (each ordered pair of values of a unit with m
// values counts 1/(m − 1)). NaN when there is no pairable unit or only one
// value occurs (no variation: alpha is undefined).
func (r Reliability) Alpha() float64 {
	if r.values < 2 {
		return math.NaN()
	}
	expected := r.values * r.values
	for _, n := range r.counts {
		expected -= n * n
	}
	if expected == 0 {
		return math.NaN()
	}
	return 1 - float64(r.values-1)*r.disagree/float64(expected)
}
