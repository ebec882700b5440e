package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// testReviewer is a reviewer of log over the codable codes a.x, a.y, a.z.
func testReviewer(log ...review.Decision) *reviewer {
	for i := range log {
		log[i].Seq = int64(i + 1)
		log[i].At = time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)
		log[i].Coder = "ana"
	}
	r := &reviewer{rec: reviewRecord(log), byPassage: map[string][]review.Decision{},
		codes: map[string]bool{"a.x": true, "a.y": true, "a.z": true}, seen: map[string]bool{}, tallies: map[string]*review.Tally{}}
	for _, d := range log {
		r.byPassage[d.PassageID] = append(r.byPassage[d.PassageID], d)
	}
	return r
}

// TestReviewerApply: per passage, the reviewed codings with their statuses,
// and at the end the tallies and the orphans (gone passage, span past the
// end, unknown code), in decision order.
func TestReviewerApply(t *testing.T) {
	p1 := corpus.Passage{ID: "d-1", DocID: "d", Start: 100, Text: "Cities learn together."}
	p2 := corpus.Passage{ID: "d-2", DocID: "d", Start: 200, Text: "Festivals."}
	p3 := corpus.Passage{ID: "d-3", DocID: "d", Start: 300, Text: "Nobody decided here."}
	auto := map[string][]corpus.Coding{
		p1.ID: {{PassageID: p1.ID, CodeID: "a.x", Score: 1}, {PassageID: p1.ID, CodeID: "a.y", Score: 1}},
		p2.ID: {{PassageID: p2.ID, CodeID: "a.x", Score: 1, Evidence: []corpus.Evidence{{Term: "t", Start: 201, End: 202}}}},
		p3.ID: {{PassageID: p3.ID, CodeID: "a.z", Score: 1}},
	}
	r := testReviewer(
		review.Decision{PassageID: p1.ID, CodeID: "a.x", Action: review.Accept},
		review.Decision{PassageID: p1.ID, CodeID: "a.y", Action: review.Reject},
		review.Decision{PassageID: p1.ID, CodeID: "a.z", Action: review.Add, Span: &review.Span{Start: 0, End: 6}},
		review.Decision{PassageID: "gone", CodeID: "a.x", Action: review.Add},
		review.Decision{PassageID: p2.ID, CodeID: "a.x", Action: review.Add, Span: &review.Span{Start: 5, End: 50}},
		review.Decision{PassageID: p2.ID, CodeID: "other.code", Action: review.Add},
		review.Decision{PassageID: p2.ID, CodeID: "a.x", Action: review.Add, Span: &review.Span{Start: 0, End: 9}},
	)
	type row struct {
		code, source, status string
		byHand               string
	}
	want := map[string][]row{
		p1.ID: {{"a.x", "", StatusAccepted, ""}, {"a.z", corpus.SourceHuman, StatusAdded, "Cities@100:106 by hand"}},
		p2.ID: {{"a.x", "", StatusAuto, "Festivals@200:209 by hand; t@201:202"}},
		p3.ID: {{"a.z", "", StatusAuto, ""}},
	}
	for _, p := range []corpus.Passage{p1, p2, p3} {
		cs, rev := r.apply(p, auto[p.ID])
		var got []row
		for i, c := range cs {
			rw := row{c.CodeID, c.Source, StatusAuto, ""}
			if rev != nil {
				rw.status = rev[i].Status
			}
			var ev []string
			for k, e := range c.Evidence {
				s := e.Term + "@" + strconv.Itoa(e.Start) + ":" + strconv.Itoa(e.End)
				if rev != nil && k < len(rev[i].ByHand) && rev[i].ByHand[k] {
					s += " by hand"
				}
				ev = append(ev, s)
			}
			rw.byHand = strings.Join(ev, "; ")
			got = append(got, rw)
		}
		if !reflect.DeepEqual(got, want[p.ID]) {
			t.Errorf("apply(%s) = %v, want %v", p.ID, got, want[p.ID])
		}
	}
	rec := r.finish()
	if rec.Decisions != 7 || rec.LastSeq != 7 || rec.Orphans != 3 || rec.SHA256 != review.Hash(flatten(r.byPassage)) {
		t.Errorf("finish() = %+v, want 7 decisions up to 7 with 3 orphans", rec)
	}
	ri := r.info()
	var orphans []string
	for _, o := range ri.Orphans {
		orphans = append(orphans, o.PassageID+" "+o.CodeID)
	}
	if want := []string{"gone a.x", "d-2 a.x", "d-2 other.code"}; !reflect.DeepEqual(orphans, want) {
		t.Errorf("orphans = %v, want %v (in decision order)", orphans, want)
	}
	wantT := map[string][5]int{"a.x": {2, 1, 0, 0, 1}, "a.y": {1, 0, 1, 0, 0}, "a.z": {1, 0, 0, 1, 1}}
	for _, tl := range ri.Tallies {
		if got := [5]int{tl.Auto, tl.Accepted, tl.Rejected, tl.Added, tl.Spans}; got != wantT[tl.CodeID] {
			t.Errorf("tally %s = %v, want %v (auto, accepted, rejected, added, spans)", tl.CodeID, got, wantT[tl.CodeID])
		}
	}
	if len(ri.Tallies) != len(wantT) {
		t.Errorf("%d tallies, want %d", len(ri.Tallies), len(wantT))
	}

	// Without decisions the auto codings pass through untouched.
	var none *reviewer
	if cs, status := none.apply(p1, auto[p1.ID]); !reflect.DeepEqual(cs, auto[p1.ID]) || status != nil {
		t.Errorf("apply without a review = %v, %v; want the auto codings", cs, status)
	}
}

func flatten(m map[string][]review.Decision) []review.Decision {
	var out []review.Decision
	for _, ds := range m {
		out = append(out, ds...)
	}
	return out
}

// BenchmarkReviewerApply measures the review applied as passages stream
// by: 10,000 passages with two auto codings each, a fifth of them with
// three decisions (reject, accept, a span added). go test ./pipeline
// -run '^$' -bench ReviewerApply
func BenchmarkReviewerApply(b *testing.B) {
	const n = 10000
	ps := make([]corpus.Passage, n)
	auto := make([][]corpus.Coding, n)
	var log []review.Decision
	for i := range ps {
		id := "d-" + strconv.Itoa(i)
		ps[i] = corpus.Passage{ID: id, DocID: "d", Start: i * 100, Text: strings.Repeat("word ", 20)}
		auto[i] = []corpus.Coding{{PassageID: id, CodeID: "a.x", Score: 1}, {PassageID: id, CodeID: "a.y", Score: 1}}
		if i%5 == 0 {
			log = append(log,
				review.Decision{PassageID: id, CodeID: "a.x", Action: review.Reject},
				review.Decision{PassageID: id, CodeID: "a.y", Action: review.Accept},
				review.Decision{PassageID: id, CodeID: "a.z", Action: review.Add, Span: &review.Span{Start: 5, End: 15}})
		}
	}
	for b.Loop() {
		r := testReviewer(slices.Clone(log)...)
		for i, p := range ps {
			r.apply(p, auto[i])
		}
		r.finish()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/passage")
}

// TestIndexReviewNoteWithoutStore: with no review.sqlite, the note comes
// from run.json alone, and the shortcut that skips decoding it (noReview)
// must not hide a recorded review state, however its key is spelt.
func TestIndexReviewNoteWithoutStore(t *testing.T) {
	const another = "note: the index's codes rest on another state of review.sqlite"
	tests := []struct {
		name     string
		review   bool // run.json records a review state for the index
		rewrite  func(string) string
		want     string // prefix of the note; "" for none
		shortcut bool   // noReview answers without decoding run.json
	}{
		{name: "no review recorded", shortcut: true},
		{name: "review recorded", review: true, want: another},
		{name: "key in capitals", review: true, rewrite: func(s string) string { return strings.Replace(s, `"review"`, `"REVIEW"`, 1) }, want: another},
		{name: "key escaped", review: true, rewrite: func(s string) string { return strings.Replace(s, `"review"`, `"\u0072eview"`, 1) }, want: another},
		{name: "word elsewhere only", rewrite: func(s string) string { return strings.Replace(s, `"tool"`, `"notice": "Review", "tool"`, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			m := &workspace.Manifest{Tool: "lcity", Outputs: []workspace.Output{workspace.IndexOutput()}}
			m.Outputs[0].Stage = workspace.StageIndex
			if tt.review {
				m.SetReview(workspace.StageIndex, workspace.ReviewRecord{Decisions: 2, LastSeq: 2, SHA256: "ab"})
			}
			if err := m.Save(out); err != nil {
				t.Fatal(err)
			}
			if tt.rewrite != nil {
				path := filepath.Join(out, workspace.RunFile)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tt.rewrite(string(data))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := noReview(out); got != tt.shortcut {
				t.Errorf("noReview = %v, want %v", got, tt.shortcut)
			}
			got := IndexReviewNote(context.Background(), out)
			if !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("IndexReviewNote = %q, want a note starting %q", got, tt.want)
			}
		})
	}
}
