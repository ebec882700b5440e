package workspace

import (
	"reflect"
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
