package pipeline

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Evaluation is the agreement of a workspace's codings with a gold coding.
// Statistics that are undefined (no unit coded on either side, a constant
// rater) are nil (null in JSON).
type Evaluation struct {
	Gold      string              `json:"gold"`
	Codebooks []string            `json:"codebooks"`
	Passages  int                 `json:"passages"`
	Codes     map[string]EvalCode `json:"codes"`
	Overall   EvalOverall         `json:"overall"`
	// Order is the codes in codebook order.
	Order []string `json:"-"`
}

// EvalCode is the agreement on one code.
type EvalCode struct {
	TP               int      `json:"tp"`
	FP               int      `json:"fp"`
	FN               int      `json:"fn"`
	TN               int      `json:"tn"`
	Precision        *float64 `json:"precision"`
	Recall           *float64 `json:"recall"`
	F1               *float64 `json:"f1"`
	PercentAgreement *float64 `json:"percent_agreement"`
	Kappa            *float64 `json:"kappa"`
}

// EvalOverall is the agreement over all codes.
type EvalOverall struct {
	Kappa            *float64 `json:"kappa"` // mean over codes with a kappa
	KappaCodes       int      `json:"kappa_codes"`
	Alpha            *float64 `json:"alpha"`
	PercentAgreement *float64 `json:"percent_agreement"`
	Units            int      `json:"units"`
}

// EvalOptions choose the passages compared.
type EvalOptions struct {
	// SkipUncoded leaves out passages that neither side coded.
	SkipUncoded bool
	// ListedOnly compares only the passages the gold file lists.
	ListedOnly bool
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// Evaluate compares the codings of workspace out with the gold coding in
// file gold (see coding.ParseGold): per code precision, recall, F1,
// percent agreement and Cohen's kappa over passage × code units; overall
// the mean kappa and Krippendorff's alpha. It holds the workspace's Shared
// lock. A bad gold file is the user's error naming file:line.
func Evaluate(out, gold string, opt EvalOptions) (*Evaluation, error) {
	data, err := os.ReadFile(gold)
	if err != nil {
		return nil, Usagef("gold: %v", err)
	}
	rows, err := coding.ParseGold(data, gold)
	if err != nil {
		return nil, usage(err)
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	books := coding.GoldCodebooks(rows)
	inBooks := func(code string) bool {
		i := strings.IndexByte(code, '.')
		for _, b := range books {
			if i > 0 && code[:i] == b {
				return true
			}
		}
		return false
	}
	// The codes compared: the codable codes of the gold file's codebooks,
	// as the workspace was coded with them.
	only := map[string]bool{}
	for _, b := range books {
		only[b] = true
	}
	cbs, err := workspace.RecordedCodebooks(out, m, only)
	if err != nil {
		return nil, err
	}
	if len(cbs) != len(books) {
		var names []string
		for _, r := range m.Codebooks {
			names = append(names, r.Name)
		}
		return nil, Usagef("%s uses codebooks %v, but %s was coded with %v; run lcity code --codebook … with them first",
			gold, books, out, names)
	}
	ev := &Evaluation{Gold: gold, Codebooks: books, Codes: map[string]EvalCode{}}
	tables := map[string]coding.Table{}
	known := map[string]bool{}
	for _, c := range coding.Codable(cbs) {
		known[c.ID] = true
		ev.Order = append(ev.Order, c.ID)
	}
	goldSet := map[string]map[string]bool{}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.PassageID] = true
		if r.CodeID == "" {
			continue
		}
		if !known[r.CodeID] {
			return nil, usage(&coding.GoldError{File: gold, Line: r.Line, Err: fmt.Errorf("code %s is not a codable code of codebook %s", r.CodeID, r.CodeID[:strings.IndexByte(r.CodeID, '.')])})
		}
		if goldSet[r.PassageID] == nil {
			goldSet[r.PassageID] = map[string]bool{}
		}
		goldSet[r.PassageID][r.CodeID] = true
	}
	seen := map[string]bool{}
	err = scan(out, m, true, func(p corpus.Passage, cs []corpus.Coding) error {
		seen[p.ID] = true
		auto := map[string]bool{}
		for _, c := range cs {
			if inBooks(c.CodeID) {
				auto[c.CodeID] = true
			}
		}
		g := goldSet[p.ID]
		if opt.ListedOnly && !listed[p.ID] {
			return nil
		}
		if opt.SkipUncoded && len(auto) == 0 && len(g) == 0 {
			return nil
		}
		ev.Passages++
		for _, code := range ev.Order {
			t := tables[code]
			t.Add(auto[code], g[code])
			tables[code] = t
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if !seen[r.PassageID] {
			return nil, usage(&coding.GoldError{File: gold, Line: r.Line, Err: fmt.Errorf("passage %s is not in %s", r.PassageID, filepath.Join(out, workspace.PassagesFile))})
		}
	}
	var all []coding.Table
	sum, n := 0.0, 0
	var agree, units int
	for _, code := range ev.Order {
		t := tables[code]
		all = append(all, t)
		ev.Codes[code] = EvalCode{TP: t.TP, FP: t.FP, FN: t.FN, TN: t.TN, Precision: num(t.Precision()), Recall: num(t.Recall()),
			F1: num(t.F1()), PercentAgreement: num(t.PercentAgreement()), Kappa: num(t.Kappa())}
		if k := t.Kappa(); !math.IsNaN(k) {
			sum += k
			n++
		}
		agree += t.TP + t.TN
		units += t.N()
	}
	ev.Overall = EvalOverall{Alpha: num(coding.Alpha(all...)), KappaCodes: n, Units: units}
	if n > 0 {
		ev.Overall.Kappa = num(sum / float64(n))
	}
	if units > 0 {
		ev.Overall.PercentAgreement = num(float64(agree) / float64(units))
	}
	return ev, nil
}
