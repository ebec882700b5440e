package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// evalReport is the JSON of lcity eval. Statistics that are undefined
// (no unit coded on either side, a constant rater) are null.
type evalReport struct {
	Gold      string              `json:"gold"`
	Codebooks []string            `json:"codebooks"`
	Passages  int                 `json:"passages"`
	Codes     map[string]evalCode `json:"codes"`
	Overall   evalOverall         `json:"overall"`
	Order     []string            `json:"-"`
	tables    map[string]coding.Table
}

type evalCode struct {
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

type evalOverall struct {
	Kappa            *float64 `json:"kappa"` // mean over codes with a kappa
	KappaCodes       int      `json:"kappa_codes"`
	Alpha            *float64 `json:"alpha"`
	PercentAgreement *float64 `json:"percent_agreement"`
	Units            int      `json:"units"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func newEvalCmd() *cobra.Command {
	var out, gold string
	var asJSON, skipUncoded, listedOnly bool
	c := &cobra.Command{
		Use:   "eval --gold FILE",
		Short: "Agreement of the workspace's codings with a human gold coding (precision, recall, F1, kappa, alpha)",
		Long: `eval compares the workspace's codings with a gold file coded by people: a CSV
with the header passage_id,code_id and one row per passage and code assigned.
Only the codebooks the gold file uses are compared; a passage absent from the
file counts as coded with none of their codes. Every passage × code is a unit.
Per code: precision, recall, F1, percent agreement and Cohen's kappa; overall:
the mean kappa, Krippendorff's alpha (nominal, two coders) and the percent
agreement. --skip-uncoded leaves out passages that neither side coded;
--listed-only compares only the passages the gold file lists (a row with an
empty code_id lists a passage read and given no code), for a gold set that
covers part of the corpus.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usagef("--gold FILE is required")
			}
			data, err := os.ReadFile(gold)
			if err != nil {
				return usagef("--gold: %v", err)
			}
			rows, err := coding.ParseGold(data, gold)
			if err != nil {
				return usageError{err}
			}
			rep, err := evaluate(out, gold, rows, skipUncoded, listedOnly)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.writeText(cmd.OutOrStdout())
		},
	}
	c.Flags().StringVar(&out, "out", DefaultOut, "workspace folder")
	c.Flags().StringVar(&gold, "gold", "", "gold coding CSV (passage_id,code_id)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&skipUncoded, "skip-uncoded", false, "leave out passages that neither side coded")
	c.Flags().BoolVar(&listedOnly, "listed-only", false, "compare only the passages the gold file lists")
	return c
}

// evaluate builds the per-code tables over the workspace's passages.
func evaluate(out, gold string, rows []coding.GoldRow, skipUncoded, listedOnly bool) (*evalReport, error) {
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
	m := loadRunManifest(out)
	only := map[string]bool{}
	for _, b := range books {
		only[b] = true
	}
	cbs, err := recordedCodebooks(out, m, only)
	if err != nil {
		return nil, err
	}
	if len(cbs) != len(books) {
		return nil, usagef("%s uses codebooks %v, but %s was coded with %v; run lcity code --codebook … with them first",
			gold, books, out, codebookNames(m))
	}
	rep := &evalReport{Gold: gold, Codebooks: books, Codes: map[string]evalCode{}, tables: map[string]coding.Table{}}
	known := map[string]bool{}
	for _, c := range coding.Codable(cbs) {
		known[c.ID] = true
		rep.Order = append(rep.Order, c.ID)
	}
	goldSet := map[string]map[string]bool{}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.PassageID] = true
		if r.CodeID == "" {
			continue
		}
		if !known[r.CodeID] {
			return nil, usageError{&coding.GoldError{File: gold, Line: r.Line, Err: fmt.Errorf("code %s is not a codable code of codebook %s", r.CodeID, r.CodeID[:strings.IndexByte(r.CodeID, '.')])}}
		}
		if goldSet[r.PassageID] == nil {
			goldSet[r.PassageID] = map[string]bool{}
		}
		goldSet[r.PassageID][r.CodeID] = true
	}
	seen := map[string]bool{}
	err = corpus.ScanWorkspace(out, true, func(p corpus.Passage, cs []corpus.Coding) error {
		seen[p.ID] = true
		auto := map[string]bool{}
		for _, c := range cs {
			if inBooks(c.CodeID) {
				auto[c.CodeID] = true
			}
		}
		g := goldSet[p.ID]
		if listedOnly && !listed[p.ID] {
			return nil
		}
		if skipUncoded && len(auto) == 0 && len(g) == 0 {
			return nil
		}
		rep.Passages++
		for _, code := range rep.Order {
			t := rep.tables[code]
			t.Add(auto[code], g[code])
			rep.tables[code] = t
		}
		return nil
	})
	if err != nil {
		return nil, noWorkspace(out, err)
	}
	for _, r := range rows {
		if !seen[r.PassageID] {
			return nil, usageError{&coding.GoldError{File: gold, Line: r.Line, Err: fmt.Errorf("passage %s is not in %s", r.PassageID, filepath.Join(out, corpus.PassagesFile))}}
		}
	}
	var all []coding.Table
	sum, n := 0.0, 0
	var agree, units int
	for _, code := range rep.Order {
		t := rep.tables[code]
		all = append(all, t)
		rep.Codes[code] = evalCode{TP: t.TP, FP: t.FP, FN: t.FN, TN: t.TN, Precision: num(t.Precision()), Recall: num(t.Recall()),
			F1: num(t.F1()), PercentAgreement: num(t.PercentAgreement()), Kappa: num(t.Kappa())}
		if k := t.Kappa(); !math.IsNaN(k) {
			sum += k
			n++
		}
		agree += t.TP + t.TN
		units += t.N()
	}
	rep.Overall = evalOverall{Alpha: num(coding.Alpha(all...)), KappaCodes: n, Units: units}
	if n > 0 {
		rep.Overall.Kappa = num(sum / float64(n))
	}
	if units > 0 {
		rep.Overall.PercentAgreement = num(float64(agree) / float64(units))
	}
	return rep, nil
}

func codebookNames(m *runManifest) []string {
	var out []string
	for _, r := range m.Codebooks {
		out = append(out, r.Name)
	}
	return out
}

func (rep *evalReport) writeText(w io.Writer) error {
	f := func(x *float64) string {
		if x == nil {
			return "-"
		}
		return fmt.Sprintf("%.3f", *x)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tTP\tFP\tFN\tTN\tprecision\trecall\tF1\tagreement\tkappa\t")
	for _, code := range rep.Order {
		c := rep.Codes[code]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", code, c.TP, c.FP, c.FN, c.TN,
			f(c.Precision), f(c.Recall), f(c.F1), f(c.PercentAgreement), f(c.Kappa))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	o := rep.Overall
	_, err := fmt.Fprintf(w, "\n%d passages × %d codes = %d units. Mean kappa %s (over %d codes with a kappa), Krippendorff's alpha %s, percent agreement %s.\n",
		rep.Passages, len(rep.Order), o.Units, f(o.Kappa), o.KappaCodes, f(o.Alpha), f(o.PercentAgreement))
	return err
}
