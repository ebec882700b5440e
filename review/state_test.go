package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lcity/lcity/corpus"
)

// passages of a small workspace: p2's text is not ASCII, so code points
// and bytes differ.
var testPassages = map[string]corpus.Passage{
	"p1": {ID: "p1", DocID: "espoo", City: "Espoo", Region: corpus.RegionEurope, Page: 3, Start: 100, End: 131,
		Text: "Libraries open to every citizen"},
	"p2": {ID: "p2", DocID: "pecs", City: "Pécs", Region: corpus.RegionEurope, Page: 7, Start: 40, End: 71,
		Text: "Pécs hosts a lifelong festival"},
}

func lookup(id string) (corpus.Passage, bool) {
	p, ok := testPassages[id]
	return p, ok
}

// logOf numbers decisions in order, as the store would.
func logOf(ds ...Decision) []Decision {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range ds {
		ds[i].Seq = int64(i + 1)
		ds[i].At = t0.Add(time.Duration(i) * time.Minute)
	}
	return ds
}

func dec(coder, passage, code string, a Action, span ...int) Decision {
	d := Decision{Coder: coder, PassageID: passage, CodeID: code, Action: a}
	if len(span) == 2 {
		d.Span = &Span{span[0], span[1]}
	}
	return d
}

func auto(passage, code string, ev ...corpus.Evidence) corpus.Coding {
	p := testPassages[passage]
	return corpus.Coding{PassageID: passage, DocID: p.DocID, City: p.City, Region: p.Region, Page: p.Page,
		CodeID: code, Score: float64(len(ev)), Evidence: ev}
}

// brief is a coding in a line: passage, code, source, score and evidence.
func brief(cs []corpus.Coding) []string {
	var out []string
	for _, c := range cs {
		s := fmt.Sprintf("%s %s %s %g", c.PassageID, c.CodeID, c.From(), c.Score)
		for _, e := range c.Evidence {
			s += fmt.Sprintf(" %q@%d-%d", e.Term, e.Start, e.End)
		}
		out = append(out, s)
	}
	return out
}

func TestApply(t *testing.T) {
	autoCodings := []corpus.Coding{
		auto("p1", "c.lib", corpus.Evidence{Term: "Libraries", Start: 100, End: 109}),
		auto("p1", "c.cit", corpus.Evidence{Term: "citizen", Start: 124, End: 131}),
		auto("p2", "c.fest", corpus.Evidence{Term: "festival", Start: 63, End: 71}),
	}
	for _, tc := range []struct {
		name string
		log  []Decision
		want []string
	}{
		{"no decisions", nil, []string{
			`p1 c.cit dictionary 1 "citizen"@124-131`,
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p2 c.fest dictionary 1 "festival"@63-71`,
		}},
		{"reject, accept, remove whole", logOf(
			dec("ana", "p1", "c.lib", Reject),
			dec("ana", "p1", "c.cit", Accept),
			dec("ana", "p2", "c.fest", Remove),
		), []string{`p1 c.cit dictionary 1 "citizen"@124-131`}},
		{"rejected, then accepted: the last decision wins", logOf(
			dec("ana", "p1", "c.lib", Reject),
			dec("ana", "p1", "c.lib", Accept),
		), []string{
			`p1 c.cit dictionary 1 "citizen"@124-131`,
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p2 c.fest dictionary 1 "festival"@63-71`,
		}},
		{"add spans: code points, not bytes", logOf(
			dec("ana", "p2", "c.city", Add, 0, 4),    // "Pécs": 4 code points, 5 bytes
			dec("ana", "p2", "c.fest", Add, 13, 21),  // "lifelong", after é
			dec("ana", "p1", "c.open", Add),          // whole passage
			dec("ana", "p1", "c.lib", Add),           // whole passage on an auto coding: already there
			dec("ana", "p1", "c.city", Add, 0, 9),    // added, then removed
			dec("ana", "p1", "c.city", Remove, 0, 9), //
			dec("ana", "p1", "c.none", Remove, 2, 4), // removing what was never added
			dec("ana", "p1", "c.none", Accept),       // accepting what the auto-coder did not give
		), []string{
			`p1 c.cit dictionary 1 "citizen"@124-131`,
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p1 c.open human 1 "Libraries open to every citizen"@100-131`,
			`p2 c.city human 1 "Pécs"@40-45`,
			`p2 c.fest dictionary 1 "lifelong"@54-62 "festival"@63-71`,
		}},
		{"a rejected auto coding with a span added keeps the span", logOf(
			dec("ana", "p2", "c.fest", Reject),
			dec("ana", "p2", "c.fest", Add, 22, 30),
			dec("ana", "p2", "c.fest", Add, 0, 4),
		), []string{
			`p1 c.cit dictionary 1 "citizen"@124-131`,
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p2 c.fest human 2 "Pécs"@40-45 "festival"@63-71`,
		}},
		{"two coders: the later decision wins", logOf(
			dec("ana", "p1", "c.lib", Reject),
			dec("bob", "p1", "c.lib", Accept),
			dec("bob", "p1", "c.cit", Accept),
			dec("ana", "p1", "c.cit", Reject),
		), []string{
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p2 c.fest dictionary 1 "festival"@63-71`,
		}},
		{"orphans change nothing", logOf(
			dec("ana", "gone", "c.lib", Add),
			dec("ana", "p1", "c.lib", Add, 20, 32), // past the end (31 code points)
			dec("ana", "p2", "c.new", Add, 25, 31), // past the end (30 code points, 31 bytes)
		), []string{
			`p1 c.cit dictionary 1 "citizen"@124-131`,
			`p1 c.lib dictionary 1 "Libraries"@100-109`,
			`p2 c.fest dictionary 1 "festival"@63-71`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := brief(Apply(autoCodings, Replay(tc.log, lookup)))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Apply =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestApplyDoesNotChangeAuto: the auto codings passed in are left as they were.
func TestApplyDoesNotChangeAuto(t *testing.T) {
	a := []corpus.Coding{auto("p2", "c.fest", corpus.Evidence{Term: "festival", Start: 63, End: 71})}
	Apply(a, Replay(logOf(dec("ana", "p2", "c.fest", Add, 0, 4)), lookup))
	if len(a[0].Evidence) != 1 {
		t.Errorf("Apply changed its input: %+v", a[0])
	}
}

func TestStateCodersConflictsOrphans(t *testing.T) {
	log := logOf(
		dec("ana", "p1", "c.lib", Reject),
		dec("bob", "p1", "c.lib", Accept),
		dec("bob", "p1", "c.cit", Accept),
		dec("ana", "p1", "c.cit", Accept),
		dec("ana", "gone", "c.lib", Add),
		dec("bob", "p1", "c.lib", Add, 20, 32),
		dec("ana", "p2", "c.fest", Add, 0, 4),
	)
	st := Replay(log, lookup)
	if got := st.Coders(); !reflect.DeepEqual(got, []string{"ana", "bob"}) {
		t.Errorf("Coders() = %v", got)
	}
	seqs := func(ds []Decision) (out []int64) {
		for _, d := range ds {
			out = append(out, d.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		got, want []int64
	}{
		{"Current", seqs(st.Current()), []int64{4, 2, 7}},
		{"CurrentBy(ana)", seqs(st.CurrentBy("ana")), []int64{4, 1, 7}},
		{"CurrentBy(bob)", seqs(st.CurrentBy("bob")), []int64{3, 2}},
		{"CurrentBy(nobody)", seqs(st.CurrentBy("nobody")), nil},
		{"Log", seqs(st.Log()), []int64{1, 2, 3, 4, 5, 6, 7}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	cs := st.Conflicts()
	if len(cs) != 1 || cs[0].Key != (Key{PassageID: "p1", CodeID: "c.lib", Whole: true}) ||
		len(cs[0].Decisions) != 2 || cs[0].Decisions[0].Coder != "ana" || cs[0].Decisions[1].Action != Accept {
		t.Errorf("Conflicts() = %+v, want ana's reject against bob's accept of p1 c.lib", cs)
	}
	os := st.Orphans()
	if len(os) != 2 || os[0].Seq != 5 || os[0].Reason != "passage not found" || os[1].Seq != 6 ||
		!strings.Contains(os[1].Reason, "past the passage's 31 characters") {
		t.Errorf("Orphans() = %+v", os)
	}
}

// TestOrphansComeBack: a decision orphaned by a rerun applies again when
// its passage returns, because the log keeps it.
func TestOrphansComeBack(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p2", CodeID: "c.fest", Action: Reject}); err != nil {
		t.Fatal(err)
	}
	none := func(string) (corpus.Passage, bool) { return corpus.Passage{}, false }
	st, err := s.State(ctx, none)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Orphans()) != 1 || len(st.Current()) != 0 {
		t.Fatalf("without the passage: %d orphans, %d current; want 1, 0", len(st.Orphans()), len(st.Current()))
	}
	st, err = s.State(ctx, lookup)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Orphans()) != 0 || len(st.Current()) != 1 || st.Current()[0].Action != Reject {
		t.Errorf("with the passage back: %+v orphans, %+v current; want the reject", st.Orphans(), st.Current())
	}
}

func TestHash(t *testing.T) {
	base := logOf(
		dec("ana", "p1", "c.lib", Reject),
		dec("bob", "p2", "c.fest", Add, 0, 4),
	)
	const empty = "212a61e2f9e64a0ceeacd4a12b7c03f8828976907790865b699bdd031f3dc93e"
	if got := Hash(nil); got != empty {
		t.Errorf("Hash(nil) = %s, want %s", got, empty)
	}
	h := Hash(base)
	canonicalText := hashHeader +
		`{"seq":1,"at":"2026-01-01T00:00:00.000000Z","coder":"ana","passage_id":"p1","code_id":"c.lib","action":"reject","start":null,"end":null,"memo":"","request_id":""}` + "\n" +
		`{"seq":2,"at":"2026-01-01T00:01:00.000000Z","coder":"bob","passage_id":"p2","code_id":"c.fest","action":"add","start":0,"end":4,"memo":"","request_id":""}` + "\n"
	if sum := sha256.Sum256([]byte(canonicalText)); h != hex.EncodeToString(sum[:]) {
		t.Errorf("Hash(log) = %s, want the SHA-256 of\n%s", h, canonicalText)
	}
	reversed := []Decision{base[1], base[0]}
	if Hash(reversed) != h {
		t.Errorf("Hash depends on the slice's order, not the sequence numbers")
	}
	if Replay(base, lookup).Hash() != h || Replay(base, func(string) (corpus.Passage, bool) { return corpus.Passage{}, false }).Hash() != h {
		t.Errorf("State.Hash depends on the passages")
	}
	for name, change := range map[string]func(d *Decision){
		"memo":      func(d *Decision) { d.Memo = "x" },
		"span":      func(d *Decision) { d.Span = &Span{0, 1} },
		"coder":     func(d *Decision) { d.Coder = "bob" },
		"time":      func(d *Decision) { d.At = d.At.Add(time.Microsecond) },
		"action":    func(d *Decision) { d.Action = Accept },
		"seq":       func(d *Decision) { d.Seq = 9 },
		"code":      func(d *Decision) { d.CodeID = "c.cit" },
		"passage":   func(d *Decision) { d.PassageID = "p2" },
		"requestID": func(d *Decision) { d.RequestID = "r" },
	} {
		changed := logOf(dec("ana", "p1", "c.lib", Reject), dec("bob", "p2", "c.fest", Add, 0, 4))
		change(&changed[0])
		if Hash(changed) == h {
			t.Errorf("Hash ignores a change of %s", name)
		}
	}
	if Hash(base[:1]) == h {
		t.Errorf("Hash ignores a missing decision")
	}
}

func TestTallies(t *testing.T) {
	autoCodings := []corpus.Coding{auto("p1", "c.lib"), auto("p1", "c.cit"), auto("p2", "c.lib"), auto("p2", "c.fest")}
	log := logOf(
		dec("ana", "p1", "c.lib", Accept),
		dec("ana", "p2", "c.lib", Reject),
		dec("ana", "p1", "c.cit", Remove),
		dec("bob", "p1", "c.cit", Accept), // bob's later accept wins
		dec("ana", "p2", "c.fest", Add, 0, 4),
		dec("ana", "p2", "c.city", Add, 0, 4),
		dec("ana", "p2", "c.city", Add, 5, 10),
		dec("ana", "p1", "c.city", Add),
		dec("ana", "p1", "c.new", Add, 1, 3),
		dec("ana", "p1", "c.new", Remove, 1, 3),
		dec("ana", "gone", "c.lib", Reject), // an orphan counts nowhere
	)
	got := Tallies(autoCodings, Replay(log, lookup))
	want := []Tally{
		{CodeID: "c.cit", Auto: 1, Accepted: 1},
		{CodeID: "c.city", Added: 2, Spans: 2},
		{CodeID: "c.fest", Auto: 1, Spans: 1},
		{CodeID: "c.lib", Auto: 2, Accepted: 1, Rejected: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tallies =\n%+v\nwant\n%+v", got, want)
	}
	if got[3].Reviewed() != 2 {
		t.Errorf("c.lib Reviewed() = %d, want 2", got[3].Reviewed())
	}
}
