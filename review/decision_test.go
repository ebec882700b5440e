package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	ok := Decision{Coder: "ana", PassageID: "espoo-3f2a", CodeID: "charter.inclusion", Action: Add}
	with := func(f func(*Decision)) Decision { d := ok; f(&d); return d }
	for _, tc := range []struct {
		name string
		d    Decision
		want string // "" = valid; else words of the error
	}{
		{"add whole passage", ok, ""},
		{"add span", with(func(d *Decision) { d.Span = &Span{0, 1} }), ""},
		{"remove span", with(func(d *Decision) { d.Action, d.Span = Remove, &Span{4, 90} }), ""},
		{"accept", with(func(d *Decision) { d.Action = Accept }), ""},
		{"reject with memo", with(func(d *Decision) { d.Action, d.Memo = Reject, "not about migrants" }), ""},
		{"non-ASCII coder", with(func(d *Decision) { d.Coder = "Zoë Pécsi" }), ""},
		{"no coder", with(func(d *Decision) { d.Coder = "" }), "coder is empty"},
		{"blank coder", with(func(d *Decision) { d.Coder = " ana" }), "white space"},
		{"coder with newline", with(func(d *Decision) { d.Coder = "a\nb" }), "control character"},
		{"no passage", with(func(d *Decision) { d.PassageID = "" }), "passage_id is empty"},
		{"no code", with(func(d *Decision) { d.CodeID = "" }), "code_id is empty"},
		{"unknown action", with(func(d *Decision) { d.Action = "delete" }), `action "delete"`},
		{"empty action", with(func(d *Decision) { d.Action = "" }), "action"},
		{"accept with span", with(func(d *Decision) { d.Action, d.Span = Accept, &Span{0, 3} }), "takes no span"},
		{"reject with span", with(func(d *Decision) { d.Action, d.Span = Reject, &Span{0, 3} }), "takes no span"},
		{"empty span", with(func(d *Decision) { d.Span = &Span{3, 3} }), "start < end"},
		{"reversed span", with(func(d *Decision) { d.Span = &Span{5, 3} }), "start < end"},
		{"negative start", with(func(d *Decision) { d.Span = &Span{-1, 3} }), "start < end"},
		{"long code", with(func(d *Decision) { d.CodeID = strings.Repeat("c", MaxIDBytes+1) }), "longer than"},
		{"long memo", with(func(d *Decision) { d.Memo = strings.Repeat("m", MaxMemoBytes+1) }), "memo"},
		{"memo not UTF-8", with(func(d *Decision) { d.Memo = "\xff" }), "memo"},
		{"passage not UTF-8", with(func(d *Decision) { d.PassageID = "p\xff" }), "not UTF-8"},
		{"request with tab", with(func(d *Decision) { d.RequestID = "r\t1" }), "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate(%+v) = %v, want nil", tc.d, err)
			case tc.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate(%+v) = %v, want an ErrInvalid saying %q", tc.d, err, tc.want)
			}
		})
	}
}

func TestParseDecision(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Decision
		err      string
	}{
		{"whole passage", `{"passage_id":"p1","code_id":"c.a","action":"accept"}`,
			Decision{PassageID: "p1", CodeID: "c.a", Action: Accept}, ""},
		{"span, memo and request", `{"passage_id":"p1","code_id":"c.a","action":"add","span":{"start":3,"end":17},"memo":"Zoë: yes","request_id":"b-42"}`,
			Decision{PassageID: "p1", CodeID: "c.a", Action: Add, Span: &Span{3, 17}, Memo: "Zoë: yes", RequestID: "b-42"}, ""},
		{"null span", `{"passage_id":"p1","code_id":"c.a","action":"remove","span":null}`,
			Decision{PassageID: "p1", CodeID: "c.a", Action: Remove}, ""},
		{"coder from the client", `{"passage_id":"p1","code_id":"c.a","action":"add","coder":"mallory"}`, Decision{}, "unknown field"},
		{"seq from the client", `{"passage_id":"p1","code_id":"c.a","action":"add","seq":7}`, Decision{}, "unknown field"},
		{"two objects", `{"passage_id":"p1","code_id":"c.a","action":"add"} {}`, Decision{}, "trailing data"},
		{"not an object", `["p1"]`, Decision{}, "decode JSON"},
		{"empty", ``, Decision{}, "decode JSON"},
		{"fractional span", `{"passage_id":"p1","code_id":"c.a","action":"add","span":{"start":1.5,"end":3}}`, Decision{}, "decode JSON"},
		{"bad span", `{"passage_id":"p1","code_id":"c.a","action":"add","span":{"start":4,"end":2}}`, Decision{}, "start < end"},
		{"missing code", `{"passage_id":"p1","action":"add"}`, Decision{}, "code_id is empty"},
		{"too long", `{"memo":"` + strings.Repeat("x", MaxInputBytes) + `"}`, Decision{}, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDecision([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("ParseDecision(%.60q) = %v, want an ErrInvalid saying %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || !sameContent(got, tc.want) {
				t.Errorf("ParseDecision(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestRecord(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	d := Decision{Coder: "ana", PassageID: "p1", CodeID: "c.a", Action: Add, Span: &Span{2, 5}, Memo: "m"}
	got, err := s.Record(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	wantAt := time.Date(2026, 11, 26, 9, 0, 1, 0, time.UTC)
	if got.Seq != 1 || !got.At.Equal(wantAt) || !sameContent(got, d) {
		t.Errorf("Record(%+v) = %+v, want seq 1 at %v", d, got, wantAt)
	}
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p1", CodeID: "c.a", Action: "flag"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Record(action flag) = %v, want ErrInvalid", err)
	}
	if _, err := s.Record(ctx, got); !errors.Is(err, ErrInvalid) {
		t.Errorf("Record(a decision with seq and at) = %v, want ErrInvalid", err)
	}
	second, err := s.Record(ctx, Decision{Coder: "bob", PassageID: "p1", CodeID: "c.a", Action: Accept})
	if err != nil || second.Seq != 2 {
		t.Errorf("second Record = %+v, %v; want seq 2", second, err)
	}
	ds, err := s.Decisions(ctx)
	if err != nil || len(ds) != 2 || ds[0].Coder != "ana" || ds[1].Coder != "bob" || ds[1].Span != nil {
		t.Errorf("Decisions() = %+v, %v", ds, err)
	}
}

func TestRecordRequestID(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	d := Decision{Coder: "ana", PassageID: "p1", CodeID: "c.a", Action: Reject, RequestID: "tab1-7"}
	first, err := s.Record(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Record(ctx, d) // the browser retries: its answer was lost
	if err != nil || again.Seq != first.Seq || !again.At.Equal(first.At) {
		t.Errorf("Record(retry) = %+v, %v; want the first record %+v", again, err, first)
	}
	d.Action = Accept
	if _, err := s.Record(ctx, d); !errors.Is(err, ErrRequestReused) {
		t.Errorf("Record(same request ID, other decision) = %v, want ErrRequestReused", err)
	}
	if ds, _ := s.Decisions(ctx); len(ds) != 1 {
		t.Errorf("log has %d decisions, want 1", len(ds))
	}
}

func TestRecordCanceled(t *testing.T) {
	s, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p", CodeID: "c", Action: Add}); !errors.Is(err, context.Canceled) {
		t.Errorf("Record(canceled) = %v, want context.Canceled", err)
	}
	if ds, err := s.Decisions(context.Background()); err != nil || len(ds) != 0 {
		t.Errorf("Decisions() = %v, %v; want none", ds, err)
	}
}

// TestConcurrentWriters: 8 goroutines record at once; nothing is lost,
// sequence numbers are 1..n without gaps, each writer's decisions are in
// the order it made them, and times follow sequence numbers.
func TestConcurrentWriters(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	const writers, each = 8, 40
	acked := make([][]int64, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				d := Decision{Coder: fmt.Sprintf("coder%d", w), PassageID: fmt.Sprintf("p%d", i), CodeID: "c",
					Action: Add, Span: &Span{w, w + 1 + i}, RequestID: fmt.Sprintf("w%d-%d", w, i)}
				got, err := s.Record(ctx, d)
				if err != nil {
					errs <- err
					return
				}
				acked[w] = append(acked[w], got.Seq)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ds, err := s.Decisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != writers*each {
		t.Fatalf("log has %d decisions, want %d", len(ds), writers*each)
	}
	bySeq := map[int64]Decision{}
	for i, d := range ds {
		if d.Seq != int64(i+1) {
			t.Fatalf("decision %d has seq %d, want %d", i, d.Seq, i+1)
		}
		if i > 0 && !d.At.After(ds[i-1].At) {
			t.Errorf("seq %d at %v is not after seq %d at %v", d.Seq, d.At, ds[i-1].Seq, ds[i-1].At)
		}
		bySeq[d.Seq] = d
	}
	for w, seqs := range acked {
		for i, seq := range seqs {
			d := bySeq[seq]
			if d.RequestID != fmt.Sprintf("w%d-%d", w, i) {
				t.Errorf("writer %d's decision %d acknowledged as seq %d, which holds %s", w, i, seq, d.RequestID)
			}
			if i > 0 && seq <= seqs[i-1] {
				t.Errorf("writer %d: seq %d after %d", w, seq, seqs[i-1])
			}
		}
	}
}

// TestTwoStoresOneFile: two Stores on one file (as serve and an import in
// two processes) write at once; SQLite's locks and busy_timeout serialise
// them and nothing is lost.
func TestTwoStoresOneFile(t *testing.T) {
	a, path := openTemp(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w, s := range []*Store{a, b, a, b, a, b, a, b} {
		wg.Go(func() {
			for i := range 15 {
				if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p", CodeID: "c", Action: Add,
					RequestID: fmt.Sprintf("%d-%d", w, i)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, s := range []*Store{a, b} {
		if ds, err := s.Decisions(ctx); err != nil || len(ds) != 8*15 {
			t.Errorf("Decisions() = %d decisions, %v; want %d", len(ds), err, 8*15)
		}
	}
}

func TestDefaultCoder(t *testing.T) {
	if c := DefaultCoder(); validName("coder", c) != nil {
		t.Errorf("DefaultCoder() = %q, not a valid coder name", c)
	}
}

func TestCheckAuto(t *testing.T) {
	coded := func(p, c string) bool { return p == "p1" && c == "c.a" }
	for _, tc := range []struct {
		d    Decision
		want error
	}{
		{Decision{PassageID: "p1", CodeID: "c.a", Action: Accept}, nil},
		{Decision{PassageID: "p1", CodeID: "c.a", Action: Reject}, nil},
		{Decision{PassageID: "p1", CodeID: "c.b", Action: Accept}, ErrNoAutoCoding},
		{Decision{PassageID: "p2", CodeID: "c.a", Action: Reject}, ErrNoAutoCoding},
		{Decision{PassageID: "p2", CodeID: "c.b", Action: Add}, nil},
		{Decision{PassageID: "p2", CodeID: "c.b", Action: Remove, Span: &Span{1, 2}}, nil},
	} {
		err := tc.d.CheckAuto(coded)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && (!errors.Is(err, tc.want) || !errors.Is(err, ErrInvalid))) {
			t.Errorf("CheckAuto(%s %s %s) = %v, want %v", tc.d.Action, tc.d.PassageID, tc.d.CodeID, err, tc.want)
		}
	}
}
