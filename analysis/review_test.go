package analysis

import (
	"bytes"
	"strings"
	"testing"
)

// TestReportReviewGolden checks the report's Human review section against
// testdata/golden/report_review.md, and that without a review the report
// has no such section.
func TestReportReviewGolden(t *testing.T) {
	res, err := Analyze(hypInput(), Options{Seed: 7, Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		review *ReviewInfo
		golden string
	}{
		{"none", nil, ""},
		{"reviewed", &ReviewInfo{Decisions: 5, LastSeq: 9, SHA256: strings.Repeat("ab", 32),
			Tallies: []ReviewTally{
				{CodeID: "c.a", Auto: 4, Accepted: 2, Rejected: 1},
				{CodeID: "c.b", Auto: 3, Added: 1, Spans: 2},
				{CodeID: "c.z", Auto: 7}, // not reviewed: left out
			},
			Orphans: []ReviewOrphan{{Seq: 4, Coder: "ana|bo", PassageID: "x-1", CodeID: "c.a", Action: "add", Reason: "passage not found"}},
		}, "report_review.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			meta := ReportMeta{CorpusSource: "test", Review: tc.review}
			if err := res.WriteMarkdown(&b, meta); err != nil {
				t.Fatal(err)
			}
			md := b.String()
			i, j := strings.Index(md, "## Human review"), strings.Index(md, "## Limits")
			if tc.review == nil {
				if i >= 0 || strings.Contains(md, "reviewed by people") {
					t.Error("a report without a review has a Human review section")
				}
				return
			}
			if i < 0 || j < i {
				t.Fatalf("report has no Human review section before Limits:\n%s", md)
			}
			checkGolden(t, tc.golden, []byte(md[i:j]))
		})
	}
}
