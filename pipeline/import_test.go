package pipeline

import (
	"testing"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/qdpx"
)

// TestResolveCode: a project's code is found by lcity's GUID, by ID, by
// the ID starting its description, by label (settled among codebooks by an
// ancestor named after one), and refused with a reason otherwise.
func TestResolveCode(t *testing.T) {
	cbs := []*coding.Codebook{
		{Name: "alpha", Title: "First book", Codes: []corpus.Code{
			{ID: "alpha.g", Label: "Group", Group: true},
			{ID: "alpha.inclusion", Label: "Inclusion", Parent: "alpha.g"},
			{ID: "alpha.only", Label: "Only here"},
		}},
		{Name: "beta", Title: "Second book", Codes: []corpus.Code{{ID: "beta.inclusion", Label: "Inclusion"}}},
	}
	ix := newCodeIndex(cbs)
	p := &qdpx.Project{Codes: map[string]qdpx.Code{}}
	add := func(guid, name, desc, parent string, codable bool) string {
		p.Codes[guid] = qdpx.Code{GUID: guid, Name: name, Description: desc, Parent: parent, Codable: codable}
		return guid
	}
	topA := add("t1", "alpha: First book", "", "", false)
	topB := add("t2", "Second book", "", "", false)
	tests := []struct {
		name, guid, want, reason string
	}{
		{"lcity GUID", export.GUID("code:alpha.only"), "alpha.only", ""},
		{"lcity GUID of a group", export.GUID("code:alpha.g"), "", ReasonNotCodable},
		{"lcity GUID of a codebook", export.GUID("codebook:beta"), "", ReasonNotCodable},
		{"ID as name", add("c1", "beta.inclusion", "", "", true), "beta.inclusion", ""},
		{"ID in description", add("c2", "renamed", "alpha.only: renamed in NVivo", "", true), "alpha.only", ""},
		{"label, case and spaces", add("c3", "  only   HERE ", "", "", true), "alpha.only", ""},
		{"shared label under codebook alpha", add("c4", "Inclusion", "", topA, true), "alpha.inclusion", ""},
		{"shared label under codebook beta's title", add("c5", "inclusion", "", topB, true), "beta.inclusion", ""},
		{"shared label without a codebook above", add("c6", "Inclusion", "", "", true), "", ReasonAmbiguousCode},
		{"unknown name", add("c7", "Smart city", "", "", true), "", ReasonUnknownCode},
		{"unknown folder", add("c8", "Folder", "", "", false), "", ReasonNotCodable},
		{"dangling CodeRef", "nowhere", "", ReasonUnknownCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, reason, detail := ix.resolve(p, tt.guid)
			if id != tt.want || reason != tt.reason || (reason != "" && detail == "") {
				t.Errorf("resolve(%s) = %q, %q, %q; want %q, %q", tt.guid, id, reason, detail, tt.want, tt.reason)
			}
		})
	}
}
