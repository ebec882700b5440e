package review

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

// SourceHuman is the corpus.Coding Source of a coding that exists only
// because a coder added it (Apply).
const SourceHuman = corpus.SourceHuman

// Key names the coding a decision is about: a code on a whole passage, or
// on a span of it. Each key is its own coding; a decision changes only the
// state of its key.
type Key struct {
	PassageID string
	CodeID    string
	Whole     bool
	Span      Span // when !Whole
}

// Key returns the coding d is about.
func (d Decision) Key() Key {
	if d.Span == nil {
		return Key{PassageID: d.PassageID, CodeID: d.CodeID, Whole: true}
	}
	return Key{PassageID: d.PassageID, CodeID: d.CodeID, Span: *d.Span}
}

func compareKeys(a, b Key) int {
	if c := cmp.Compare(a.PassageID, b.PassageID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.CodeID, b.CodeID); c != 0 {
		return c
	}
	if a.Whole != b.Whole {
		if a.Whole {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(a.Span.Start, b.Span.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.Span.End, b.Span.End)
}

// Orphan is a decision that does not apply to the current passages: its
// passage is gone, or its span runs past the passage's end. It stays in
// the log and applies again if the passage comes back.
type Orphan struct {
	Decision
	Reason string
}

// Conflict is a key on which coders' current decisions differ.
type Conflict struct {
	Key       Key
	Decisions []Decision // each coder's current decision, by coder name
}

// State is the current state of the review, derived by replaying the log.
//
// Per coder, a key's state is that coder's last decision on it (highest
// sequence number). The merged state, which Apply uses, is the last
// decision on the key by any coder: the most recent judgement wins, as in
// a shared project where coders see and revise each other's work.
// Conflicts lists the keys where coders' own last decisions disagree, for
// a person to settle (by deciding again) and for agreement statistics.
type State struct {
	log      []Decision
	passages map[string]corpus.Passage
	merged   map[Key]Decision
	coders   map[string]map[Key]Decision
	orphans  []Orphan
}

// State reads the log and replays it against the passages that exist now:
// passage returns a passage by ID and false when there is none.
func (s *Store) State(ctx context.Context, passage func(id string) (corpus.Passage, bool)) (*State, error) {
	log, err := s.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	return Replay(log, passage), nil
}

// Replay derives the state from a log in sequence order (as Decisions
// returns it). Decisions that do not apply to the passages are orphans:
// listed, and left out of the state, never dropped from the log.
func Replay(log []Decision, passage func(id string) (corpus.Passage, bool)) *State {
	st := &State{log: log, passages: map[string]corpus.Passage{}, merged: map[Key]Decision{},
		coders: map[string]map[Key]Decision{}}
	lengths := map[string]int{}
	for _, d := range log {
		n, seen := lengths[d.PassageID]
		if !seen {
			n = -1
			if p, ok := passage(d.PassageID); ok {
				st.passages[d.PassageID] = p
				n = utf8.RuneCountInString(p.Text)
			}
			lengths[d.PassageID] = n
		}
		switch {
		case n < 0:
			st.orphans = append(st.orphans, Orphan{d, "passage not found"})
			continue
		case d.Span != nil && d.Span.End > n:
			st.orphans = append(st.orphans, Orphan{d, fmt.Sprintf("span [%d, %d) runs past the passage's %d characters", d.Span.Start, d.Span.End, n)})
			continue
		}
		k := d.Key()
		st.merged[k] = d
		if st.coders[d.Coder] == nil {
			st.coders[d.Coder] = map[Key]Decision{}
		}
		st.coders[d.Coder][k] = d
	}
	return st
}

// sortedDecisions returns m's decisions ordered by key.
func sortedDecisions(m map[Key]Decision) []Decision {
	ds := make([]Decision, 0, len(m))
	for _, d := range m {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b Decision) int { return compareKeys(a.Key(), b.Key()) })
	return ds
}

// Current returns the merged state: the last decision on each key by any
// coder, ordered by key.
func (st *State) Current() []Decision { return sortedDecisions(st.merged) }

// Coders returns the names of the coders with a decision in the state, sorted.
func (st *State) Coders() []string {
	names := make([]string, 0, len(st.coders))
	for n := range st.coders {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// CurrentBy returns coder's own state: their last decision on each key,
// ordered by key.
func (st *State) CurrentBy(coder string) []Decision { return sortedDecisions(st.coders[coder]) }

// Orphans returns the decisions that do not apply to the current passages,
// in sequence order.
func (st *State) Orphans() []Orphan { return slices.Clone(st.orphans) }

// Log returns the whole log the state was derived from, orphans included.
func (st *State) Log() []Decision { return slices.Clone(st.log) }

// Conflicts returns the keys on which coders' last decisions have
// different actions, ordered by key.
func (st *State) Conflicts() []Conflict {
	var cs []Conflict
	coders := st.Coders()
	for _, d := range st.Current() {
		k := d.Key()
		var ds []Decision
		differ := false
		for _, name := range coders {
			if own, ok := st.coders[name][k]; ok {
				differ = differ || (len(ds) > 0 && own.Action != ds[0].Action)
				ds = append(ds, own)
			}
		}
		if differ {
			cs = append(cs, Conflict{Key: k, Decisions: ds})
		}
	}
	return cs
}

// Apply returns the reviewed coding: auto ∪ added − rejected − removed,
// under the merged state, sorted by passage and code.
//
//   - An auto coding is dropped when the last decision on its
//     whole-passage key is reject or remove; accept keeps it (as does no
//     decision).
//   - Each span whose last decision is add becomes evidence of its code on
//     the passage (Term is the selected text; Start and End byte offsets
//     into the document's text, like the auto-coder's evidence), appended
//     to the auto coding when there is one that is kept.
//   - Otherwise, a code added by hand (whole passage or spans) becomes a
//     coding with Source SourceHuman, the whole passage as evidence when
//     it was added whole, and a Score of one per piece of evidence.
//   - accept on a code the auto-coder did not give, and remove on a span
//     never added, change nothing.
func Apply(auto []corpus.Coding, st *State) []corpus.Coding {
	type pc struct{ passage, code string }
	out := map[pc]corpus.Coding{}
	for _, c := range auto {
		if d, ok := st.merged[Key{PassageID: c.PassageID, CodeID: c.CodeID, Whole: true}]; ok && (d.Action == Reject || d.Action == Remove) {
			continue
		}
		c.Evidence = slices.Clone(c.Evidence)
		out[pc{c.PassageID, c.CodeID}] = c
	}
	for _, d := range st.Current() {
		if d.Action != Add {
			continue
		}
		p := st.passages[d.PassageID]
		k := pc{d.PassageID, d.CodeID}
		c, kept := out[k]
		if kept && d.Span == nil {
			continue // the auto coding already covers the passage
		}
		if !kept {
			c = corpus.Coding{PassageID: p.ID, DocID: p.DocID, City: p.City, Region: p.Region, Page: p.Page,
				CodeID: d.CodeID, Source: SourceHuman}
		}
		c.Evidence = append(c.Evidence, evidence(p, d.Span))
		if c.Source == SourceHuman {
			c.Score = float64(len(c.Evidence))
		}
		out[k] = c
	}
	cs := make([]corpus.Coding, 0, len(out))
	for _, c := range out {
		slices.SortStableFunc(c.Evidence, func(a, b corpus.Evidence) int {
			if r := cmp.Compare(a.Start, b.Start); r != 0 {
				return r
			}
			return cmp.Compare(a.End, b.End)
		})
		cs = append(cs, c)
	}
	corpus.SortCodings(cs)
	return cs
}

// evidence is the evidence of a span (nil: the whole passage) added by
// hand: its text, and byte offsets into the document's text.
func evidence(p corpus.Passage, s *Span) corpus.Evidence {
	if s == nil {
		return corpus.Evidence{Term: p.Text, Start: p.Start, End: p.Start + len(p.Text)}
	}
	from, to := byteOffset(p.Text, s.Start), byteOffset(p.Text, s.End)
	return corpus.Evidence{Term: p.Text[from:to], Start: p.Start + from, End: p.Start + to}
}

// byteOffset is the byte offset of code point n of text (len(text) at its
// end).
func byteOffset(text string, n int) int {
	i := 0
	for b := range text {
		if i == n {
			return b
		}
		i++
	}
	return len(text)
}

// canonical is the stable encoding of one decision in the hashed log.
type canonical struct {
	Seq       int64  `json:"seq"`
	At        string `json:"at"`
	Coder     string `json:"coder"`
	PassageID string `json:"passage_id"`
	CodeID    string `json:"code_id"`
	Action    Action `json:"action"`
	Start     *int   `json:"start"`
	End       *int   `json:"end"`
	Memo      string `json:"memo"`
	RequestID string `json:"request_id"`
}

// hashHeader starts the hashed text; a change to the encoding changes it.
const hashHeader = "lcity review log v1\n"

// Hash returns the SHA-256 (hex) of the canonical log: a header line, then
// each decision in sequence order as one line of JSON with fixed fields
// (times in TimeLayout, a whole-passage span as null start and end). Two
// stores with the same decisions in the same order have the same hash,
// whichever passages exist; run.json records it so that verify can tell
// whether the review changed.
func Hash(log []Decision) string {
	sorted := slices.Clone(log)
	slices.SortStableFunc(sorted, func(a, b Decision) int { return cmp.Compare(a.Seq, b.Seq) })
	h := sha256.New()
	h.Write([]byte(hashHeader))
	for _, d := range sorted {
		c := canonical{Seq: d.Seq, At: d.At.UTC().Format(TimeLayout), Coder: d.Coder, PassageID: d.PassageID,
			CodeID: d.CodeID, Action: d.Action, Memo: d.Memo, RequestID: d.RequestID}
		if d.Span != nil {
			c.Start, c.End = &d.Span.Start, &d.Span.End
		}
		line, err := json.Marshal(c)
		if err != nil {
			panic(err) // strings and numbers always encode
		}
		h.Write(line)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Hash returns Hash of the log the state was derived from.
func (st *State) Hash() string { return Hash(st.log) }

// Tally counts what the review did to one code's coding.
type Tally struct {
	CodeID   string `json:"code_id"`
	Auto     int    `json:"auto"`     // the auto-coder's codings of the code
	Accepted int    `json:"accepted"` // auto codings whose last decision is accept (or a whole-passage add)
	Rejected int    `json:"rejected"` // auto codings whose last decision is reject or remove
	Added    int    `json:"added"`    // codings of the code on passages the auto-coder did not give it
	Spans    int    `json:"spans"`    // spans added by hand and not removed
}

// Reviewed is the number of auto codings a coder accepted or rejected.
func (t Tally) Reviewed() int { return t.Accepted + t.Rejected }

// Tallies counts, per code and in code order, what the merged state does
// to the auto codings: for the report's "reviewed, accepted, rejected,
// added" table. Codes with neither auto codings nor decisions are absent.
func Tallies(auto []corpus.Coding, st *State) []Tally {
	by := map[string]*Tally{}
	get := func(code string) *Tally {
		if by[code] == nil {
			by[code] = &Tally{CodeID: code}
		}
		return by[code]
	}
	for _, c := range auto {
		t := get(c.CodeID)
		t.Auto++
		switch st.merged[Key{PassageID: c.PassageID, CodeID: c.CodeID, Whole: true}].Action {
		case Accept, Add:
			t.Accepted++
		case Reject, Remove:
			t.Rejected++
		}
	}
	for _, d := range st.Current() {
		if d.Action == Add && d.Span != nil {
			get(d.CodeID).Spans++
		}
	}
	for _, c := range Apply(auto, st) {
		if c.Source == SourceHuman {
			get(c.CodeID).Added++
		}
	}
	ts := make([]Tally, 0, len(by))
	for _, t := range by {
		ts = append(ts, *t)
	}
	slices.SortFunc(ts, func(a, b Tally) int { return cmp.Compare(a.CodeID, b.CodeID) })
	return ts
}
