package pipeline

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// kwicWhole is the definition KWICAt implements: the context cut from the
// whole text on either side, put on one line.
func kwicWhole(text string, start, end, width int) KWICLine {
	left := []rune(oneLine(text[:start]))
	if len(left) > width {
		left = left[len(left)-width:]
	}
	right := []rune(oneLine(text[end:]))
	if len(right) > width {
		right = right[:width]
	}
	return KWICLine{Left: string(left), Match: oneLine(text[start:end]), Right: string(right)}
}

func TestKWICAt(t *testing.T) {
	tests := []struct {
		text, match string
		width       int
	}{
		{"The kominkan hold festivals.", "kominkan", 40},
		{"The kominkan hold festivals.", "kominkan", 2},
		{"  \n leading  space kominkan", "kominkan", 40},
		{"a\n\n\tb  c kominkan  \n d\te", "kominkan", 3},
		{"Pécs — Câmara de Lobos: learning", "learning", 10},
		{"Pécs — Câmara de Lobos: learning city", "Câmara", 4},
		{"kominkan", "kominkan", 5},
		{"x kominkan", "kominkan", 0},
	}
	for _, tt := range tests {
		start := strings.Index(tt.text, tt.match)
		end := start + len(tt.match)
		got := KWICAt(tt.text, start, end, tt.width)
		want := kwicWhole(tt.text, start, end, tt.width)
		if got != want {
			t.Errorf("KWICAt(%q, %d, %d, %d) = %+v, want %+v", tt.text, start, end, tt.width, got, want)
		}
	}
}

// TestKWICAtRandom compares KWICAt with its definition on random texts of
// words, runs of white space and non-ASCII letters.
func TestKWICAtRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"learning", "city", " ", "  ", "\n", "\t \n", "Pécs", "—", "e", "学习", ".", ""}
	for i := range 5000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		if text == "" {
			continue
		}
		// Offsets on rune boundaries, as evidence offsets are.
		var bounds []int
		for j := range text {
			bounds = append(bounds, j)
		}
		bounds = append(bounds, len(text))
		start := bounds[r.IntN(len(bounds))]
		end := bounds[r.IntN(len(bounds))]
		if start > end {
			start, end = end, start
		}
		width := r.IntN(12)
		got, want := KWICAt(text, start, end, width), kwicWhole(text, start, end, width)
		if got != want {
			t.Fatalf("case %d: KWICAt(%q, %d, %d, %d) = %+v, want %+v", i, text, start, end, width, got, want)
		}
		if !utf8.ValidString(got.Left + got.Match + got.Right) {
			t.Fatalf("case %d: invalid UTF-8", i)
		}
	}
}

func TestKWICSample(t *testing.T) {
	out := sample(t)
	lines, err := KWIC(context.Background(), out, "keyfeatures.families-communities", 30)
	if err != nil || len(lines) == 0 {
		t.Fatalf("KWIC code = %d lines, %v", len(lines), err)
	}
	for _, l := range lines {
		if l.CodeID == "" || l.PassageID == "" || utf8.RuneCountInString(l.Left) > 30 || utf8.RuneCountInString(l.Right) > 30 {
			t.Fatalf("line %+v", l)
		}
	}
	words, err := KWIC(context.Background(), out, "kominkan", 30)
	if err != nil || len(words) == 0 || words[0].City != "Okayama" || !strings.EqualFold(words[0].Match, "kominkan") {
		t.Fatalf("KWIC word = %+v, %v", words, err)
	}
}

// BenchmarkKWICAt cuts contexts around 20,000 matches in a 2.2 MB
// document (the case that took 573 s when each match converted the whole
// text before it to runes). go test -run XXX -bench KWICAt ./pipeline
func BenchmarkKWICAt(b *testing.B) {
	text := strings.Repeat("The city's learning festival brings families, partners and kominkan together. ", 28000)
	var at []int
	for i := 0; i < len(text) && len(at) < 20000; {
		j := strings.Index(text[i:], "kominkan")
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + 8
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		for _, s := range at {
			KWICAt(text, s, s+8, 40)
		}
	}
}
