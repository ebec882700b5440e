package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// facetWords are the words of facetTestIndex's passages.
var facetWords = strings.Fields("learning festival city families library museum migrants school park river")

// TestFacetsFromHits: the facets counted from the hits' stored fields
// equal those counted from doc values, shard by shard, on an index of 4
// shards with more than facetSize cities and codes (where Bleve's index
// alias cut and lost counts), passages without codes, section or year,
// for word queries, filters and filter-only listings; and for a query
// that every passage matches, both equal the counts of the passages
// themselves.
func TestFacetsFromHits(t *testing.T) {
	oldMax, oldShare := FacetHitsMax, facetHitsShare
	t.Cleanup(func() { FacetHitsMax, facetHitsShare = oldMax, oldShare })
	x, ps, codes := facetTestIndex(t)
	all := map[string]map[string]int{}
	for _, f := range FacetFields {
		all[f] = map[string]int{}
	}
	for _, p := range ps {
		d := newPassageDoc(p, codes[p.ID])
		all["city"][d.City]++
		all["region"][d.Region]++
		all["section"][d.Section]++
		all["year"][d.Year]++
		seen := map[string]bool{}
		for _, c := range d.Codes {
			if !seen[c] {
				seen[c] = true
				all["codes"][c]++
			}
		}
	}
	wantAll := map[string][]FacetCount{}
	for _, f := range FacetFields {
		wantAll[f] = topTerms(all[f])
	}
	queries := []Query{{Q: "learning OR festival OR city OR families OR library OR museum OR migrants OR school OR park OR river"},
		{Region: corpus.RegionEurope}, {City: "City 007"}, {Q: "nothingatall"}, {Q: "+festival +river"}}
	for _, w := range facetWords {
		queries = append(queries, Query{Q: w}, Query{Q: w, Region: corpus.RegionAsiaPacific}, Query{Q: w, Code: "cb.code-07"}, Query{Q: w, Year: "2016"})
	}
	for _, q := range queries {
		q.Limit = 5
		FacetHitsMax, facetHitsShare = 0, oldShare // Bleve's facets
		want, err := x.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		FacetHitsMax, facetHitsShare = 1<<40, 0 // from the hits, whatever their number
		got, err := x.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Search(%+v) from the hits = %+v,\nfrom doc values %+v", q, got.Facets, want.Facets)
		}
		if q.Q == queries[0].Q && !reflect.DeepEqual(want.Facets, wantAll) {
			t.Errorf("Search(%+v) facets = %+v,\nwant the passages' own %+v", q, want.Facets, wantAll)
		}
		if len(want.Facets["city"]) > facetSize || len(want.Facets["codes"]) > facetSize {
			t.Errorf("Search(%+v): more than %d facet terms", q, facetSize)
		}
	}
}

// facetTestIndex builds the index of TestFacetsFromHits: 600 passages of
// 140 cities in 4 shards, with up to 5 of 70 codes each.
func facetTestIndex(t *testing.T) (*Index, []corpus.Passage, map[string][]string) {
	t.Helper()
	old := ShardSize
	defer func() { ShardSize = old }()
	ShardSize = 150
	r := rand.New(rand.NewPCG(20150917, 19))
	var ps []corpus.Passage
	codes := map[string][]string{}
	for i := range 600 {
		city := fmt.Sprintf("City %03d", r.IntN(140))
		region := corpus.RegionEurope
		if city[len(city)-1]%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		p := corpus.Passage{ID: fmt.Sprintf("p%04d", i), DocID: "d-" + city, City: city, Region: region,
			Year: 2015 + r.IntN(4), Page: 1 + r.IntN(30), Section: fmt.Sprintf("Section %d", r.IntN(6)), Start: i * 10}
		switch i % 17 {
		case 3:
			p.Section = ""
		case 5:
			p.Year = 0
		}
		var text []string
		for range 3 + r.IntN(8) {
			text = append(text, facetWords[r.IntN(len(facetWords))])
		}
		p.Text = strings.Join(text, " ")
		for range r.IntN(6) {
			codes[p.ID] = append(codes[p.ID], fmt.Sprintf("cb.code-%02d", r.IntN(70)))
		}
		ps = append(ps, p)
	}
	x := buildOpen(t, ps, codes, 1)
	if len(x.shards) != 4 {
		t.Fatalf("%d shards, want 4", len(x.shards))
	}
	return x, ps, codes
}
