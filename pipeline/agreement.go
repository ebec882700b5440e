package pipeline

import (
	"context"
	"strings"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// AutoCoder is the auto-coder's name in the coders of an Agreement (it is
// also marked Auto, as a person could take the same name).
const AutoCoder = "(auto-coder)"

// Agreement is the reliability of the workspace's coders, per code and
// overall: Krippendorff's alpha (nominal) over passage × code units, with
// every human coder of review.sqlite and the auto-coder as one more.
type Agreement struct {
	Codebooks []string         `json:"codebooks"`
	Coders    []AgreementCoder `json:"coders"`
	Codes     []CodeAgreement  `json:"codes"`
	Overall   CodeAgreement    `json:"overall"`
	// Ignored counts decisions on codes of no compared codebook (and
	// orphans, whose passage is gone).
	Ignored int `json:"ignored_decisions"`
}

// AgreementCoder is one coder: how many decisions they have and how many
// passages they saw (have values for, with at least one codebook).
type AgreementCoder struct {
	Name      string `json:"name"`
	Auto      bool   `json:"auto"`
	Decisions int    `json:"decisions"`
	Passages  int    `json:"passages"`
}

// CodeAgreement is the alpha of one code (or of all, pooled): Units are
// the pairable units (passages two coders or more gave a value), Values
// the values in them and Coded those that are "has the code"; Alpha
// counts every coder, HumanAlpha the human coders alone (on the units two
// of them saw). Undefined alphas (no pairable unit, or no variation) are
// nil.
type CodeAgreement struct {
	Code        string   `json:"code"`
	Units       int      `json:"units"`
	Values      int      `json:"values"`
	Coded       int      `json:"coded"`
	Alpha       *float64 `json:"alpha"`
	HumanUnits  int      `json:"human_units"`
	HumanValues int      `json:"human_values"`
	HumanAlpha  *float64 `json:"human_alpha"`
}

func codeAgreement(code string, all, human coding.Reliability) CodeAgreement {
	return CodeAgreement{Code: code, Units: all.Units(), Values: all.Values(), Coded: all.Count(1), Alpha: num(all.Alpha()),
		HumanUnits: human.Units(), HumanValues: human.Values(), HumanAlpha: num(human.Alpha())}
}

// EvaluateCoders measures how far the coders of workspace out agree, with
// Krippendorff's alpha for nominal data and missing values:
//
//   - A unit is a passage × a codable code of a codebook some human
//     decision uses (in codebook order); its values are 1 (the coder gave
//     the code) or 0, one per coder who saw the passage with that
//     codebook, and missing for the others.
//   - The auto-coder saw every passage: its value is whether codings.csv
//     has the code there.
//   - A human coder saw a passage with a codebook when they recorded a
//     decision on it with a code of that codebook (in lcity serve, they
//     had it in front of them). Decisions made by lcity import qdpx count
//     for the whole document instead, as the other tool's coder read the
//     whole source: there every passage of the document was seen, and an
//     uncoded one is a 0.
//   - Their value is 1 when their own last decision on the code on the
//     whole passage is add or accept, or a span they added is still
//     standing; else 0 (rejected, removed, or never added: a coder who
//     left an auto coding undecided did not code it).
//
// Alpha is per code and overall (all codes' units pooled), with all coders
// and among the human coders alone. It holds the workspace's Shared lock.
func EvaluateCoders(ctx context.Context, out string) (*Agreement, error) {
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if err := checkStages(out, m, workspace.StageIngest, workspace.StageCode); err != nil {
		return nil, err
	}
	cbs, err := workspace.RecordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	rl, err := replayReview(ctx, out, m)
	if err != nil {
		return nil, err
	}
	if rl == nil || len(rl.state.Log()) == 0 {
		return nil, Usagef("%s has no human decisions to compare (record some with lcity import qdpx or in lcity serve)", out)
	}
	// The codes a human decision uses decide the codebooks compared.
	bookOf := map[string]string{}
	for _, cb := range cbs {
		for _, c := range cb.Codes {
			if !c.Group {
				bookOf[c.ID] = cb.Name
			}
		}
	}
	type scopeKey struct{ coder, where, book string }
	seen := map[scopeKey]bool{} // where: "p:"+passage or "d:"+document
	used := map[string]bool{}
	ag := &Agreement{}
	decisions := map[string]int{}
	for _, d := range rl.state.Log() {
		p, ok := rl.passages[d.PassageID]
		book := bookOf[d.CodeID]
		if !ok || book == "" {
			ag.Ignored++
			continue
		}
		decisions[d.Coder]++
		used[book] = true
		where := "p:" + p.ID
		if strings.HasPrefix(d.RequestID, ImportRequestPrefix) {
			where = "d:" + p.DocID
		}
		seen[scopeKey{d.Coder, where, book}] = true
	}
	if len(used) == 0 {
		return nil, Usagef("the decisions in %s use no code of the workspace's codebooks", out)
	}
	var order []string
	for _, cb := range cbs {
		if !used[cb.Name] {
			continue
		}
		ag.Codebooks = append(ag.Codebooks, cb.Name)
		for _, c := range cb.Codes {
			if !c.Group {
				order = append(order, c.ID)
			}
		}
	}
	// Each coder's codings: the keys their own state codes.
	humans := rl.state.Coders()
	coded := map[string]map[[2]string]bool{}
	for _, h := range humans {
		coded[h] = map[[2]string]bool{}
		for _, d := range rl.state.CurrentBy(h) {
			if d.Action == review.Add || d.Action == review.Accept {
				coded[h][[2]string{d.PassageID, d.CodeID}] = true
			}
		}
	}
	all, human := map[string]*coding.Reliability{}, map[string]*coding.Reliability{}
	for _, c := range order {
		all[c], human[c] = &coding.Reliability{}, &coding.Reliability{}
	}
	passagesSeen := map[string]int{}
	var total int
	err = scan(out, m, true, func(p corpus.Passage, cs []corpus.Coding) error {
		total++
		auto := map[string]bool{}
		for _, c := range cs {
			auto[c.CodeID] = true
		}
		saw := map[string]bool{}
		sawBook := map[[2]string]bool{}
		for _, h := range humans {
			for _, book := range ag.Codebooks {
				if seen[scopeKey{h, "p:" + p.ID, book}] || seen[scopeKey{h, "d:" + p.DocID, book}] {
					sawBook[[2]string{h, book}] = true
					saw[h] = true
				}
			}
		}
		for _, code := range order {
			var hv []int
			for _, h := range humans {
				if !sawBook[[2]string{h, bookOf[code]}] {
					continue
				}
				v := 0
				if coded[h][[2]string{p.ID, code}] {
					v = 1
				}
				hv = append(hv, v)
			}
			a := 0
			if auto[code] {
				a = 1
			}
			all[code].Add(append(hv, a)...)
			human[code].Add(hv...)
		}
		for h := range saw {
			passagesSeen[h]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ag.Coders = append(ag.Coders, AgreementCoder{Name: AutoCoder, Auto: true, Passages: total})
	for _, h := range humans {
		ag.Coders = append(ag.Coders, AgreementCoder{Name: h, Decisions: decisions[h], Passages: passagesSeen[h]})
	}
	var pooled, pooledHuman coding.Reliability
	for _, c := range order {
		ag.Codes = append(ag.Codes, codeAgreement(c, *all[c], *human[c]))
		pooled.Merge(*all[c])
		pooledHuman.Merge(*human[c])
	}
	ag.Overall = codeAgreement("(all codes)", pooled, pooledHuman)
	return ag, nil
}
