package analysis

import (
	"bytes"
	"fmt"
)

// ReviewInfo is what the report says about the human review of the
// coding (review.sqlite): how many decisions the numbers rest on, what
// they did to each code, and the decisions that apply to nothing.
type ReviewInfo struct {
	Decisions int    // decisions in the log the analysis used, orphans included
	LastSeq   int64  // the last decision's sequence number
	SHA256    string // the log's hash (review.Hash), as run.json records it
	Tallies   []ReviewTally
	Orphans   []ReviewOrphan
}

// ReviewTally is what the review did to one code's coding.
type ReviewTally struct {
	CodeID   string
	Auto     int // the auto-coder's codings
	Accepted int // of those, accepted
	Rejected int // of those, rejected or removed
	Added    int // codings people added on passages the auto-coder did not code with it
	Spans    int // spans people coded by hand
}

// ReviewOrphan is a decision that applies to no current passage or code.
type ReviewOrphan struct {
	Seq                                      int64
	Coder, PassageID, CodeID, Action, Reason string
}

// reviewText writes the report's section on the review.
func (r *Result) reviewText(b *bytes.Buffer, ri *ReviewInfo) {
	if ri == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Human review\n\n")
	p("Every number in this report rests on the reviewed coding: the auto-coder's codings, plus the codes people added, minus those they rejected or removed (%d decisions in review.sqlite, up to decision %d, log SHA-256 `%s`). codings.csv keeps the auto-coder's output; `lcity export csv` has a status column (auto, accepted, added).\n\n",
		ri.Decisions, ri.LastSeq, short(ri.SHA256))
	label := map[string]string{}
	for _, c := range r.Codes {
		label[c.ID] = c.Label
	}
	p("| Code | Auto-coded | Reviewed | Accepted | Rejected or removed | Added | Spans coded by hand |\n|---|---:|---:|---:|---:|---:|---:|\n")
	var sum ReviewTally
	for _, t := range ri.Tallies {
		if t.Accepted+t.Rejected+t.Added+t.Spans == 0 {
			continue
		}
		name := "`" + t.CodeID + "`"
		if l := label[t.CodeID]; l != "" {
			name = md(l) + " (" + name + ")"
		}
		p("| %s | %d | %d | %d | %d | %d | %d |\n", name, t.Auto, t.Accepted+t.Rejected, t.Accepted, t.Rejected, t.Added, t.Spans)
		sum.Auto += t.Auto
		sum.Accepted += t.Accepted
		sum.Rejected += t.Rejected
		sum.Added += t.Added
		sum.Spans += t.Spans
	}
	p("| the codes above | %d | %d | %d | %d | %d | %d |\n\n", sum.Auto, sum.Accepted+sum.Rejected, sum.Accepted, sum.Rejected, sum.Added, sum.Spans)
	p("Codes that nobody reviewed are left out of the table; their auto-coded passages count as they are.\n\n")
	if len(ri.Orphans) == 0 {
		p("Every decision applies to a passage and a code of this workspace.\n\n")
		return
	}
	p("%d decision(s) apply to no passage or code of this workspace (orphans). They stay in review.sqlite and apply again if their passage or code comes back:\n\n", len(ri.Orphans))
	p("| Decision | Coder | Passage | Code | Action | Why |\n|---:|---|---|---|---|---|\n")
	for _, o := range ri.Orphans {
		p("| %d | %s | `%s` | `%s` | %s | %s |\n", o.Seq, md(o.Coder), md(o.PassageID), md(o.CodeID), o.Action, md(o.Reason))
	}
	p("\n")
}
