package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/learn"
	"github.com/lcity/lcity/workspace"
)

// Evaluation is the agreement of a workspace's codings with a gold coding.
// Statistics that are undefined (no unit coded on either side, a constant
// rater) are nil (null in JSON).
type Evaluation struct {
	Gold      string   `json:"gold"`
	Codebooks []string `json:"codebooks"`
	Passages  int      `json:"passages"`
	EvalSet
	// CV, with EvalOptions.Folds, compares the dictionary, a model learned
	// from the gold file and their union, each cross-validated.
	CV *CrossValidation `json:"cross_validation,omitempty"`
	// Order is the codes in codebook order.
	Order []string `json:"-"`
}

// EvalSet is the agreement of one coding with the gold, per code and
// overall.
type EvalSet struct {
	Codes   map[string]EvalCode `json:"codes"`
	Overall EvalOverall         `json:"overall"`
}

// CrossValidation compares three codings of the gold's passages: the
// dictionary's, a model's and their union. The model's codings of each
// passage come from a model fitted without it (k folds, shuffled with the
// seed), so the figures say how a model learned from such a gold file
// codes passages it has not seen.
type CrossValidation struct {
	Folds      int     `json:"folds"`
	Seed       uint64  `json:"seed"`
	Lambda     float64 `json:"lambda"`
	Dictionary EvalSet `json:"dictionary"`
	Model      EvalSet `json:"model"`
	Union      EvalSet `json:"union"`
	// Curve, with EvalOptions.Curve, is the learning curve.
	Curve []CurvePoint `json:"learning_curve,omitempty"`
}

// CurvePoint is a point of the learning curve: the cross-validated mean
// kappa of the model, and of the union, when each fold's model learns from
// a share of its training passages only (one figure per repeat; see
// learn.LearningCurve). A curve still rising at 1 says more gold passages
// would help; a flat one says they would not, by themselves.
type CurvePoint struct {
	Fraction   float64   `json:"fraction"`
	Train      int       `json:"train_passages"`
	ModelKappa []float64 `json:"model_kappa"`
	UnionKappa []float64 `json:"union_kappa"`
}

// Learning-curve settings of EvalOptions.Curve.
var (
	CurveFractions = []float64{0.25, 0.5, 0.75, 1}
	CurveRepeats   = 3
)

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
	// Folds, when at least 2, adds the cross-validated comparison of the
	// dictionary, a learned model and their union (on the listed passages).
	Folds int
	// Seed shuffles the passages into folds. The shuffle starts from the
	// listed passages in reading order (document ID, then position), not
	// from their IDs, so the folds do not change when passage IDs do.
	Seed uint64
	// Lambda is the model's penalty (0: learn.DefaultLambda).
	Lambda float64
	// Against is a second gold file (another reader's coding) to compare
	// with the gold instead of the workspace's codings, on the passages
	// both list: the agreement between two readers, the ceiling of what a
	// coder can reach.
	Against string
	// Curve, with Folds, adds the learning curve: the cross-validation
	// repeated with each fold's model fitted on CurveFractions of its
	// training passages, CurveRepeats times per fraction below 1.
	Curve bool
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
//
// goldFile GoldReview ("review") compares the auto-coder with the human
// decisions in the workspace's review store instead (see evaluateReview).
func Evaluate(out, goldFile string, opt EvalOptions) (*Evaluation, error) {
	if goldFile == GoldReview {
		return evaluateReview(out, opt)
	}
	g, err := readGold(goldFile)
	if err != nil {
		return nil, err
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	// The codes compared: the codable codes of the gold file's codebooks,
	// as the workspace was coded with them.
	only := map[string]bool{}
	for _, b := range g.codebooks {
		only[b] = true
	}
	cbs, err := workspace.RecordedCodebooks(out, m, only)
	if err != nil {
		return nil, err
	}
	if len(cbs) != len(g.codebooks) {
		var names []string
		for _, r := range m.Codebooks {
			names = append(names, r.Name)
		}
		return nil, Usagef("%s uses codebooks %v, but %s was coded with %v; run lcity code --codebook … with them first",
			goldFile, g.codebooks, out, names)
	}
	g.file = goldFile
	order, err := g.codes(cbs)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Gold: goldFile, Codebooks: g.codebooks, Order: order}
	known := map[string]bool{}
	for _, c := range order {
		known[c] = true
	}
	tables := map[string]coding.Table{}
	if opt.Against != "" {
		other, err := readGold(opt.Against)
		if err != nil {
			return nil, err
		}
		if _, err := other.codes(cbs); err != nil {
			return nil, err
		}
		var ids []string
		for id := range g.listed {
			if _, ok := other.listed[id]; ok {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			ev.Passages++
			for _, code := range order {
				t := tables[code]
				t.Add(other.listed[id][code], g.listed[id][code])
				tables[code] = t
			}
		}
		ev.EvalSet = evalSet(order, tables)
		return ev, nil
	}
	seen := map[string]bool{}
	err = scan(out, m, true, func(p corpus.Passage, cs []corpus.Coding) error {
		seen[p.ID] = true
		auto := map[string]bool{}
		for _, c := range cs {
			if known[c.CodeID] {
				auto[c.CodeID] = true
			}
		}
		gc, listed := g.listed[p.ID]
		if opt.ListedOnly && !listed {
			return nil
		}
		if opt.SkipUncoded && len(auto) == 0 && len(gc) == 0 {
			return nil
		}
		ev.Passages++
		for _, code := range order {
			t := tables[code]
			t.Add(auto[code], gc[code])
			tables[code] = t
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range g.rows {
		if !seen[r.PassageID] {
			return nil, usage(&coding.GoldError{File: goldFile, Line: r.Line, Err: fmt.Errorf("passage %s is not in %s", r.PassageID, filepath.Join(out, workspace.PassagesFile))})
		}
	}
	ev.EvalSet = evalSet(order, tables)
	if opt.Folds > 0 {
		all, err := workspace.RecordedCodebooks(out, m, nil)
		if err != nil {
			return nil, err
		}
		if ev.CV, err = crossValidate(out, m, g, all, order, opt); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// crossValidate codes the gold's passages with the dictionary, with a
// model learned in folds, and with both.
func crossValidate(out string, m *workspace.Manifest, g *gold, cbs []*coding.Codebook, order []string, opt EvalOptions) (*CrossValidation, error) {
	ex, err := g.examples(out, m, cbs)
	if err != nil {
		return nil, err
	}
	if opt.Folds < 2 || opt.Folds > len(ex) {
		return nil, Usagef("cv %d: want 2 to %d folds (the gold file lists %d passages)", opt.Folds, len(ex), len(ex))
	}
	lambda := opt.Lambda
	if lambda == 0 {
		lambda = learn.DefaultLambda
	}
	probs, err := learn.CrossValidate(ex, order, opt.Folds, opt.Seed, learn.Options{Lambda: lambda})
	if err != nil {
		return nil, err
	}
	dict, model, union := cvTables(ex, order, probs)
	cv := &CrossValidation{Folds: opt.Folds, Seed: opt.Seed, Lambda: lambda,
		Dictionary: evalSet(order, dict), Model: evalSet(order, model), Union: evalSet(order, union)}
	if opt.Curve {
		pts, err := learn.LearningCurve(ex, order, opt.Folds, opt.Seed, CurveFractions, CurveRepeats, learn.Options{Lambda: lambda})
		if err != nil {
			return nil, err
		}
		for _, pt := range pts {
			cp := CurvePoint{Fraction: pt.Fraction, Train: pt.Train}
			for _, probs := range pt.Probs {
				_, model, union := cvTables(ex, order, probs)
				mk, uk := evalSet(order, model).Overall.Kappa, evalSet(order, union).Overall.Kappa
				if mk == nil || uk == nil {
					return nil, fmt.Errorf("learning curve at %v: no code has a kappa", pt.Fraction)
				}
				cp.ModelKappa = append(cp.ModelKappa, *mk)
				cp.UnionKappa = append(cp.UnionKappa, *uk)
			}
			cv.Curve = append(cv.Curve, cp)
		}
	}
	return cv, nil
}

// cvTables tabulates, per code, the dictionary's, the model's and the
// union's codings of the examples against their gold codes.
func cvTables(ex []learn.Example, order []string, probs []map[string]float64) (dict, model, union map[string]coding.Table) {
	dict, model, union = map[string]coding.Table{}, map[string]coding.Table{}, map[string]coding.Table{}
	for i, e := range ex {
		coded := map[string]bool{}
		for _, c := range e.Dictionary {
			coded[c.CodeID] = true
		}
		for _, code := range order {
			d, mo := coded[code], probs[i][code] >= learn.Threshold
			add := func(ts map[string]coding.Table, auto bool) {
				t := ts[code]
				t.Add(auto, e.Codes[code])
				ts[code] = t
			}
			add(dict, d)
			add(model, mo)
			add(union, d || mo)
		}
	}
	return dict, model, union
}

// evalSet computes the statistics of per-code tables.
func evalSet(order []string, tables map[string]coding.Table) EvalSet {
	s := EvalSet{Codes: map[string]EvalCode{}}
	var all []coding.Table
	sum, n := 0.0, 0
	var agree, units int
	for _, code := range order {
		t := tables[code]
		all = append(all, t)
		s.Codes[code] = EvalCode{TP: t.TP, FP: t.FP, FN: t.FN, TN: t.TN, Precision: num(t.Precision()), Recall: num(t.Recall()),
			F1: num(t.F1()), PercentAgreement: num(t.PercentAgreement()), Kappa: num(t.Kappa())}
		if k := t.Kappa(); !math.IsNaN(k) {
			sum += k
			n++
		}
		agree += t.TP + t.TN
		units += t.N()
	}
	s.Overall = EvalOverall{Alpha: num(coding.Alpha(all...)), KappaCodes: n, Units: units}
	if n > 0 {
		s.Overall.Kappa = num(sum / float64(n))
	}
	if units > 0 {
		s.Overall.PercentAgreement = num(float64(agree) / float64(units))
	}
	return s
}
