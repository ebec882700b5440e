package corpus

import (
	"errors"
	"strings"
	"testing"
)

func TestParseManifest(t *testing.T) {
	ok := "documents:\n  - {file: a.pdf, city: Pécs, region: Europe, year: 2017, pages: \"3-9\", password: s3cret}\n  - {file: a.pdf, city: Suwon, region: Asia-Pacific, year: 2017}\n"
	m, err := ParseManifest(strings.NewReader(ok), "corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) != 2 || m.Entries[1].Line() != 3 {
		t.Fatalf("entries = %+v", m.Entries)
	}
	if m.Entries[0].Password != "s3cret" {
		t.Errorf("Password = %q, want s3cret", m.Entries[0].Password)
	}
	if first, last, has, err := m.Entries[0].PageRange(); !has || err != nil || first != 3 || last != 9 {
		t.Errorf("PageRange = %d %d %v %v", first, last, has, err)
	}
	tests := []struct {
		name, src, field string
		line             int
		msg              string // a substring of the error, if any
	}{
		{"unknown key", "documents:\n  - file: a.pdf\n    city: X\n    colour: red\n", "documents[1]", 4,
			`unknown key "colour"; valid keys: city, country, file, outline, pages, password, publication, region, year`},
		{"misspelled key", "documents:\n  - file: a.pdf\n    city: X\n  - file: b.pdf\n    contry: Ireland\n", "documents[2]", 5,
			`unknown key "contry" (did you mean "country"?)`},
		{"misspelled top-level key", "document:\n  - {file: a.pdf, city: X}\n", "", 1, `unknown key "document" (did you mean "documents"?); valid keys: documents`},
		{"year not a number", "documents:\n  - file: a.pdf\n    city: X\n    year: twenty\n", "documents[1].year", 4, `want a whole number, got "twenty"`},
		{"documents not a list", "documents:\n  file: a.pdf\n", "documents", 2, `want a list (lines starting with "- "), got keys with values`},
		{"entry not a mapping", "documents:\n  - a.pdf\n", "documents[1]", 2, `want keys with values (key: value lines), got "a.pdf"`},
		{"city a list", "documents:\n  - file: a.pdf\n    city: [X, Y]\n", "documents[1].city", 3, "want a text value, got a list"},
		{"syntax", "documents:\n  - file: a.pdf\n    city: Bristol: UK\n", "", 3, "mapping values are not allowed in this context"},
		{"no file", "documents:\n  - city: X\n", "file", 2, ""},
		{"no city", "documents:\n  - file: a.pdf\n", "city", 2, ""},
		{"bad region", "documents:\n  - {file: a.pdf, city: X, region: Africa}\n", "region", 2, ""},
		{"bad pages", "documents:\n  - {file: a.pdf, city: X, pages: 9-3}\n", "pages", 2, ""},
		{"duplicate", "documents:\n  - {file: a.pdf, city: X}\n  - {file: b.pdf, city: X}\n", "city", 3, "(also line 2)"},
		{"duplicate ID by accent and case", "documents:\n  - {file: a.pdf, city: Pécs, year: 2017}\n  - {file: b.md, city: X}\n  - {file: c.pdf, city: PECS, year: 2017}\n",
			"city", 4, "PECS 2017 listed twice (also line 2)"},
		{"two passwords for one file", "documents:\n  - {file: a.pdf, city: X, password: one}\n  - {file: a.pdf, city: Y, password: two}\n",
			"password", 3, "differs from the password of a.pdf on line 2"},
		{"empty", "", "", 1, ""},
		{"no documents", "documents: []\n", "documents", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManifest(strings.NewReader(tt.src), "corpus.yaml")
			var e *ManifestError
			if !errors.As(err, &e) {
				t.Fatalf("ParseManifest error = %v, want *ManifestError", err)
			}
			if e.Field != tt.field || e.Line != tt.line {
				t.Errorf("ParseManifest error = %q (field %q line %d), want field %q line %d", err, e.Field, e.Line, tt.field, tt.line)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ParseManifest error = %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

func TestSlugAndCity(t *testing.T) {
	for in, want := range map[string]string{"Câmara de Lobos": "camara-de-lobos", "Pécs": "pecs", "  Cork, Ireland ": "cork-ireland",
		"Łódź": "łodz", "北京": "北京", "Hà Nội": "ha-noi", "São Paulo (2)": "sao-paulo-2", "---": ""} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CityFromFile("dir/camara-de-lobos.pdf"); got != "Camara De Lobos" {
		t.Errorf("CityFromFile = %q", got)
	}
	if got := MatchKey("PÉCS (Hungary)"); got != "pecs hungary" {
		t.Errorf("MatchKey = %q", got)
	}
}

func TestSample(t *testing.T) {
	c := Sample()
	if len(c.Manifest.Entries) != 17 {
		t.Fatalf("sample has %d entries, want 17", len(c.Manifest.Entries))
	}
	regions := map[string]int{}
	for _, e := range c.Manifest.Entries {
		regions[e.Region]++
	}
	if regions[RegionEurope] != 9 || regions[RegionAsiaPacific] != 8 {
		t.Errorf("regions = %v, want Europe 9, Asia-Pacific 8", regions)
	}
	if !strings.HasPrefix(string(FocusCSV()), "city,focus1,focus2,focus3,focus4\n") {
		t.Error("focus.csv header")
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add("documents:\n  - {file: a.pdf, city: Pécs, region: Europe, year: 2017, pages: \"3-9\"}\n")
	f.Add("documents:\n  - file: x\n    city: y\n    outline: z\n")
	f.Fuzz(func(t *testing.T, src string) {
		m, err := ParseManifest(strings.NewReader(src), "fuzz.yaml")
		if err != nil {
			var e *ManifestError
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *ManifestError", err)
			}
			return
		}
		for _, e := range m.Entries {
			if e.File == "" || e.City == "" {
				t.Fatalf("accepted entry without file or city: %+v", e)
			}
			if _, _, _, err := e.PageRange(); err != nil {
				t.Fatalf("accepted bad pages: %v", err)
			}
		}
	})
}

func TestSuggest(t *testing.T) {
	regions := []string{"Asia-Pacific", "Europe", "unknown"}
	tests := []struct {
		in         string
		candidates []string
		want       string
	}{
		{"Eurpoe", regions, "Europe"}, // two letters swapped
		{"europe", regions, "Europe"}, // case only
		{"Asia Pacific", regions, "Asia-Pacific"},
		{"Africa", regions, ""}, // not a misspelling of any
		{"contry", []string{"city", "country", "file"}, "country"},
		{"charter.nope", []string{"charter.inclusion", "charter.demand"}, ""},
		{"charter.inclusoin", []string{"charter.inclusion", "charter.demand"}, "charter.inclusion"},
		{"x", nil, ""},
		{"Łódź", []string{"Lodz", "Łódź"}, "Łódź"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, tt.candidates); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.in, tt.candidates, got, tt.want)
		}
	}
}
