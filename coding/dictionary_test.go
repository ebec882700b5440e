package coding

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

func TestParseLIWC(t *testing.T) {
	data, err := os.ReadFile("testdata/mini.dic")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ParseFile(data, "testdata/mini.dic")
	if err != nil {
		t.Fatal(err)
	}
	if cb.Name != "mini" || cb.NumCodable() != 2 || cb.Codes[0].ID != "mini.family" || cb.Codes[1].ID != "mini.festival" {
		t.Fatalf("codebook %s with codes %+v", cb.Name, cb.Codes)
	}
	p := corpus.Passage{ID: "p", Text: "Parents and grandparents join the learning festival to celebrate."}
	got := map[string]int{}
	for _, c := range cb.Code(p) {
		got[c.CodeID] = len(c.Evidence)
	}
	// family: parents (parent*), grandparents; festival: the phrase, and
	// celebrat*; "festival" alone overlaps the phrase and counts once.
	if got["mini.family"] != 2 || got["mini.festival"] != 2 {
		t.Errorf("codings = %v", got)
	}
}

func TestParseQuanteda(t *testing.T) {
	data, err := os.ReadFile("testdata/mini-dict.yml")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ParseFile(data, "testdata/mini-dict.yml")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cb.Codes {
		ids = append(ids, c.ID)
		if c.ID == "mini-dict.community-places" && (c.Parent != "mini-dict.community" || len(c.Terms) != 4) {
			t.Errorf("nested key: %+v", c)
		}
	}
	if strings.Join(ids, " ") != "mini-dict.community mini-dict.community-families mini-dict.community-places mini-dict.events" {
		t.Errorf("codes = %v", ids)
	}
	if !cb.Codes[0].Group {
		t.Error("a key holding keys should be a group")
	}
}

// TestDictionaryPrecise: dictionary words are matched like plain codebook
// words, never on stems: a word is that word (with its regular plurals and
// possessive) unless it ends in *.
func TestDictionaryPrecise(t *testing.T) {
	const text = "Happiness in happy families and the family's happier days."
	want := map[string][]string{
		"happy": {"happy"},
		"happ":  {"Happiness", "happy", "happier"},
		"fam":   {"families", "family's"},
	}
	for _, d := range []struct{ file, data string }{
		{"d.dic", "%\n1\thappy\n2\thapp\n3\tfam\n%\nhappy\t1\nhapp*\t2\nfamily\t3\n"},
		{"d.yml", "happy: [happy]\nhapp: [happ*]\nfam: [family]\n"},
	} {
		cb, err := ParseFile([]byte(d.data), d.file)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, c := range cb.Code(corpus.Passage{ID: "p", Text: text}) {
			for _, e := range c.Evidence {
				got[strings.TrimPrefix(c.CodeID, "d.")] = append(got[strings.TrimPrefix(c.CodeID, "d.")], text[e.Start:e.End])
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Code(%q) = %q, want %q", d.file, text, got, want)
		}
	}
}

func TestDictionaryErrors(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"no header", "a.dic", "family\t1\n", "a.dic:1: header"},
		{"unknown category", "a.dic", "%\n1\tfam\n%\nfamily\t2\n", "a.dic:4: word"},
		{"inner wildcard", "a.dic", "%\n1\tfam\n%\nfa*ly\t1\n", "a.dic:4: word"},
		{"bad number", "a.dic", "%\nx\tfam\n%\n", "a.dic:2: header"},
		{"duplicate number", "a.dic", "%\n1\tfam\n1\tfest\n%\n", "a.dic:3: header"},
		{"third percent", "a.dic", "%\n1\tfam\n%\nfamily\t1\n%\n", "a.dic:5"},
		{"nothing", "a.dic", "%\n1\tfam\n%\n", "no category has words"},
		{"regex in yaml", "d.yml", "a: [\"fam(ily)?\"]\n", "d.yml:1: pattern"},
		{"slashes in yaml", "d.yml", "a: [x]\nb: [\"/famil(y|ies)/\"]\n", "d.yml:2: pattern"},
		{"slashes in dic", "a.dic", "%\n1\tfam\n%\n/family/\t1\n", "a.dic:4: word"},
		{"plus in dic", "a.dic", "%\n1\tfam\n%\nC++\t1\n", "a.dic:4: word"},
		{"empty list", "d.yml", "a: []\nb: [x]\n", "d.yml:1"},
		{"same id", "d.yml", "A b: [x]\na-b: [y]\n", "d.yml:2: key"},
		{"not a mapping", "d.yml", "- a\n- b\n", "d.yml:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFile([]byte(tt.data), tt.file)
			var ce *Error
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if err != nil && !errors.As(err, &ce) {
				t.Errorf("err %v is not a *coding.Error", err)
			}
		})
	}
}

func FuzzParseLIWC(f *testing.F) {
	data, _ := os.ReadFile("testdata/mini.dic")
	f.Add(data)
	f.Add([]byte("%\n1\ta\n%\nword\t1\n"))
	f.Add([]byte("%\n%\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ParseLIWC(data, "f.dic")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.dic:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		if cb.NumCodable() == 0 {
			t.Fatal("accepted a dictionary without codes")
		}
		cb.Code(corpus.Passage{ID: "p", Text: string(data)})
	})
}

func FuzzParseQuanteda(f *testing.F) {
	data, _ := os.ReadFile("testdata/mini-dict.yml")
	f.Add(data)
	f.Add([]byte("a: [x, y*]\n"))
	f.Add([]byte("a:\n  b:\n    c: [z]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ParseQuanteda(data, "f.yml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yml:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		cb.Code(corpus.Passage{ID: "p", Text: string(data)})
	})
}
