package pipeline

import (
	"reflect"
	"testing"
)

// TestDiffPassages: passages are matched by ID; unmatched ones between the
// same matched neighbours are paired as changed, the rest added or
// removed, in reading order.
func TestDiffPassages(t *testing.T) {
	doc := func(ids ...string) []string { return ids }
	tests := []struct {
		name string
		a, b map[string][]string
		want PassageDiff
	}{
		{"identical", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("x", "y", "z")},
			PassageDiff{Same: 3}},
		{"inserted at the start", map[string][]string{"d": doc("x", "y")}, map[string][]string{"d": doc("n", "x", "y")},
			PassageDiff{Same: 2, Added: []string{"n"}}},
		{"inserted in the middle", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("x", "n", "y", "z")},
			PassageDiff{Same: 3, Added: []string{"n"}}},
		{"removed at the end", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("x", "y")},
			PassageDiff{Same: 2, Removed: []string{"z"}}},
		{"edited", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("x", "y2", "z")},
			PassageDiff{Same: 2, Changed: []PassageChange{{"y", "y2"}}}},
		{"edited and one more", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("x", "y2", "n", "z")},
			PassageDiff{Same: 2, Changed: []PassageChange{{"y", "y2"}}, Added: []string{"n"}}},
		{"edit, removal and insertion apart", map[string][]string{"d": doc("p1", "p2", "p3", "p4", "p5", "p6", "p7")},
			map[string][]string{"d": doc("p1", "q2", "p3", "p5", "p6", "n", "p7")},
			PassageDiff{Same: 5, Changed: []PassageChange{{"p2", "q2"}}, Removed: []string{"p4"}, Added: []string{"n"}}},
		{"moved", map[string][]string{"d": doc("x", "y", "z")}, map[string][]string{"d": doc("z", "x", "y")},
			PassageDiff{Same: 3}},
		{"documents apart", map[string][]string{"d": doc("x"), "gone": doc("g")}, map[string][]string{"d": doc("x"), "new": doc("n1", "n2")},
			PassageDiff{Same: 1, Removed: []string{"g"}, Added: []string{"n1", "n2"}}},
		{"no passages", map[string][]string{}, map[string][]string{}, PassageDiff{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffPassages(tt.a, tt.b)
			for _, s := range []*[]string{&tt.want.Added, &tt.want.Removed} {
				if *s == nil {
					*s = []string{}
				}
			}
			if tt.want.Changed == nil {
				tt.want.Changed = []PassageChange{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diffPassages(%v, %v) = %+v, want %+v", tt.a, tt.b, got, tt.want)
			}
			if got.Empty() != (len(tt.want.Added)+len(tt.want.Removed)+len(tt.want.Changed) == 0) {
				t.Errorf("Empty() = %v for %+v", got.Empty(), got)
			}
		})
	}
}
