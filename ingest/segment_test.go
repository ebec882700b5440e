package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jdkato/prose/v2"

	"github.com/lcity/lcity/corpus"
)

// proseSentences is the reference: prose's public API, which builds a new
// segmenter (and reloads its model) for every call.
func proseSentences(tb testing.TB, text string) []string {
	tb.Helper()
	doc, err := prose.NewDocument(text,
		prose.WithTagging(false), prose.WithExtraction(false), prose.WithTokenization(false))
	if err != nil {
		tb.Fatalf("prose.NewDocument: %v", err)
	}
	var out []string
	for _, s := range doc.Sentences() {
		out = append(out, s.Text)
	}
	return out
}

// joinedText is the text segment gives the segmenter for docs.
func joinedText(docs []Doc) string {
	var texts []string
	for _, d := range docs {
		for _, p := range d.Passages {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n\n")
}

// TestSegmenterMatchesProse: the shared segmenter splits the sample's text
// (each input file's passages joined, as segment does) and some hard cases
// exactly as prose.NewDocument does.
func TestSegmenterMatchesProse(t *testing.T) {
	cases := []struct{ name, text string }{
		{"empty", ""},
		{"abbreviations", "Mr. Smith met the Gov. of the region. No. 5 was next; Mt. Fuji is high."},
		{"ellipsis", "They waited... Then it began. Or did it. . . Perhaps."},
		{"quotes", "She said “we learn.” The city agreed! (Really?) Yes."},
		{"initials", "J. R. Smith and the U.N. met in the U.K. Everyone came."},
		{"newlines", "A line\nwithout an end\n\nA new one. And more"},
		{"yahoo", "Yahoo! is a name. It ends."},
	}
	for i, docs := range samplePassages(t) {
		cases = append(cases, struct{ name, text string }{fmt.Sprintf("sample-%d", i), joinedText(docs)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, want := sentenceTexts(tc.text), proseSentences(t, tc.text)
			if !slices.Equal(got, want) {
				t.Errorf("sentenceTexts gave %d sentences, prose %d", len(got), len(want))
				for j := range max(len(got), len(want)) {
					var g, w string
					if j < len(got) {
						g = got[j]
					}
					if j < len(want) {
						w = want[j]
					}
					if g != w {
						t.Fatalf("sentence %d = %q, want %q", j, g, w)
					}
				}
			}
		})
	}
}

// FuzzSegmenterMatchesProse: on any text the shared segmenter agrees with
// prose.NewDocument.
func FuzzSegmenterMatchesProse(f *testing.F) {
	for _, s := range []string{
		"Mr. Smith went. He came back.",
		"Dr. Who... and the U.S.A. (Yes!) “Quoted.” 'Single.'",
		"1. First item\n2. Second item. 3.5 is a number.",
		"Pécs, Hungary. Câmara de Lobos? Beijing!",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, want := sentenceTexts(text), proseSentences(t, text)
		if !slices.Equal(got, want) {
			t.Fatalf("sentenceTexts(%q) = %q, prose gives %q", text, got, want)
		}
	})
}

// TestSegmenterConcurrent: workers segment different documents at the
// same time through the one shared segmenter, each with one to three
// goroutines of its own, and get what one goroutine gets; run under -race
// it shows the segmenter is safe to share.
func TestSegmenterConcurrent(t *testing.T) {
	files := samplePassages(t)
	var want [][]Doc
	for _, docs := range files {
		d := withoutSentences(docs)
		segmentDocs(d, 1)
		want = append(want, d)
	}
	const rounds = 3
	var wg sync.WaitGroup
	got := make([][]Doc, len(files)*rounds)
	for i := range got {
		wg.Go(func() {
			d := withoutSentences(files[i%len(files)])
			segmentDocs(d, 1+i%3)
			got[i] = d
		})
	}
	wg.Wait()
	for i, g := range got {
		w := want[i%len(files)]
		for j := range w {
			for k := range w[j].Passages {
				if !slices.Equal(g[j].Passages[k].Sentences, w[j].Passages[k].Sentences) {
					t.Fatalf("goroutine %d, passage %s: sentences %v, want %v",
						i, w[j].Passages[k].ID, g[j].Passages[k].Sentences, w[j].Passages[k].Sentences)
				}
			}
		}
	}
}

// samplePassages extracts the embedded sample corpus and returns its
// documents, one slice per input file, whose passages carry the sentence
// spans of the current segmenter.
func samplePassages(tb testing.TB) [][]Doc {
	tb.Helper()
	c := corpus.Sample()
	var files [][]Doc
	for _, in := range Inputs(c) {
		res := File(context.Background(), c.FS, in, Options{})
		if len(res.Failures) > 0 {
			tb.Fatalf("sample %s: %v", in.File, res.Failures)
		}
		files = append(files, res.Docs)
	}
	return files
}

// withoutSentences returns a copy of docs whose passages have no sentence
// spans yet.
func withoutSentences(docs []Doc) []Doc {
	out := make([]Doc, len(docs))
	for i, d := range docs {
		ps := make([]corpus.Passage, len(d.Passages))
		copy(ps, d.Passages)
		for j := range ps {
			ps[j].Sentences = nil
		}
		out[i] = Doc{Document: d.Document, Passages: ps}
	}
	return out
}

// BenchmarkSegment measures sentence segmentation of the sample's
// passages, one call per input file as File makes it: segmentDocs (the
// shared segmenter and the mapping of sentences onto passages), and the
// splitting alone by the shared segmenter and by prose.NewDocument, which
// builds a new one per call, in the same run. MB/s is passage text bytes
// per second.
//
//	go test ./ingest -run XXX -bench BenchmarkSegment -benchtime 10x -count 3
func BenchmarkSegment(b *testing.B) {
	files := samplePassages(b)
	var n int64
	var texts []string
	for _, docs := range files {
		texts = append(texts, joinedText(docs))
		for _, d := range docs {
			for _, p := range d.Passages {
				n += int64(len(p.Text))
			}
		}
	}
	b.Run("segmentDocs", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, docs := range files {
				segmentDocs(withoutSentences(docs), 1)
			}
		}
	})
	b.Run("split/shared", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				sentenceTexts(t)
			}
		}
	})
	b.Run("split/prose.NewDocument", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				proseSentences(b, t)
			}
		}
	})
}

// TestSegmentChunks segments one document of more passages than a chunk
// holds (the sample's passages, over and over) with one to five
// goroutines: the spans are the same for every count, every passage has
// sentences, and each span lies inside its passage.
func TestSegmentChunks(t *testing.T) {
	var long Doc
	for len(long.Passages) < 3*segmentChunk+17 {
		for _, docs := range samplePassages(t) {
			for _, d := range docs {
				long.Passages = append(long.Passages, d.Passages...)
			}
		}
	}
	want := withoutSentences([]Doc{long})
	segmentDocs(want, 1)
	for workers := 2; workers <= 5; workers++ {
		got := withoutSentences([]Doc{long})
		segmentDocs(got, workers)
		for k, p := range got[0].Passages {
			if !slices.Equal(p.Sentences, want[0].Passages[k].Sentences) {
				t.Fatalf("%d goroutines, passage %d: sentences %v, want %v", workers, k, p.Sentences, want[0].Passages[k].Sentences)
			}
		}
	}
	for k, p := range want[0].Passages {
		if len(p.Sentences) == 0 {
			t.Fatalf("passage %d has no sentence", k)
		}
		for _, sp := range p.Sentences {
			if sp.Start < p.Start || sp.End > p.End || sp.Start >= sp.End {
				t.Fatalf("passage %d [%d, %d): sentence %v outside it", k, p.Start, p.End, sp)
			}
		}
	}
}
