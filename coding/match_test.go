package coding

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// oneCode is a codebook with one code "c" of the given terms; extra is
// more YAML for the code (exclude, stem, …) and top for the codebook.
func oneCode(t *testing.T, top, extra string, terms ...string) *Codebook {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: t\n%scodes:\n  - id: c\n    label: C\n%s    terms:\n", top, extra)
	for _, term := range terms {
		fmt.Fprintf(&b, "      - '%s'\n", strings.ReplaceAll(term, "'", "''"))
	}
	return mustParse(t, b.String())
}

// matched codes text (placed after 7 bytes of other text, so that offsets
// are checked against the document) and returns the evidence of code c as
// the text it covers.
func matched(cb *Codebook, text string) []string {
	const pad = "xxxxxx "
	doc := pad + text
	p := corpus.Passage{ID: "d-p0001", DocID: "d", Start: len(pad), End: len(doc), Text: text}
	var got []string
	for _, c := range cb.Code(p) {
		for _, e := range c.Evidence {
			got = append(got, doc[e.Start:e.End])
		}
	}
	return got
}

// TestPreciseWords: a plain word matches itself and its regular plurals
// and possessives, not the other words of its stem family.
func TestPreciseWords(t *testing.T) {
	tests := []struct {
		term, text string
		want       []string
	}{
		// The false positives of stem matching, in our own sentences.
		{"ageing", "Courses are open to learners of all ages.", nil},
		{"ageing", "An ageing population changes the city.", []string{"ageing"}},
		{"provider", "The library is providing free courses.", nil},
		{"provider", "Two providers met; the provider's offer grew.", []string{"providers", "provider's"}},
		{"promotion", "The city is promoting reading.", nil},
		{"promotion", "The promotion of reading works.", []string{"promotion"}},
		{"facilitator", "Volunteers are facilitating the groups.", nil},
		{"facilitator", "Facilitators lead the groups.", []string{"Facilitators"}},
		{"urbanisation", "Urban areas grow quickly.", nil},
		{"urbanisation", "Rapid urbanisation strains schools.", []string{"urbanisation"}},
		{"fair", "The plan was fairly successful.", nil},
		{"fair", "A book fair and two job fairs.", []string{"fair", "fairs"}},
		// Regular plurals and possessives.
		{"family", "Families, a family's home and the Families' day.", []string{"Families", "family's", "Families"}},
		{"family", "Familial ties matter.", nil},
		{"city", "Cities and the city’s parks.", []string{"Cities", "city’s"}},
		{"church", "Two churches and a church.", []string{"churches", "church"}},
		{"plan", "Planes are not plans.", []string{"plans"}},
		{"day", "Open days, not daies.", []string{"days"}},
		{"FAMILY", "family", []string{"family"}},
		// Prefixes are unchanged.
		{"entrepreneur*", "An entrepreneurial spirit and entrepreneurs.", []string{"entrepreneurial", "entrepreneurs"}},
		{"Kōmin*", "Kōminkan, kominkan and KŌMINKANS.", []string{"Kōminkan", "KŌMINKANS"}},
		{"ōmin*", "Kōminkan.", nil},
		// Phrases and NEAR use the same word matching.
		{"community learning centre", "Community Learning Centres and community learning centred work.", []string{"Community Learning Centres"}},
		{"learning city", "Learning cities and a learning city's plan.", []string{"Learning cities", "learning city's"}},
		{"festival NEAR/3 family", "A festival for families.", []string{"festival for families"}},
		{"festival NEAR/3 family", "A festival for familial ties.", nil},
		// Exact forms stay exact and case-sensitive.
		{`"ESD"`, "ESD, esd and ESDs.", []string{"ESD"}},
		{`"UNESCO Global Network"`, "UNESCO Global Network, UNESCO global network.", []string{"UNESCO Global Network"}},
		// A phrase mixes the kinds of words.
		{"learning cit*", "Learning citizens, learning cities.", []string{"Learning citizens", "learning cities"}},
	}
	for _, tt := range tests {
		got := matched(oneCode(t, "", "", tt.term), tt.text)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Code(%q) with term %q = %q, want %q", tt.text, tt.term, got, tt.want)
		}
	}
}

// TestStem: stem: true at codebook or code level restores Snowball stem
// matching; the code's setting overrides its codebook's.
func TestStem(t *testing.T) {
	const text = "Learners of all ages and an ageing city learned."
	tests := []struct {
		name, top, extra, term string
		want                   []string
	}{
		{"default", "", "", "ageing", []string{"ageing"}},
		{"codebook", "stem: true\n", "", "ageing", []string{"ages", "ageing"}},
		{"code", "", "    stem: true\n", "ageing", []string{"ages", "ageing"}},
		{"code overrides codebook", "stem: true\n", "    stem: false\n", "ageing", []string{"ageing"}},
		{"exclude stemmed too", "", "    stem: true\n    exclude: [ageings]\n", "ageing", nil},
		{"phrase", "stem: true\n", "", "cities learning", []string{"city learned"}},
		{"phrase, default", "", "", "cities learning", nil},
		{"prefix unchanged", "stem: true\n", "", "learn*", []string{"Learners", "learned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := matched(oneCode(t, tt.top, tt.extra, tt.term), text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Code(%q) with term %q = %q, want %q", text, tt.term, got, tt.want)
			}
		})
	}
}

func TestRegexTerms(t *testing.T) {
	tests := []struct {
		term, text string
		want       []string
	}{
		{"/learn(er|ing)s?/", "Learners and learning, not unlearning or learners2.", []string{"Learners", "learning"}},
		{"/care/", "Careful carers care.", []string{"care"}},
		{"/(?-i)ESD/", "esd and ESD.", []string{"ESD"}},
		{"/learning cit(y|ies)/", "Learning Cities and learning citizens.", []string{"Learning Cities"}},
		{"/city/", "The city's parks.", []string{"city"}},
		{"/[0-9]{4}/", "From 2015 to 20301.", []string{"2015"}},
		{`/and\/or/`, "Parents and/or carers.", []string{"and/or"}},
		{"/x*/", "Nothing here.", nil},
		{"festival NEAR/3 /famil(y|ies)/", "A festival for families.", []string{"festival for families"}},
		{"/famil(y|ies)/ NEAR/3 /festivals?/", "Families enjoy the festivals.", []string{"Families enjoy the festivals"}},
		{"/kominkan/", "Kōminkan, kominkan and KOMINKAN.", []string{"kominkan", "KOMINKAN"}},
	}
	for _, tt := range tests {
		got := matched(oneCode(t, "", "", tt.term), tt.text)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Code(%q) with term %q = %q, want %q", tt.text, tt.term, got, tt.want)
		}
	}
	// A regular expression in exclude vetoes the code.
	cb := oneCode(t, "", "    exclude: ['/learning disabilit(y|ies)/']\n", "disabilit*", "family")
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Families of people with learning disabilities.", nil},
		{"Families of people with disabilities.", []string{"Families", "disabilities"}},
	} {
		if got := matched(cb, tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Code(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestTermErrors: what a term may not be, each an error at the term's
// file:line and field.
func TestTermErrors(t *testing.T) {
	tests := []struct {
		name, terms, exclude, want string
	}{
		{"parentheses", `["fam(ily)?"]`, "", `cb.yaml:5: terms: "fam(ily)?" contains "(" and looks like a regular expression: write /fam(ily)?/`},
		{"question mark", `["famil?"]`, "", `looks like a regular expression: write /famil?/`},
		{"brackets", `["famil[yi]"]`, "", `contains "["`},
		{"braces", `["x{2}"]`, "", `contains "{"`},
		{"anchor", `["^family"]`, "", `contains "^"`},
		{"dollar", `["family$"]`, "", `contains "$"`},
		{"bar", `["family|families"]`, "", `contains "|"`},
		{"backslash", `["\\bfamily"]`, "", `contains "\\"`},
		{"plus", `["C++"]`, "", `contains "+"`},
		{"dot star", `["learn.*"]`, "", `contains ".*"`},
		{"quoted", `["\"(ESD)\""]`, "", `contains "("`},
		{"near side", `["festival NEAR/3 famil(y|ies)"]`, "", `write /famil(y|ies)/`},
		{"in exclude", `[family]`, `["learning disabilit(y|ies)"]`, `cb.yaml:6: exclude: "learning disabilit(y|ies)" contains "("`},
		{"invalid regex", `["/fam(ily/"]`, "", "cb.yaml:5: terms: /fam(ily/: invalid regular expression: error parsing regexp: missing closing )"},
		{"invalid regex in exclude", `[family]`, `["/[a-/"]`, "cb.yaml:6: exclude: /[a-/: invalid regular expression"},
		{"empty regex", `["//"]`, "", "empty regular expression"},
		{"unbalanced slash", `["/family"]`, "", "unbalanced /"},
		{"unescaped slash", `["/and/or/"]`, "", "unbalanced /"},
		{"near distance", `["a NEAR/0 b"]`, "", "NEAR distance must be 1..1000"},
		{"nested near", `["a NEAR/2 b NEAR/3 c"]`, "", "NEAR cannot be nested"},
		{"near side missing", `["NEAR/2 b"]`, "", "want A NEAR/n B"},
		{"near side invalid", `["a NEAR/2 \"b"]`, "", "unbalanced double quote"},
		{"near side invalid first", `["\"a NEAR/2 b"]`, "", "unbalanced double quote"},
		{"unbalanced quote", `["\"abc"]`, "", "unbalanced double quote"},
		{"wildcard alone", `["-*"]`, "", "* needs a word before it"},
		{"no words", `["\"...\""]`, "", "no words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: x\ncodes:\n  - id: a\n    label: A\n    terms: " + tt.terms + "\n"
			if tt.exclude != "" {
				src += "    exclude: " + tt.exclude + "\n"
			}
			_, err := Parse([]byte(src), "cb.yaml")
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%s) = %v, want an *Error containing %q", tt.terms, err, tt.want)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	cb := mustParse(t, `name: t
codes:
  - id: fam
    label: Families
    terms: [family, famil*, festival NEAR/2 family]
    exclude: ['/learning disabilit(y|ies)/']
  - id: dis
    label: Disability
    terms: [disability]
`)
	text := "A festival for families with learning disabilities."
	p := corpus.Passage{ID: "p", Start: 10, End: 10 + len(text), Text: text}
	at := func(s string) (int, int) {
		i := strings.Index(text, s)
		return 10 + i, 10 + i + len(s)
	}
	ev := func(term, s string) corpus.Evidence {
		a, b := at(s)
		return corpus.Evidence{Term: term, Start: a, End: b}
	}
	tm := func(code, term string, exclude bool, s string, near ...corpus.Evidence) TermMatch {
		a, b := at(s)
		return TermMatch{CodeID: code, Term: term, Exclude: exclude, Start: a, End: b, Near: near}
	}
	want := []TermMatch{
		tm("t.fam", "festival NEAR/2 family", false, "festival for families", ev("festival", "festival"), ev("family", "families")),
		tm("t.fam", "famil*", false, "families"),
		tm("t.fam", "family", false, "families"),
		tm("t.fam", "/learning disabilit(y|ies)/", true, "learning disabilities"),
		tm("t.dis", "disability", false, "disabilities"),
	}
	if got := cb.Explain(p); !reflect.DeepEqual(got, want) {
		t.Errorf("Explain(%q) =\n%+v\nwant\n%+v", text, got, want)
	}
	// Pairs of NEAR sides over the same words are ordered by their sides.
	cb2 := oneCode(t, "", "    exclude: [learn*]\n", "learn* NEAR/3 learning", "learning")
	text2 := "learning learning"
	want2 := []TermMatch{
		{CodeID: "t.c", Term: "learn* NEAR/3 learning", Start: 0, End: 8, Near: []corpus.Evidence{{Term: "learn*", Start: 0, End: 8}, {Term: "learning", Start: 0, End: 8}}},
		{CodeID: "t.c", Term: "learning", Start: 0, End: 8},
		{CodeID: "t.c", Term: "learn*", Exclude: true, Start: 0, End: 8},
		{CodeID: "t.c", Term: "learn* NEAR/3 learning", Start: 0, End: 17, Near: []corpus.Evidence{{Term: "learn*", Start: 0, End: 8}, {Term: "learning", Start: 9, End: 17}}},
		{CodeID: "t.c", Term: "learn* NEAR/3 learning", Start: 0, End: 17, Near: []corpus.Evidence{{Term: "learn*", Start: 9, End: 17}, {Term: "learning", Start: 0, End: 8}}},
		{CodeID: "t.c", Term: "learn* NEAR/3 learning", Start: 9, End: 17, Near: []corpus.Evidence{{Term: "learn*", Start: 9, End: 17}, {Term: "learning", Start: 9, End: 17}}},
		{CodeID: "t.c", Term: "learning", Start: 9, End: 17},
		{CodeID: "t.c", Term: "learn*", Exclude: true, Start: 9, End: 17},
	}
	if got := cb2.Explain(corpus.Passage{ID: "p", End: len(text2), Text: text2}); !reflect.DeepEqual(got, want2) {
		t.Errorf("Explain(%q) =\n%+v\nwant\n%+v", text2, got, want2)
	}
	// Code applies the exclusion Explain reports.
	if got := cb.Code(p); len(got) != 1 || got[0].CodeID != "t.dis" {
		t.Errorf("Code(%q) = %+v, want only t.dis", text, got)
	}
}

func TestMatching(t *testing.T) {
	cb := mustParse(t, `name: t
stem: true
codes:
  - id: g
    label: G
    group: true
  - id: a
    label: A
    parent: g
    terms: [x]
    exclude: [y, z]
    min_matches: 2
    weight: 0.5
    near_scope: sentence
  - id: b
    label: B
    stem: false
    terms: [x]
`)
	tests := []struct {
		id   string
		want Matching
		ok   bool
	}{
		{"t.a", Matching{Exclude: []string{"y", "z"}, MinMatches: 2, Weight: 0.5, NearScope: "sentence", Stem: true}, true},
		{"t.b", Matching{}, true},
		{"t.g", Matching{}, false},
		{"t.nosuch", Matching{}, false},
	}
	for _, tt := range tests {
		got, ok := cb.Matching(tt.id)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Matching(%q) = %+v, %v; want %+v, %v", tt.id, got, ok, tt.want, tt.ok)
		}
	}
	if !cb.Stem {
		t.Error("Codebook.Stem = false, want true")
	}
}

func TestInflects(t *testing.T) {
	for _, w := range []string{"family", "city", "day", "church", "box", "bus", "potato", "plan", "x", "2030", "café"} {
		for _, f := range forms(w) {
			if !inflects(f, w) {
				t.Errorf("inflects(%q, %q) = false for a form of forms(%q)", f, w, w)
			}
		}
		for _, f := range []string{w + "ss", w + "ing", w + "ed", w[:len(w)-1], "x" + w} {
			if inflects(f, w) {
				t.Errorf("inflects(%q, %q) = true, want false", f, w)
			}
		}
	}
}

// TestCodeAll: CodeAll codes with every codebook at once, sorted by code.
func TestCodeAll(t *testing.T) {
	a := oneCode(t, "", "", "family")
	b := mustParse(t, "name: a\ncodes:\n  - id: z\n    label: Z\n    terms: ['/famil(y|ies)/']\n")
	p := corpus.Passage{ID: "p", Text: "Families."}
	var got []string
	for _, c := range CodeAll([]*Codebook{a, b}, p) {
		got = append(got, c.CodeID)
	}
	if want := []string{"a.z", "t.c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("CodeAll(%q) = %v, want %v", p.Text, got, want)
	}
}
