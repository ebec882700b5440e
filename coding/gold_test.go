package coding

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// TestSampleGoldProvenance checks that the sample's gold file is what its
// header says: the codes both readers gave, plus the disputed ones the
// adjudicator decided yes, for every passage either reader coded.
func TestSampleGoldProvenance(t *testing.T) {
	dir := filepath.Join("..", "corpus", "sample", "gold")
	read := func(name string) map[string]map[string]bool {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ParseGold(data, name)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]map[string]bool{}
		for _, r := range rows {
			if out[r.PassageID] == nil {
				out[r.PassageID] = map[string]bool{}
			}
			if r.CodeID != "" {
				out[r.PassageID][r.CodeID] = true
			}
		}
		return out
	}
	a, b, gold := read("readers/reader-a.csv"), read("readers/reader-b.csv"), read("gold.csv")
	f, err := os.Open(filepath.Join(dir, "readers", "adjudication.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	decided := map[[2]string]string{}
	for _, r := range recs[1:] {
		decided[[2]string{r[0], r[1]}] = r[2]
	}
	if len(a) != 340 || len(b) != 340 || len(gold) != 340 {
		t.Fatalf("passages: reader A %d, reader B %d, gold %d; want 340 each", len(a), len(b), len(gold))
	}
	disputes := 0
	for p := range a {
		codes := map[string]bool{}
		for c := range a[p] {
			codes[c] = true
		}
		for c := range b[p] {
			codes[c] = true
		}
		for c := range codes {
			want := a[p][c] && b[p][c]
			if a[p][c] != b[p][c] {
				disputes++
				d, ok := decided[[2]string{p, c}]
				if !ok {
					t.Errorf("%s %s: disputed but not adjudicated", p, c)
				}
				want = d == "yes"
			}
			if gold[p][c] != want {
				t.Errorf("%s %s: gold %v, want %v", p, c, gold[p][c], want)
			}
		}
		for c := range gold[p] {
			if !codes[c] {
				t.Errorf("%s %s: in the gold, given by neither reader", p, c)
			}
		}
	}
	if disputes != len(decided) {
		t.Errorf("%d disputes, %d adjudications", disputes, len(decided))
	}
}
