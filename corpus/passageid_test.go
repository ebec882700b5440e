package corpus

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPassageHashCleaning: cleaning that only moves white space, mends or
// keeps line-end hyphens, or changes compatibility forms keeps the hash;
// a change of words, digits, case or punctuation changes it.
func TestPassageHashCleaning(t *testing.T) {
	const base = "The city’s learning festival, held in 2015, brought Asia-Pacific partners to “lifelong learning”."
	tests := []struct {
		name    string
		variant string
		same    bool
	}{
		{"identical", base, true},
		{"line breaks and doubled spaces", "The city’s  learning\nfestival,\theld in 2015,\r\nbrought Asia-Pacific partners to “lifelong learning”. ", true},
		{"no-break spaces", "The city’s\u00a0learning festival, held\u202fin 2015, brought Asia-Pacific partners to “lifelong learning”.", true},
		{"word split by a glyph gap", "The city’s lear ning fes tival, held in 2015, brought Asia-Pacific partners to “lifelong learning”.", true},
		{"words glued", "The city’slearning festival, heldin 2015, brought Asia-Pacific partners to “lifelonglearning”.", true},
		{"line-end hyphen not mended", "The city’s learn- ing festival, held in 2015, brought Asia-Pacific partners to “life-long learning”.", true},
		{"hyphen dropped at a line end", "The city’s learning festival, held in 2015, brought AsiaPacific partners to “lifelong learning”.", true},
		{"soft hyphens and zero-width spaces", "The city’s learn\u00ading fes\u200btival, held in 2015, brought Asia-Pacific partners to “lifelong learning”.\ufeff", true},
		{"Unicode hyphen", "The city’s learning festival, held in 2015, brought Asia\u2010Pacific partners to “lifelong learning”.", true},
		{"straight quotes", "The city's learning festival, held in 2015, brought Asia-Pacific partners to \"lifelong learning\".", true},
		{"decomposed accent, ligature", "The city’s learning festival, held in 2015, brought Asia-Paciﬁc partners to “lifelong learning”.", true},
		{"another word", "The city’s learning festival, held in 2015, brought European partners to “lifelong learning”.", false},
		{"another year", "The city’s learning festival, held in 2016, brought Asia-Pacific partners to “lifelong learning”.", false},
		{"case", "The City’s learning festival, held in 2015, brought Asia-Pacific partners to “lifelong learning”.", false},
		{"punctuation", "The city’s learning festival held in 2015 brought Asia-Pacific partners to “lifelong learning”.", false},
		{"a sentence more", base + " It returned in 2017.", false},
		{"a dash between numbers", strings.Replace(base, "2015", "2015-16", 1), false},
	}
	want := PassageHash(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PassageHash(tt.variant)
			if (got == want) != tt.same {
				t.Errorf("PassageHash(%q) = %s, PassageHash(base) = %s; same = %v, want %v\nidentity texts:\n%q\n%q",
					tt.variant, got, want, got == want, tt.same, IdentityText(tt.variant), IdentityText(base))
			}
		})
	}
	if d := "é"; PassageHash("Pe\u0301cs") != PassageHash("P"+d+"cs") {
		t.Error("decomposed and composed accents hash differently")
	}
}

// TestPassageIDs: IDs are the document ID and ten hex digits, repeats are
// numbered in reading order, and every ID is safe as a Bleve ID, CSV
// field, file name part and URL path segment.
func TestPassageIDs(t *testing.T) {
	ids := NewPassageIDs("camara-de-lobos-2017")
	texts := []string{"Fishing families learn together.", "A second paragraph.", "Fishing  families learn\ntogether.", "Fishing families learn together."}
	var got []string
	for _, s := range texts {
		got = append(got, ids.Next(s))
	}
	h0, h1 := PassageHash(texts[0]), PassageHash(texts[1])
	want := []string{"camara-de-lobos-2017-" + h0, "camara-de-lobos-2017-" + h1, "camara-de-lobos-2017-" + h0 + "-2", "camara-de-lobos-2017-" + h0 + "-3"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("IDs = %q, want %q", got, want)
	}
	safe := regexp.MustCompile(`^[a-z0-9-]+-[0-9a-f]{10}(-[0-9]+)?$`)
	for _, id := range got {
		if !safe.MatchString(id) || url.PathEscape(id) != id || strings.ContainsAny(id, ",\"\n/\\.") {
			t.Errorf("ID %q is not safe in a URL path, CSV field or file name", id)
		}
	}
}

func BenchmarkPassageHash(b *testing.B) {
	text := strings.Repeat("The city’s learning festival, held in 2015, brought Asia-Pacific partners together. ", 8)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		PassageHash(text)
	}
}

func FuzzIdentityText(f *testing.F) {
	f.Add("learn- ing  Asia-Pacific “x”\u00ad")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id := IdentityText(s)
		if strings.ContainsFunc(id, func(r rune) bool { return r == ' ' || r == '\n' || r == '\u00ad' }) {
			t.Errorf("IdentityText(%q) = %q keeps white space or a soft hyphen", s, id)
		}
		if IdentityText(id) != id {
			t.Errorf("IdentityText is not idempotent on %q: %q then %q", s, id, IdentityText(id))
		}
		if PassageHash(s) != PassageHash(id) {
			t.Errorf("PassageHash(%q) differs from the hash of its identity text", s)
		}
	})
}
