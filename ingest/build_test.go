package ingest

import (
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

func TestBuildOffsets(t *testing.T) {
	doc := corpus.Document{ID: "pecs-2017", City: "Pécs", Region: corpus.RegionEurope, Year: 2017}
	bs := []block{
		{kind: heading, text: "Pécs, Hungary", page: 1},
		{kind: heading, text: "Introduction and motives", page: 1},
		{kind: paragraph, text: "Pécs is a city in southern Hungary. It was European Capital of Culture in 2010.", page: 1},
		{kind: paragraph, text: "Its learning festival brings generations together.", page: 2},
		{kind: heading, text: "Vision and plan", page: 2},
		{kind: paragraph, text: "The green city plan links heritage and environment. Citizens take part.", page: 3},
	}
	ps := build(&doc, bs)
	segment(ps)
	if len(ps) != 3 {
		t.Fatalf("build gave %d passages, want 3", len(ps))
	}
	wantSections := []string{"Introduction and motives", "Introduction and motives", "Vision and plan"}
	wantPages := []int{1, 2, 3}
	for i, p := range ps {
		if got := doc.Text[p.Start:p.End]; got != p.Text {
			t.Errorf("passage %s: text[%d:%d] = %q, want %q", p.ID, p.Start, p.End, got, p.Text)
		}
		if p.Section != wantSections[i] || p.Page != wantPages[i] {
			t.Errorf("passage %s: section %q page %d, want %q page %d", p.ID, p.Section, p.Page, wantSections[i], wantPages[i])
		}
		if len(p.Sentences) == 0 {
			t.Errorf("passage %s has no sentences", p.ID)
		}
		for _, s := range p.Sentences {
			if s.Start < p.Start || s.End > p.End || s.Start >= s.End {
				t.Errorf("passage %s: sentence %v outside [%d,%d)", p.ID, s, p.Start, p.End)
			}
		}
	}
	if n := len(ps[0].Sentences); n != 2 {
		t.Errorf("first passage has %d sentences, want 2: %v", n, ps[0].Sentences)
	}
	if want := "pecs-2017-" + corpus.PassageHash(ps[0].Text); ps[0].ID != want {
		t.Errorf("first passage ID = %q, want %q", ps[0].ID, want)
	}
	if doc.Words != ps[0].Words+ps[1].Words+ps[2].Words || doc.Passages != 3 {
		t.Errorf("doc words %d passages %d do not add up", doc.Words, doc.Passages)
	}
}

// TestBuildIDs: a passage's ID follows its text, not its position; a
// repeated text takes an occurrence number.
func TestBuildIDs(t *testing.T) {
	para := func(text string) block { return block{kind: paragraph, text: text, page: 1} }
	ids := func(bs ...block) []string {
		doc := corpus.Document{ID: "cork-2015"}
		var out []string
		for _, p := range build(&doc, bs) {
			out = append(out, p.ID)
		}
		return out
	}
	a, b, c := "Cork holds a learning festival.", "Its libraries open late.", "Its libraries open late."
	h := func(s string) string { return "cork-2015-" + corpus.PassageHash(s) }
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"plain", ids(para(a), para(b)), []string{h(a), h(b)}},
		{"inserted before", ids(para("A new first paragraph."), para(a), para(b)), []string{h("A new first paragraph."), h(a), h(b)}},
		{"repeat", ids(para(b), para(a), para(c)), []string{h(b), h(a), h(b) + "-2"}},
		{"heading between", ids(block{kind: heading, text: "Vision", page: 1}, para(a), para(b)), []string{h(a), h(b)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Join(tt.got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("IDs = %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestSplitRanges(t *testing.T) {
	es := []corpus.Entry{{City: "Melton"}, {City: "Câmara de Lobos"}, {City: "Espoo", Pages: "9-10"}, {City: "Atlantis"}}
	outline := []outlineEntry{
		{title: "Foreword", level: 0, page: 1},
		{title: "Melton, Australia", level: 0, page: 2},
		{title: "Introduction", level: 1, page: 2},
		{title: "Vision", level: 1, page: 3},
		{title: "CAMARA DE LOBOS (Portugal)", level: 0, page: 5},
		{title: "Espoo", level: 0, page: 8},
	}
	ranges, notes := splitRanges(es, outline, 12)
	want := []pageRange{{first: 2, last: 4}, {first: 5, last: 7}, {first: 9, last: 10}}
	for i, w := range want {
		if ranges[i].err != nil || ranges[i].first != w.first || ranges[i].last != w.last {
			t.Errorf("%s: range %+v, want %d-%d", es[i].City, ranges[i], w.first, w.last)
		}
	}
	if ranges[3].err == nil {
		t.Errorf("Atlantis matched an outline entry: %+v", ranges[3])
	}
	if len(notes) != 2 { // Foreword and Espoo's outline entry are unmatched
		t.Errorf("notes = %q, want the 2 unmatched top-level entries", notes)
	}
}

// TestSplitRangesOneEntry: an entry's outline: is always honoured (no
// match fails naming the outline title, not the city), and a one-entry
// file whose outline lists several top-level entries is split by the city
// name, with a note saying what was chosen.
func TestSplitRangesOneEntry(t *testing.T) {
	book := []outlineEntry{
		{title: "Foreword", level: 0, page: 1},
		{title: "Melton, Australia", level: 0, page: 2},
		{title: "Introduction", level: 1, page: 2},
		{title: "CAMARA DE LOBOS (Portugal)", level: 0, page: 5},
		{title: "Espoo", level: 0, page: 8},
	}
	oneCity := []outlineEntry{{title: "Espoo", level: 0, page: 1}, {title: "Vision", level: 1, page: 3}}
	tests := []struct {
		name    string
		es      []corpus.Entry
		outline []outlineEntry
		first   int
		last    int
		errHas  string // the first entry fails with this in its error
		noteHas string // a note holds this ("" for no notes)
	}{
		{name: "city in a book", es: []corpus.Entry{{City: "Melton"}}, outline: book, first: 2, last: 4, noteHas: `"Melton, Australia"`},
		{name: "outline in a book", es: []corpus.Entry{{City: "Lobos", Outline: "Câmara de Lobos"}}, outline: book, first: 5, last: 7},
		{name: "wrong outline", es: []corpus.Entry{{City: "Melton", Outline: "Melbourne"}}, outline: book, errHas: `outline "Melbourne"`},
		{name: "wrong outline, one-city file", es: []corpus.Entry{{City: "Espoo", Outline: "Espoo 2015"}}, outline: oneCity, errHas: `outline "Espoo 2015"`},
		{name: "city not in the book", es: []corpus.Entry{{City: "Atlantis"}}, outline: book, first: 1, last: 12, noteHas: "none names the city"},
		{name: "one-city outline", es: []corpus.Entry{{City: "Espoo"}}, outline: oneCity, first: 1, last: 12},
		{name: "no outline", es: []corpus.Entry{{City: "Espoo"}}, first: 1, last: 12},
		{name: "pages beyond the file", es: []corpus.Entry{{City: "Melton", Pages: "100-120"}}, outline: book, errHas: "pages 100-120 beyond the file's 12 pages"},
		{name: "pages win", es: []corpus.Entry{{City: "Melton", Outline: "Melbourne", Pages: "3-4"}}, outline: book, first: 3, last: 4},
		{name: "wrong outline among several", es: []corpus.Entry{{City: "Melton", Outline: "Melbourne"}, {City: "Espoo"}}, outline: book, errHas: `outline "Melbourne"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ranges, notes := splitRanges(tt.es, tt.outline, 12)
			r := ranges[0]
			if tt.errHas != "" {
				if r.err == nil || !strings.Contains(r.err.Error(), tt.errHas) {
					t.Fatalf("splitRanges = %+v, want an error with %s", r, tt.errHas)
				}
				if strings.Contains(r.err.Error(), `"`+tt.es[0].City+`"`) {
					t.Errorf("error %q names the city, want the outline title", r.err)
				}
				if reason := corpus.Reason(r.err); reason != corpus.ReasonUnsupported || strings.Contains(r.err.Error(), "file type") {
					t.Errorf("error %q (reason %s), want reason %s without a word of the file's type", r.err, reason, corpus.ReasonUnsupported)
				}
				return
			}
			if r.err != nil || r.first != tt.first || r.last != tt.last {
				t.Errorf("splitRanges = %+v, want pages %d-%d", r, tt.first, tt.last)
			}
			switch {
			case tt.noteHas == "" && len(notes) > 0:
				t.Errorf("notes = %q, want none", notes)
			case tt.noteHas != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.noteHas)):
				t.Errorf("notes = %q, want one with %s", notes, tt.noteHas)
			}
		})
	}
}
