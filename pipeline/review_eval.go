package pipeline

import (
	"context"
	"fmt"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// GoldReview, given as the gold file, makes Evaluate compare the
// auto-coder with the human decisions in the workspace's review.sqlite. A
// gold file named review is given as ./review.
const GoldReview = "review"

// evaluateReview measures the auto-coder against the human review. The
// units are the passage × code pairs a person decided on (accept, reject,
// add or remove, on the whole passage or a span), orphans left out: the
// auto-coder's side is whether codings.csv has the code on the passage,
// the human side whether the reviewed coding has it. So precision is the
// share of the reviewed auto codings that people kept, recall the share
// of the codings people ended with that the auto-coder had found; true
// negatives arise only where a person added a code and removed it again,
// so kappa is mostly undefined: it needs reviewers to judge passages the
// auto-coder left uncoded too.
func evaluateReview(out string, opt EvalOptions) (*Evaluation, error) {
	if opt.Folds > 0 || opt.Against != "" || opt.ListedOnly {
		return nil, Usagef("--gold review compares the auto-coder with the decisions in %s; --cv, --against and --listed-only need a gold file", review.FileName)
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if len(m.Codebooks) == 0 {
		return nil, Usagef("%s has no codings (run lcity code or lcity run first)", out)
	}
	cbs, err := workspace.RecordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	rv, err := newReviewer(context.Background(), &Config{Out: out}, cbs)
	if err != nil {
		return nil, err
	}
	if !rv.active() {
		return nil, Usagef("%s has no review decisions (%s): review codings in lcity serve, or import them, first", out, review.FileName)
	}
	tables := map[string]coding.Table{}
	ev := &Evaluation{Gold: fmt.Sprintf("%s (%d decisions up to %d)", review.FileName, rv.rec.Decisions, rv.rec.LastSeq)}
	for _, cb := range cbs {
		ev.Codebooks = append(ev.Codebooks, cb.Name)
	}
	err = scan(out, m, true, func(p corpus.Passage, cs []corpus.Coding) error {
		var known []review.Decision
		for _, d := range rv.byPassage[p.ID] {
			if rv.codes[d.CodeID] {
				known = append(known, d)
			}
		}
		if len(known) == 0 {
			return nil
		}
		st := review.Replay(known, func(id string) (corpus.Passage, bool) { return p, id == p.ID })
		decided := map[string]bool{}
		for _, d := range st.Current() {
			decided[d.CodeID] = true
		}
		if len(decided) == 0 {
			return nil // every decision on it is an orphan (a span past its end)
		}
		auto, human := map[string]bool{}, map[string]bool{}
		for _, c := range cs {
			auto[c.CodeID] = true
		}
		for _, c := range review.Apply(cs, st) {
			human[c.CodeID] = true
		}
		if opt.SkipUncoded && len(auto) == 0 && len(human) == 0 {
			return nil
		}
		ev.Passages++
		for code := range decided {
			t := tables[code]
			t.Add(auto[code], human[code])
			tables[code] = t
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range coding.Codable(cbs) {
		if _, ok := tables[c.ID]; ok {
			ev.Order = append(ev.Order, c.ID)
		}
	}
	ev.EvalSet = evalSet(ev.Order, tables)
	return ev, nil
}
