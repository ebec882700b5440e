package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/pipeline"
)

func TestCodebookCommands(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.yaml")
	os.WriteFile(good, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [kominkan]\n"), 0o644)
	regexLike := filepath.Join(t.TempDir(), "regex.yaml")
	os.WriteFile(regexLike, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms:\n      - kominkan\n      - famil(y|ies)\n"), 0o644)
	badRegex := filepath.Join(t.TempDir(), "badregex.yaml")
	os.WriteFile(badRegex, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [kominkan]\n    exclude: ['/famil(y|ies/']\n"), 0o644)
	checkCommands(t, []commandCase{
		{[]string{"codebook", "validate", badCodebook(t)}, exitUsage, "bad.yaml:5: terms"},
		{[]string{"codebook", "validate", good}, exitOK, "ok"},
		{[]string{"codebook", "validate", regexLike}, exitUsage, `regex.yaml:5: terms: "famil(y|ies)" contains "(" and looks like a regular expression: write /famil(y|ies)/ for a regular expression`},
		{[]string{"codebook", "validate", badRegex}, exitUsage, "badregex.yaml:6: exclude: /famil(y|ies/: invalid regular expression"},
		{[]string{"codebook", "validate", filepath.Join(t.TempDir(), "missing.yaml")}, exitUsage, "missing.yaml"},
		{[]string{"codebook", "show", "charter"}, exitOK, "charter.partnerships"},
		{[]string{"codebook", "show", "nosuch"}, exitUsage, "nosuch"},
		{[]string{"codebook", "show", "charter", "--json"}, exitUsage, "--out and --json go with --forms"},
		{[]string{"codebook", "show", "charter", "--out", t.TempDir()}, exitUsage, "--out and --json go with --forms"},
		{[]string{"codebook", "show", "charter", "--forms", "--out", t.TempDir()}, exitUsage, "not an lcity workspace"},
		{[]string{"codebook", "list"}, exitOK, "keyfeatures"},
	})
}

// showBook is a codebook whose groups come before their codes, with a
// code outside any group between them, and every setting show prints.
const showBook = `name: tiny
title: Tiny
description: For the tests.
codes:
  - id: g
    label: Group
    group: true
  - id: loose
    label: Loose
    terms: [ageing]
    stem: true
  - id: h
    label: Other group
    group: true
  - id: families
    label: Families
    parent: g
    terms: [family, provider, festival NEAR/6 family, '/learn(er|ing)s?/']
    exclude: [learning disability, kominkan]
    min_matches: 1
    weight: 2
    near_scope: sentence
  - id: later
    label: Later
    parent: h
    terms: [promotion]
`

// TestCodebookShow: each group is printed with its own codes, with their
// exclude terms and settings.
func TestCodebookShow(t *testing.T) {
	book := filepath.Join(t.TempDir(), "tiny.yaml")
	os.WriteFile(book, []byte(showBook), 0o644)
	code, stdout, stderr := lcity(t, "codebook", "show", book)
	want := `tiny: Tiny
For the tests.

tiny.g (group): Group
  tiny.families: Families
      terms: family, provider, festival NEAR/6 family, /learn(er|ing)s?/
      exclude: learning disability, kominkan
      min_matches: 1, weight: 2, near_scope: sentence
tiny.loose: Loose
    terms: ageing
    stem: true
tiny.h (group): Other group
  tiny.later: Later
      terms: promotion
`
	if code != exitOK || stdout != want {
		t.Errorf("codebook show = exit %d %s\n%s\nwant\n%s", code, stderr, stdout, want)
	}
	// A codebook-level stem: true is printed once, and a code that turns
	// it off says so.
	stemmed := filepath.Join(t.TempDir(), "stemmed.yaml")
	os.WriteFile(stemmed, []byte("name: s\nstem: true\ncodes:\n  - id: a\n    label: A\n    terms: [x]\n  - id: b\n    label: B\n    terms: [y]\n    stem: false\n"), 0o644)
	code, stdout, _ = lcity(t, "codebook", "show", stemmed)
	want = "s\nstem: true\n\ns.a: A\n    terms: x\ns.b: B\n    terms: y\n    stem: false\n"
	if code != exitOK || stdout != want {
		t.Errorf("codebook show = exit %d\n%q\nwant\n%q", code, stdout, want)
	}
	// The embedded keyfeatures: the wider benefits under their group, not
	// under the last one.
	_, stdout, _ = lcity(t, "codebook", "show", "keyfeatures")
	group := strings.Index(stdout, "keyfeatures.wider-benefits (group)")
	child := strings.Index(stdout, "  keyfeatures.empowerment-cohesion:")
	next := strings.Index(stdout, "keyfeatures.building-blocks (group)")
	if group < 0 || !(group < child && child < next) {
		t.Errorf("codebook show keyfeatures: empowerment-cohesion not under wider-benefits:\n%s", stdout)
	}
}

// TestCodebookShowForms: --forms on a workspace of a tiny corpus prints
// what each term matched; --json the same as JSON.
func TestCodebookShowForms(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "corpus.yaml"), []byte("documents:\n"+
		"  - {file: north.txt, city: North, country: Nowhere, region: Europe, year: 2020}\n"+
		"  - {file: south.txt, city: South, country: Nowhere, region: Europe, year: 2021}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "north.txt"), []byte("Families and one family's garden. Learners of all ages join the Learning Festival.\n\n"+
		"An ageing population, with support for people with learning disabilities.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "south.txt"), []byte("FAMILIES meet at the festival, and the city is providing courses for families.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "ws")
	if code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--permutations", "9"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	book := filepath.Join(t.TempDir(), "tiny.yaml")
	os.WriteFile(book, []byte(showBook), 0o644)

	code, stdout, stderr := lcity(t, "codebook", "show", book, "--forms", "--out", out)
	want := `tiny: Tiny
For the tests.

tiny.g (group): Group
  tiny.families: Families
      family → families 3, family's 1
      provider → no match
      festival NEAR/6 family → festival … FAMILIES 1
      /learn(er|ing)s?/ → learning 2, Learners 1
      exclude: learning disability → learning disabilities 1
      exclude: kominkan → no match
      min_matches: 1, weight: 2, near_scope: sentence
tiny.loose: Loose
    ageing → ageing 1, ages 1
    stem: true
tiny.h (group): Other group
  tiny.later: Later
      promotion → no match
`
	if code != exitOK || stdout != want || stderr != "forms matched in 3 passages of "+out+"\n" {
		t.Errorf("codebook show --forms = exit %d %q\n%s\nwant\n%s", code, stderr, stdout, want)
	}

	code, stdout, stderr = lcity(t, "codebook", "show", book, "--forms", "--out", out, "--json")
	var rep pipeline.FormsReport
	if code != exitOK || json.Unmarshal([]byte(stdout), &rep) != nil {
		t.Fatalf("codebook show --forms --json = exit %d %s\n%s", code, stderr, stdout)
	}
	if rep.Codebook != "tiny" || rep.Passages != 3 || len(rep.Terms) != 8 {
		t.Fatalf("codebook show --forms --json = %+v", rep)
	}
	// Terms come in file order: tiny.loose's, then tiny.families'.
	if tf := rep.Terms[1]; tf.CodeID != "tiny.families" || tf.Term != "family" || tf.Matches != 4 || len(tf.Forms) != 2 || tf.Forms[0] != (pipeline.FormCount{Form: "families", Count: 3}) {
		t.Errorf("second term = %+v, want tiny.families' family with families 3, family's 1", tf)
	}
	if !strings.Contains(stdout, `"forms": []`) {
		t.Errorf("a term without matches should have \"forms\": [], got\n%s", stdout)
	}
}
