package coding

import (
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// BenchmarkCodeAll codes a 1,000-word passage against the three built-in
// codebooks; MB/s is passage text bytes per second.
func BenchmarkCodeAll(b *testing.B) {
	var cbs []*Codebook
	for _, n := range Defaults {
		cb, err := Load(n)
		if err != nil {
			b.Fatal(err)
		}
		cbs = append(cbs, cb)
	}
	text := strings.Repeat("The city council and its partners run a learning festival for older people, migrants and families in community learning centres. ", 60)
	p := corpus.Passage{ID: "x-p0001", DocID: "x", Text: text}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(CodeAll(cbs, p)) == 0 {
			b.Fatal("no codings")
		}
	}
}
