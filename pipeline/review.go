package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// The reviewed coding is the coding. codings.csv is the auto-coder's
// output and stays so (the code stage writes and hashes it); wherever
// lcity reads codings for a result — the index's codes, the analysis and
// report, kwic, the exports — it reads review.Apply(auto, state): the auto
// codings, plus the codes people added, minus those they rejected or
// removed, from the decisions in the workspace's review.sqlite. A
// workspace without that file has no decisions, and reading never creates
// it (review.ReadLog).

// ReviewConfig says which human decisions the reviewed coding rests on.
type ReviewConfig struct {
	// Store is the review store to read; "" is review.sqlite in Out.
	Store string
	// Pinned uses only the decisions up to UpTo (none when UpTo is 0):
	// verify replays the log as the recorded run saw it.
	Pinned bool
	UpTo   int64
}

// Review statuses of a coding in the reviewed coding (the status column of
// the CSV export).
const (
	StatusAuto     = "auto"     // the auto-coder's, not reviewed
	StatusAccepted = "accepted" // the auto-coder's, and a person accepted it
	StatusAdded    = "added"    // a person added it; the auto-coder did not give it
)

// reviewer applies the review to the auto codings passage by passage, as
// the workspace's passages stream by, and keeps the tallies and orphans
// for the report. It is used by one goroutine at a time.
type reviewer struct {
	rec workspace.ReviewRecord
	// byPassage holds each passage's decisions in sequence order.
	byPassage map[string][]review.Decision
	codes     map[string]bool // codable codes
	seen      map[string]bool
	tallies   map[string]*review.Tally
	orphans   []review.Orphan
	finished  bool
}

// reviewPath is the review store cfg reads.
func (cfg *Config) reviewPath() string {
	if cfg.Review.Store != "" {
		return cfg.Review.Store
	}
	return filepath.Join(cfg.Out, review.FileName)
}

// readReview reads the decisions cfg's review uses, and how many newer
// ones a pinned configuration leaves out. No store is no decisions.
func readReview(ctx context.Context, cfg *Config) (log []review.Decision, newer int, err error) {
	log, err = review.ReadLog(ctx, cfg.reviewPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if cfg.Review.Pinned {
		n := 0
		for n < len(log) && log[n].Seq <= cfg.Review.UpTo {
			n++
		}
		log, newer = log[:n], len(log)-n
	}
	return log, newer, nil
}

// reviewRecord is what run.json records of a log.
func reviewRecord(log []review.Decision) workspace.ReviewRecord {
	if len(log) == 0 {
		return workspace.ReviewRecord{}
	}
	return workspace.ReviewRecord{Decisions: len(log), LastSeq: log[len(log)-1].Seq, SHA256: review.Hash(log)}
}

// newReviewer reads the review cfg names for a workspace coded with cbs:
// decisions on codes that are not codable codes of cbs are orphans.
func newReviewer(ctx context.Context, cfg *Config, cbs []*coding.Codebook) (*reviewer, error) {
	log, _, err := readReview(ctx, cfg)
	if err != nil {
		return nil, err
	}
	r := &reviewer{rec: reviewRecord(log), byPassage: map[string][]review.Decision{},
		codes: map[string]bool{}, seen: map[string]bool{}, tallies: map[string]*review.Tally{}}
	for _, c := range coding.Codable(cbs) {
		r.codes[c.ID] = true
	}
	for _, d := range log {
		r.byPassage[d.PassageID] = append(r.byPassage[d.PassageID], d)
	}
	return r, nil
}

// workspaceReviewer is newReviewer for the codebooks run.json records
// (all of them: a decision on a code left out of an analysis is not an
// orphan).
func workspaceReviewer(ctx context.Context, cfg *Config, m *workspace.Manifest) (*reviewer, error) {
	cbs, err := workspace.RecordedCodebooks(cfg.Out, m, nil)
	if err != nil {
		return nil, err
	}
	return newReviewer(ctx, cfg, cbs)
}

// active reports whether there are decisions to apply.
func (r *reviewer) active() bool { return r != nil && r.rec.Decisions > 0 }

func (r *reviewer) tally(code string) *review.Tally {
	t := r.tallies[code]
	if t == nil {
		t = &review.Tally{CodeID: code}
		r.tallies[code] = t
	}
	return t
}

// apply returns the reviewed coding of passage p whose auto codings are
// auto, and what the review did to each coding (its status, StatusAuto,
// StatusAccepted or StatusAdded, and which evidence is a span a person
// coded). Without decisions on p it returns auto itself and nil.
func (r *reviewer) apply(p corpus.Passage, auto []corpus.Coding) ([]corpus.Coding, []export.Reviewed) {
	if !r.active() {
		return auto, nil
	}
	ds := r.byPassage[p.ID]
	if len(ds) == 0 {
		for _, c := range auto {
			r.tally(c.CodeID).Auto++
		}
		return auto, nil
	}
	r.seen[p.ID] = true
	var known []review.Decision
	for _, d := range ds {
		if !r.codes[d.CodeID] {
			r.orphans = append(r.orphans, review.Orphan{Decision: d, Reason: "code " + d.CodeID + " is not in the workspace's codebooks"})
			continue
		}
		known = append(known, d)
	}
	st := review.Replay(known, func(id string) (corpus.Passage, bool) { return p, id == p.ID })
	r.orphans = append(r.orphans, st.Orphans()...)
	for _, t := range review.Tallies(auto, st) {
		s := r.tally(t.CodeID)
		s.Auto += t.Auto
		s.Accepted += t.Accepted
		s.Rejected += t.Rejected
		s.Added += t.Added
		s.Spans += t.Spans
	}
	whole := map[string]review.Action{}
	type span struct {
		code       string
		start, end int // byte offsets into the document's text, as evidence has them
	}
	byHand := map[span]bool{}
	for _, d := range st.Current() {
		switch {
		case d.Span == nil:
			whole[d.CodeID] = d.Action
		case d.Action == review.Add:
			from, to := byteOffset(p.Text, d.Span.Start), byteOffset(p.Text, d.Span.End)
			byHand[span{d.CodeID, p.Start + from, p.Start + to}] = true
		}
	}
	cs := review.Apply(auto, st)
	rev := make([]export.Reviewed, len(cs))
	for i, c := range cs {
		switch {
		case c.Source == corpus.SourceHuman:
			rev[i].Status = StatusAdded
		case whole[c.CodeID] == review.Accept || whole[c.CodeID] == review.Add:
			rev[i].Status = StatusAccepted
		default:
			rev[i].Status = StatusAuto
		}
		for k, e := range c.Evidence {
			if c.Source == corpus.SourceHuman || byHand[span{c.CodeID, e.Start, e.End}] {
				if rev[i].ByHand == nil {
					rev[i].ByHand = make([]bool, len(c.Evidence))
				}
				rev[i].ByHand[k] = true
			}
		}
	}
	return cs, rev
}

// byteOffset is the byte offset of code point n of text (len(text) at its
// end), as review counts spans.
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

// codings is apply without the statuses.
func (r *reviewer) codings(p corpus.Passage, auto []corpus.Coding) []corpus.Coding {
	cs, _ := r.apply(p, auto)
	return cs
}

// finish is called after every passage went through apply: the decisions
// of passages that never came are orphans. It returns the record for
// run.json.
func (r *reviewer) finish() workspace.ReviewRecord {
	if !r.active() || r.finished {
		return r.rec
	}
	r.finished = true
	for id, ds := range r.byPassage {
		if !r.seen[id] {
			for _, d := range ds {
				r.orphans = append(r.orphans, review.Orphan{Decision: d, Reason: "passage not found"})
			}
		}
	}
	slices.SortFunc(r.orphans, func(a, b review.Orphan) int { return cmp.Compare(a.Seq, b.Seq) })
	r.rec.Orphans = len(r.orphans)
	return r.rec
}

// info is what the report says about the review (nil without decisions);
// finish must have been called.
func (r *reviewer) info() *analysis.ReviewInfo {
	if !r.active() {
		return nil
	}
	ri := &analysis.ReviewInfo{Decisions: r.rec.Decisions, LastSeq: r.rec.LastSeq, SHA256: r.rec.SHA256}
	for _, t := range r.tallies {
		ri.Tallies = append(ri.Tallies, analysis.ReviewTally{CodeID: t.CodeID, Auto: t.Auto, Accepted: t.Accepted,
			Rejected: t.Rejected, Added: t.Added, Spans: t.Spans})
	}
	slices.SortFunc(ri.Tallies, func(a, b analysis.ReviewTally) int { return cmp.Compare(a.CodeID, b.CodeID) })
	for _, o := range r.orphans {
		ri.Orphans = append(ri.Orphans, analysis.ReviewOrphan{Seq: o.Seq, Coder: o.Coder, PassageID: o.PassageID,
			CodeID: o.CodeID, Action: string(o.Action), Reason: o.Reason})
	}
	return ri
}

// scanReviewed is scan with codings, each passage's codings the reviewed
// ones.
func scanReviewed(out string, m *workspace.Manifest, r *reviewer, fn func(p corpus.Passage, cs []corpus.Coding) error) error {
	return scan(out, m, true, func(p corpus.Passage, cs []corpus.Coding) error {
		return fn(p, r.codings(p, cs))
	})
}

// IndexReviewNote returns a line for the user when workspace out's index
// was built from another state of the review than review.sqlite holds now
// (so its codes, the --code filter and the code facet, miss the newest
// decisions), and "" when it is up to date or cannot be told.
func IndexReviewNote(ctx context.Context, out string) string {
	if noReview(out) {
		return ""
	}
	m, err := workspace.ReadManifest(out)
	if err != nil || len(m.StageOutputs(workspace.StageIndex)) == 0 {
		return ""
	}
	log, _, err := readReview(ctx, &Config{Out: out})
	if err != nil {
		return ""
	}
	now, rec := reviewRecord(log), m.Review[workspace.StageIndex]
	switch {
	case now.SHA256 == rec.SHA256:
		return ""
	case now.Decisions > rec.Decisions && rec.LastSeq < now.LastSeq:
		return fmt.Sprintf("note: the index's codes predate %d review decision(s); `lcity analyze` (or `lcity index`) brings them up to date", now.Decisions-rec.Decisions)
	default:
		return "note: the index's codes rest on another state of review.sqlite than the one in the workspace; `lcity analyze` (or `lcity index`) brings them up to date"
	}
}

// noReview reports whether workspace out certainly has neither review
// decisions nor a record of any in run.json, telling it without decoding
// run.json (which lists every output, 530 KB at 1,600 reports, and cost
// `lcity search` more than the search itself): there is no review.sqlite,
// and no key of run.json can be "review", because the word occurs nowhere
// in the file in any case and no \u escape could spell it. Otherwise the
// caller reads the manifest.
func noReview(out string) bool {
	if _, err := os.Stat((&Config{Out: out}).reviewPath()); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	data, err := os.ReadFile(filepath.Join(out, workspace.RunFile))
	if err != nil {
		return false
	}
	return !bytes.Contains(data, []byte(`\u`)) && !containsFold(data, "review")
}

// containsFold reports whether data holds word (lower-case ASCII) in any
// mix of cases, as encoding/json matches object keys to field names.
func containsFold(data []byte, word string) bool {
	for i := 0; i+len(word) <= len(data); i++ {
		j := 0
		for j < len(word) && data[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}
