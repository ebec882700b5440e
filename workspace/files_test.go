package workspace

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

func TestEvidenceRoundTrip(t *testing.T) {
	ev := []corpus.Evidence{{Term: "partner*", Start: 3, End: 10}, {Term: "a NEAR/3 b", Start: 20, End: 31}}
	got, err := ParseEvidence(FormatEvidence(ev))
	if err != nil || !reflect.DeepEqual(got, ev) {
		t.Errorf("ParseEvidence(FormatEvidence(%v)) = %v, %v", ev, got, err)
	}
	if _, err := ParseEvidence("term@x:1"); err == nil {
		t.Error("ParseEvidence accepted bad offsets")
	}
}

// TestCodingsRoundTrip: every source a coding can have, the hand-added
// one of the review included, is written and read back as it was.
func TestCodingsRoundTrip(t *testing.T) {
	p := 0.75
	for _, tc := range []struct {
		name string
		c    corpus.Coding
	}{
		{"dictionary", corpus.Coding{PassageID: "d-1", DocID: "d", City: "Cork", Region: "Europe", Page: 2, CodeID: "a.b", Score: 2,
			Evidence: []corpus.Evidence{{Term: "t", Start: 1, End: 2}}}},
		{"model", corpus.Coding{PassageID: "d-1", DocID: "d", Page: 1, CodeID: "a.b", Score: 1, Source: corpus.SourceModel, Confidence: &p}},
		{"both", corpus.Coding{PassageID: "d-1", DocID: "d", Page: 1, CodeID: "a.b", Score: 1, Source: corpus.SourceBoth, Confidence: &p,
			Evidence: []corpus.Evidence{{Term: "t", Start: 1, End: 2}}}},
		{"human", corpus.Coding{PassageID: "d-1", DocID: "d", Page: 1, CodeID: "a.b", Score: 1, Source: corpus.SourceHuman,
			Evidence: []corpus.Evidence{{Term: "a selected span", Start: 4, End: 19}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteCodings(&b, []corpus.Coding{tc.c}); err != nil {
				t.Fatal(err)
			}
			var got []corpus.Coding
			err := scanCodings(strings.NewReader(b.String()), "codings.csv", func(c corpus.Coding) error {
				got = append(got, c)
				return nil
			})
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], tc.c) {
				t.Errorf("read back %q = %+v, %v; want %+v", b.String(), got, err, tc.c)
			}
		})
	}
	bad := strings.Join(CodingsHeader, ",") + "\nd-1,d,,,1,a.b,1,0,,robot,\n"
	if err := scanCodings(strings.NewReader(bad), "codings.csv", func(corpus.Coding) error { return nil }); err == nil {
		t.Error("scanCodings accepted source \"robot\"")
	}
}
