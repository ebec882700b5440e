package ingest

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// glyphs lays out s as glyphs of width w at baseline y starting at x; a
// space advances x without a glyph when positioned is true (as PDFs that
// place every word themselves do).
func glyphs(s string, x, y, w, size float64, positioned bool) []glyph {
	var gs []glyph
	for _, r := range s {
		if r == ' ' && positioned {
			x += w * 1.2
			continue
		}
		gs = append(gs, glyph{s: string(r), x: x, y: y, w: w, size: size})
		x += w
	}
	return gs
}

func TestAssembleLines(t *testing.T) {
	tests := []struct {
		name string
		gs   []glyph
		want []string
	}{
		{"spaces as glyphs", glyphs("learning city", 10, 700, 5, 10, false), []string{"learning city"}},
		{"words placed by position", glyphs("learning city festival", 10, 700, 5, 10, true), []string{"learning city festival"}},
		{"two lines top to bottom", append(glyphs("second", 10, 680, 5, 10, false), glyphs("first", 10, 700, 5, 10, false)...), []string{"first", "second"}},
		{"ligature normalised", []glyph{{s: "ﬁ", x: 0, y: 10, w: 5, size: 10}, {s: "nd", x: 5, y: 10, w: 10, size: 10}}, []string{"find"}},
		{"no widths keep stream order", []glyph{{s: "a", x: 3, y: 10, size: 10}, {s: "b", x: 3, y: 10, size: 10}, {s: " ", x: 3, y: 10, size: 10}, {s: "c", x: 3, y: 10, size: 10}}, []string{"ab c"}},
		{"a glyph without a width inside a word", append(glyphs("the o", 0, 10, 5, 10, true), []glyph{{s: "ffi", x: 26, y: 10, size: 10}, {s: "c", x: 26.2, y: 10, w: 5, size: 10}, {s: "e", x: 31.2, y: 10, w: 5, size: 10}}...), []string{"the office"}},
		{"slightly uneven baseline is one line", append(glyphs("ab", 0, 100, 5, 10, false), glyphs("cd", 10, 101.5, 5, 10, false)...), []string{"abcd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := assembleLines(tt.gs)
			var got []string
			for _, l := range lines {
				got = append(got, l.text)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("assembleLines = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestJoinLines(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"lifelong learn-", "ing for all"}, "lifelong learning for all"},
		{[]string{"the Asia-", "Pacific region"}, "the Asia-Pacific region"},
		{[]string{"one line", "two lines"}, "one line two lines"},
		{[]string{"ends with dash -", "next"}, "ends with dash - next"},
		{[]string{"", "  spaced  "}, "spaced"},
		{[]string{"a 650-", "year-old bridge"}, "a 650-year-old bridge"},
		{[]string{"pages 10-", "12"}, "pages 10-12"},
	}
	for _, tt := range tests {
		if got := joinLines(tt.in); got != tt.want {
			t.Errorf("joinLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRemoveFurniture(t *testing.T) {
	var pages []page
	for n := 1; n <= 5; n++ {
		pages = append(pages, page{number: n, lines: []line{
			{text: "Learning Cities Case Studies | illustrative sample", y: 800, size: 8},
			{text: "Body text of page that is unique " + string(rune('A'+n)), y: 700, size: 10},
			{text: "Another unique line " + string(rune('a'+n)), y: 680, size: 10},
			{text: string(rune('0' + n)), y: 40, size: 8},
		}})
	}
	got := removeFurniture(pages)
	for _, p := range got {
		if len(p.lines) != 2 {
			t.Fatalf("page %d kept %d lines, want 2: %+v", p.number, len(p.lines), p.lines)
		}
		for _, l := range p.lines {
			if l.size != 10 {
				t.Errorf("page %d kept furniture %q", p.number, l.text)
			}
		}
	}
}

func TestPageNumberRE(t *testing.T) {
	for s, want := range map[string]bool{
		"12": true, "- 12 -": true, "Page 3": true, "page 3 of 20": true, "xiv": true, "(4)": true,
		"12 cities took part": false, "Learning": false, "2015 award": false,
	} {
		if got := pageNumberRE.MatchString(s); got != want {
			t.Errorf("pageNumberRE.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestRemoveFurnitureTwoPages: a two-page document (a browser's print of
// a web page) loses the date and title line on top of both pages and the
// address and page count at their bottom; its body lines stay, on both
// pages, even those at the edges.
func TestRemoveFurnitureTwoPages(t *testing.T) {
	body := [][]string{
		{"Cork became a learning city in 2002, when its first festival was held.", "The festival now runs for a week each spring, in every part of the city.", "Community centres, libraries and schools host most of its events."},
		{"Partners include the university, the institute of technology and the council.", "Each partner names a person who answers for its part of the programme.", "An annual report lists the events and the number of people who took part."},
	}
	pages := []page{{number: 1}, {number: 2}}
	for i := range pages {
		n := string(rune('1' + i))
		pages[i].lines = append(pages[i].lines, line{text: "26/11/2026, 10:1" + n + " Learning in Cork", y: 820, size: 8})
		for k, b := range body[i] {
			pages[i].lines = append(pages[i].lines, line{text: b, y: 700 - 14*float64(k), size: 10})
		}
		pages[i].lines = append(pages[i].lines, line{text: "file:///home/researcher/cork.html " + n + "/2", y: 20, size: 8})
	}
	for i, p := range removeFurniture(pages) {
		var got []string
		for _, l := range p.lines {
			got = append(got, l.text)
		}
		if strings.Join(got, "|") != strings.Join(body[i], "|") {
			t.Errorf("page %d kept %q, want its body lines %q", p.number, got, body[i])
		}
	}
}

// TestJoinLinesVocabulary: a word broken at a line-end hyphen keeps its
// hyphen when the document writes it hyphenated elsewhere or uses both
// parts as words (and never the two run together), and is joined
// otherwise.
func TestJoinLinesVocabulary(t *testing.T) {
	doc := []string{
		"The city wants a world-class university and future-oriented schools.",
		"Its third level colleges serve the whole world; each class is small.",
		"The community centres run courses on learning.",
	}
	var pg page
	for i, l := range doc {
		pg.lines = append(pg.lines, line{text: l, y: float64(700 - 14*i), size: 10, x1: 300})
	}
	v := newVocabulary([]page{pg})
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"a world-", "class museum"}, "a world-class museum"},            // written so elsewhere
		{[]string{"a future-", "oriented plan"}, "a future-oriented plan"},        // written so elsewhere
		{[]string{"the third-", "level sector"}, "the third-level sector"},        // both parts are words
		{[]string{"the commu-", "nity centres"}, "the community centres"},         // "commu" is no word
		{[]string{"lifelong learn-", "ing for all"}, "lifelong learning for all"}, // "learning" is written whole
		{[]string{"it will be-", "come"}, "it will become"},                       // short parts are syllables
	}
	for _, tt := range tests {
		if got := joinLinesIn(tt.in, v); got != tt.want {
			t.Errorf("joinLinesIn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The same through blocks, each case a paragraph of its own after the
	// document's lines.
	y := 600.0
	for _, tt := range tests {
		y -= 40
		for k, l := range tt.in {
			pg.lines = append(pg.lines, line{text: l, y: y - 14*float64(k), size: 10, x1: 300})
		}
	}
	bs := blocks([]page{pg})
	got := map[string]bool{}
	for _, b := range bs {
		got[b.text] = true
	}
	for _, tt := range tests {
		if !got[tt.want] {
			t.Errorf("blocks: no paragraph %q in %v", tt.want, bs)
		}
	}
}

// TestParagraphFontSize checks where a change of font size starts a
// paragraph: at a code box or caption after body text, not at the short
// lines of superscripts and formula parts set among the body lines.
func TestParagraphFontSize(t *testing.T) {
	ln := func(y, size float64, s string) line {
		return line{text: s, x: 72, x1: 72 + float64(len(s))*size/2, y: y, size: size, colLeft: 72}
	}
	tests := []struct {
		name  string
		lines []line
		want  []string
	}{
		{"code box after body", []line{ln(700, 12, "Volunteers teach digital skills"), ln(686, 12, "in every library of the city"), ln(672, 9, "go run ./cmd/lcity")},
			[]string{"Volunteers teach digital skills in every library of the city", "go run ./cmd/lcity"}},
		{"superscript among body lines", []line{ln(700, 12, "The sphere can be deformed"), ln(693, 8, "2"), ln(686, 12, "into the cube but not into")},
			[]string{"The sphere can be deformed 2 into the cube but not into"}},
		{"superscript first", []line{ln(707, 8, "2"), ln(700, 12, "The sphere can be deformed"), ln(686, 12, "into the cube but not into")},
			[]string{"2 The sphere can be deformed into the cube but not into"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range blocks([]page{{number: 1, lines: tt.lines}}) {
				got = append(got, b.text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("blocks = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCleanLineShortcut holds cleanLine's shortcut for clean ASCII to the
// full normalisation: on every string of up to five bytes over spaces,
// letters, controls and non-ASCII, both give the same text.
func TestCleanLineShortcut(t *testing.T) {
	alphabet := []string{" ", "a", "Z", "~", "\t", "\x7f", "\u00ad", "ﬁ", "\x01"}
	var try func(s string, n int)
	try = func(s string, n int) {
		if got, want := cleanLine(s), normaliseLine(s); got != want {
			t.Errorf("cleanLine(%q) = %q, want %q", s, got, want)
		}
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			try(s+a, n-1)
		}
	}
	try("", 5)
}

// TestNth holds nth to a sort: on seeded random slices with repeated
// values and infinities, every k gives what sorting gives.
func TestNth(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 70; n++ {
		for round := 0; round < 20; round++ {
			ws := make([]float64, n)
			for i := range ws {
				switch rng.IntN(6) {
				case 0:
					ws[i] = math.Inf(1)
				case 1:
					ws[i] = 4.5 // repeats
				default:
					ws[i] = float64(rng.IntN(40)) / 4
				}
			}
			sorted := slices.Sorted(slices.Values(ws))
			for k := range n {
				if got := nth(slices.Clone(ws), k); got != sorted[k] {
					t.Fatalf("nth(%v, %d) = %v, want %v", ws, k, got, sorted[k])
				}
			}
		}
	}
}

// TestFmaxFmin holds fmax and fmin to math.Max and math.Min, bit for bit,
// on every pair of signed zeros, infinities, NaN and ordinary numbers.
func TestFmaxFmin(t *testing.T) {
	vs := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, x := range vs {
		for _, y := range vs {
			if got, want := fmax(x, y), math.Max(x, y); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("fmax(%v, %v) = %v, want %v", x, y, got, want)
			}
			if got, want := fmin(x, y), math.Min(x, y); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("fmin(%v, %v) = %v, want %v", x, y, got, want)
			}
		}
	}
}
