package coding

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

// benchText is the embedded sample's case studies (written by the lcity
// authors), about 140 KB of realistic prose.
func benchText(b *testing.B) string {
	b.Helper()
	files, err := fs.Glob(os.DirFS("../corpus/sample/text"), "*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("sample texts: %v", err)
	}
	sort.Strings(files)
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile("../corpus/sample/text/" + f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// codebook1000 generates a codebook of 40 codes with 25 terms each (1,000
// terms): words, prefix wildcards and two-word phrases drawn with a fixed
// seed from the vocabulary of text, so that many of them match.
func codebook1000(b *testing.B, text string) *Codebook {
	b.Helper()
	seen := map[string]bool{}
	var vocab []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' }) {
		if len(w) >= 4 && !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	sort.Strings(vocab)
	r := rand.New(rand.NewPCG(1, 1000))
	used := map[string]bool{}
	var y strings.Builder
	y.WriteString("name: gen1000\ncodes:\n")
	for c := 0; c < 40; c++ {
		fmt.Fprintf(&y, "  - id: c%02d\n    label: Code %d\n    terms:\n", c, c)
		for n := 0; n < 25; {
			a, bw := vocab[r.IntN(len(vocab))], vocab[r.IntN(len(vocab))]
			var t string
			switch r.IntN(3) {
			case 0:
				t = a
			case 1:
				t = a[:4] + "*"
			default:
				t = a + " " + bw
			}
			if used[t] {
				continue
			}
			used[t] = true
			fmt.Fprintf(&y, "      - %q\n", t)
			n++
		}
	}
	cb, err := Parse([]byte(strings.ReplaceAll(y.String(), `"`, "'")), "gen1000.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return cb
}

// BenchmarkCode codes the sample case studies (one passage per paragraph)
// against the embedded codebooks (25 codes) and against a generated
// codebook of 1,000 terms; MB/s is text bytes per second. The set scans a
// passage once whatever the number of terms, so the two should run at
// similar speed. The -reference runs code with the matcher the set
// replaced (reference_test.go), in the same process, for a fair
// before/after on a busy machine; cpu-ms/op is the process's CPU time (GC
// included), steadier than wall time when other jobs share the machine:
//
//	go test ./coding -run '^$' -bench 'BenchmarkCode$' -count 6
func BenchmarkCode(b *testing.B) {
	text := benchText(b)
	var ps []corpus.Passage
	for i, para := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(para) != "" {
			ps = append(ps, corpus.Passage{ID: fmt.Sprintf("x-p%04d", i), DocID: "x", Text: para, End: len(para)})
		}
	}
	embedded, err := LoadAll(nil)
	if err != nil {
		b.Fatal(err)
	}
	gen := []*Codebook{codebook1000(b, text)}
	for _, bc := range []struct {
		name string
		cbs  []*Codebook
		code func([]*Codebook, corpus.Passage) []corpus.Coding
	}{
		{"embedded", embedded, CodeAll}, {"terms1000", gen, CodeAll},
		{"embedded-reference", embedded, refCodeAll}, {"terms1000-reference", gen, refCodeAll},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			cpu0, ok := testenv.CPUTime()
			for b.Loop() {
				n := 0
				for _, p := range ps {
					n += len(bc.code(bc.cbs, p))
				}
				if n == 0 {
					b.Fatal("no codings")
				}
			}
			if cpu1, _ := testenv.CPUTime(); ok {
				b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkCodeAll codes a 1,000-word passage against the three built-in
// codebooks; MB/s is passage text bytes per second.
func BenchmarkCodeAll(b *testing.B) {
	cbs, err := LoadAll(nil)
	if err != nil {
		b.Fatal(err)
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
