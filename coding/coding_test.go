package coding

import (
	"errors"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

const testBook = `name: test
title: Test codebook
description: for tests
version: "1"
codes:
  - id: groups
    label: Groups
    group: true
  - id: families
    label: Families and communities
    parent: groups
    colour: "#112233"
    terms: [family, community learning centre, kominkan, intergeneration*]
  - id: inclusion
    label: Inclusion
    terms: [disabilit*, migrant]
    exclude: [learning disability]
  - id: festival
    label: Festivals
    terms: [festival NEAR/3 learning]
  - id: esd
    label: ESD
    terms: ['"ESD"']
  - id: twice
    label: Needs two matches
    min_matches: 2
    weight: 0.5
    terms: [partner*]
`

func mustParse(t *testing.T, src string) *Codebook {
	t.Helper()
	cb, err := Parse([]byte(src), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cb
}

func TestCode(t *testing.T) {
	cb := mustParse(t, testBook)
	tests := []struct {
		text string
		want map[string][]string // code → matched surface forms
	}{
		{"Families meet in the Community Learning Centres and kominkan.", map[string][]string{
			"test.families": {"Families", "Community Learning Centres", "kominkan"}}},
		{"Intergenerational projects help migrants.", map[string][]string{
			"test.families": {"Intergenerational"}, "test.inclusion": {"migrants"}}},
		{"Support for people with a learning disability and migrants.", map[string][]string{}},
		{"The festival celebrates lifelong learning.", map[string][]string{"test.festival": {"festival celebrates lifelong learning"}}},
		{"The festival is held in a park near the river, far from any learning.", map[string][]string{}},
		{"ESD and esd are different.", map[string][]string{"test.esd": {"ESD"}}},
		{"One partner only.", map[string][]string{}},
		{"Partners and partnerships.", map[string][]string{"test.twice": {"Partners", "partnerships"}}},
		{"The city's family-friendly libraries.", map[string][]string{"test.families": {"family"}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			const base = 100
			doc := strings.Repeat("x", base) + tt.text
			p := corpus.Passage{ID: "d-p0001", DocID: "d", City: "C", Start: base, End: len(doc), Text: tt.text}
			got := map[string][]string{}
			for _, c := range cb.Code(p) {
				for _, e := range c.Evidence {
					got[c.CodeID] = append(got[c.CodeID], doc[e.Start:e.End])
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Code(%q) = %v, want %v", tt.text, got, tt.want)
			}
			for code, forms := range tt.want {
				if strings.Join(got[code], "|") != strings.Join(forms, "|") {
					t.Errorf("Code(%q)[%s] = %q, want %q", tt.text, code, got[code], forms)
				}
			}
		})
	}
}

func TestCodeScoreAndGroups(t *testing.T) {
	cb := mustParse(t, testBook)
	cs := cb.Code(corpus.Passage{ID: "p", Text: "partners, partnership and partnering"})
	if len(cs) != 1 || cs[0].Score != 1.5 {
		t.Fatalf("Code = %+v, want one coding of score 1.5", cs)
	}
	codable := Codable([]*Codebook{cb})
	if len(codable) != 5 {
		t.Errorf("Codable = %d codes, want 5 (the group is not codable)", len(codable))
	}
	if cb.Codes[1].Parent != "test.groups" || cb.Codes[1].ID != "test.families" {
		t.Errorf("code 1 = %+v", cb.Codes[1])
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, field string
		line             int
	}{
		{"unknown key", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [b]\n    colour: \"#000000\"\n    bogus: 1\n", "codes[1]", 7},
		{"misspelled key", "name: x\ncodes:\n  - id: a\n    label: A\n    term: [b]\n", "codes[1]", 5},
		{"weight not a number", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [b]\n    weight: heavy\n", "codes[1].weight", 6},
		{"duplicate id", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [b]\n  - id: a\n    label: B\n    terms: [c]\n", "id", 6},
		{"empty term", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [\"\"]\n", "terms", 5},
		{"no terms", "name: x\ncodes:\n  - id: a\n    label: A\n", "terms", 3},
		{"bad wildcard", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [a*b]\n", "terms", 5},
		{"short wildcard", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [ab*]\n", "terms", 5},
		{"bad near", "name: x\ncodes:\n  - id: a\n    label: A\n    terms: [a NEAR/x b]\n", "terms", 5},
		{"unknown parent", "name: x\ncodes:\n  - id: a\n    label: A\n    parent: nope\n    terms: [b]\n", "parent", 5},
		{"group with terms", "name: x\ncodes:\n  - id: g\n    label: G\n    group: true\n    terms: [b]\n", "terms", 6},
		{"group with stem", "name: x\ncodes:\n  - id: g\n    label: G\n    group: true\n    stem: true\n", "stem", 6},
		{"group with weight", "name: x\ncodes:\n  - id: g\n    label: G\n    group: true\n    weight: 2\n", "weight", 6},
		{"bad colour", "name: x\ncodes:\n  - id: a\n    label: A\n    colour: red\n    terms: [b]\n", "colour", 5},
		{"bad name", "name: X Y\ncodes:\n  - id: a\n    label: A\n    terms: [b]\n", "name", 1},
		{"not yaml", "name: [\n", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), "cb.yaml")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			if e.Field != tt.field || e.Line != tt.line || e.File != "cb.yaml" {
				t.Errorf("Parse error = %q (field %q line %d), want field %q line %d", err, e.Field, e.Line, tt.field, tt.line)
			}
		})
	}
}

func TestBuiltin(t *testing.T) {
	want := map[string]int{"charter": 10, "keyfeatures": 12, "drivers": 3}
	for name, n := range want {
		cb, err := Load(name)
		if err != nil {
			t.Fatalf("Load(%s): %v", name, err)
		}
		if got := len(Codable([]*Codebook{cb})); got != n {
			t.Errorf("%s has %d codable codes, want %d", name, got, n)
		}
		for _, c := range cb.Codes {
			if !strings.HasPrefix(c.ID, name+".") {
				t.Errorf("%s: code ID %q lacks the codebook prefix", name, c.ID)
			}
		}
	}
	cbs, err := LoadAll(nil)
	if err != nil || len(cbs) != 3 {
		t.Fatalf("LoadAll(nil) = %d codebooks, %v", len(cbs), err)
	}
	if _, err := Load("no-such-codebook"); err == nil {
		t.Error("Load(no-such-codebook) succeeded")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(testBook))
	f.Add([]byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [\"a b\", c*, d NEAR/2 e]\n"))
	f.Add([]byte("name: x\nstem: true\ncodes:\n  - id: a\n    label: A\n    stem: false\n    terms: [famil*, '/partner(s|ships?)/', '/festival/ NEAR/4 learning']\n    exclude: ['/learning (dis)?abilit(y|ies)/']\n"))
	f.Add([]byte("name: x\ncodes:\n  - id: a\n    label: A\n    stem: true\n    terms: ['/(?-i)K[oō]minkan/', '/\\bx\\//', 'disability']\n"))
	f.Add([]byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: ['fam(ily)?', '/[a-/']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error %v is not an *Error", err)
			}
			return
		}
		// A codebook that parses must code and explain any text without
		// panicking, with evidence inside the passage, and every coding's
		// evidence among what Explain reports.
		text := "Families, partners and the Kōminkan festival of learning; a learning disability's x/ 2030."
		p := corpus.Passage{ID: "p", Text: text, End: len(text)}
		explained := map[[2]int]bool{}
		for _, m := range cb.Explain(p) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
				t.Fatalf("Explain match %+v outside the passage", m)
			}
			explained[[2]int{m.Start, m.End}] = true
		}
		for _, c := range cb.Code(p) {
			for _, e := range c.Evidence {
				if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
					t.Fatalf("evidence %+v outside the passage", e)
				}
				if !explained[[2]int{e.Start, e.End}] {
					t.Fatalf("evidence %+v of %s not among Explain's matches", e, c.CodeID)
				}
			}
		}
	})
}

// TestNearScope: with near_scope: sentence, both sides of a NEAR rule must
// be in one sentence of the passage; by default the passage is the scope.
func TestNearScope(t *testing.T) {
	yaml := func(scope string) []byte {
		return []byte("name: n\ncodes:\n  - id: fest\n    label: Festival with families\n" + scope + "    terms: [festival NEAR/6 families]\n")
	}
	text := "The city runs a festival. Families come from every district."
	p := corpus.Passage{ID: "p", Text: text, End: len(text), Sentences: []corpus.Span{{Start: 0, End: 25}, {Start: 26, End: len(text)}}}
	for _, tt := range []struct {
		scope string
		want  int
	}{{"", 1}, {"    near_scope: passage\n", 1}, {"    near_scope: sentence\n", 0}} {
		cb, err := Parse(yaml(tt.scope), "n.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := len(cb.Code(p)); got != tt.want {
			t.Errorf("scope %q: %d codings, want %d", strings.TrimSpace(tt.scope), got, tt.want)
		}
	}
	if _, err := Parse(yaml("    near_scope: page\n"), "n.yaml"); err == nil || !strings.Contains(err.Error(), "n.yaml:5: near_scope") {
		t.Errorf("bad scope: %v", err)
	}
}
