package coding

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp/syntax"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

// samplePassages are the passages of the embedded sample corpus as
// ingest cuts them (with their sentences), then the sample case studies'
// paragraphs and the focus labels as passages of their own.
func samplePassages(t *testing.T) []corpus.Passage {
	t.Helper()
	var ps []corpus.Passage
	c := corpus.Sample()
	for _, in := range ingest.Inputs(c) {
		res := ingest.File(context.Background(), c.FS, in, ingest.Options{})
		if len(res.Failures) > 0 {
			t.Fatalf("ingest %s: %+v", in.File, res.Failures)
		}
		for _, d := range res.Docs {
			ps = append(ps, d.Passages...)
		}
	}
	files, err := fs.Glob(os.DirFS("../corpus/sample/text"), "*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample texts: %v %v", files, err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile("../corpus/sample/text/" + f)
		if err != nil {
			t.Fatal(err)
		}
		for i, para := range strings.Split(string(data), "\n\n") {
			ps = append(ps, corpus.Passage{ID: fmt.Sprintf("%s-%d", f, i), Text: para, Start: 3, End: 3 + len(para)})
		}
	}
	for _, line := range strings.Split(string(corpus.FocusCSV()), "\n") {
		for _, label := range strings.Split(line, ",") {
			ps = append(ps, corpus.Passage{ID: "focus", Text: label, End: len(label)})
		}
	}
	return ps
}

// agree reports how the set and the reference matcher differ on passage
// p with codebooks cbs: in CodeAll, and in each codebook's Code and
// Explain; "" when they agree.
func agree(cbs []*Codebook, p corpus.Passage) string {
	if got, want := CodeAll(cbs, p), refCodeAll(cbs, p); !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("CodeAll = %+v\nreference %+v", got, want)
	}
	for _, cb := range cbs {
		if got, want := cb.Code(p), refCode(cb, p); !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("%s: Code = %+v\nreference %+v", cb.Name, got, want)
		}
		if got, want := cb.Explain(p), refExplain(cb, p); !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("%s: Explain = %+v\nreference %+v", cb.Name, got, want)
		}
	}
	return ""
}

// TestSetAgreesOnSample: on every passage of the embedded sample, with
// every embedded codebook alone and all together, the set gives the
// reference matcher's codings, scores and evidence, and Explain its
// matches.
func TestSetAgreesOnSample(t *testing.T) {
	var cbs []*Codebook
	for _, name := range Builtin() {
		cb, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		cbs = append(cbs, cb)
	}
	codings, evidence := 0, 0
	for _, p := range samplePassages(t) {
		if diff := agree(cbs, p); diff != "" {
			t.Fatalf("passage %s %.60q:\n%s", p.ID, p.Text, diff)
		}
		for _, c := range CodeAll(cbs, p) {
			codings++
			evidence += len(c.Evidence)
		}
	}
	if codings < 1000 || evidence < 3000 {
		t.Errorf("only %d codings with %d evidence spans on the sample: the test checks too little", codings, evidence)
	}
}

// genCodebook writes a random codebook from the words of vocab: plain
// words and phrases, prefixes, exact forms, regular expressions of the
// shapes codebooks use (alternations of word forms, optional endings,
// \w*, bounded gaps, anchors, case-sensitive parts) and NEAR rules, with
// exclude terms, min_matches, weight, near_scope and stem settings.
func genCodebook(r *rand.Rand, name string, vocab []string) string {
	word := func() string { return vocab[r.IntN(len(vocab))] }
	cased := func(w string) string {
		switch r.IntN(6) {
		case 0:
			return strings.ToUpper(w)
		case 1:
			return strings.ToUpper(w[:1]) + w[1:]
		}
		return w
	}
	words := func(n int) string {
		var ws []string
		for range n {
			ws = append(ws, cased(word()))
		}
		return strings.Join(ws, " ")
	}
	alt := func() string {
		var ws []string
		for range 1 + r.IntN(4) {
			w := word()
			switch r.IntN(5) {
			case 0:
				w += "s?"
			case 1:
				if len(w) > 4 {
					w = w[:len(w)-2] + "(" + w[len(w)-2:] + "|es|ing|ed)?"
				}
			case 2:
				if len(w) > 3 {
					w = w[:3]
				}
			}
			ws = append(ws, w)
		}
		return "(" + strings.Join(ws, "|") + ")"
	}
	regex := func() string {
		parts := []string{alt()}
		for range r.IntN(3) {
			sep := []string{" ", " ", "[- ]", ",? ", "( \\w+)? ", "( \\w+){0,2} ", "\\s", "-?", " (the |a )?"}[r.IntN(9)]
			parts = append(parts, sep, alt())
		}
		re := strings.Join(parts, "")
		switch r.IntN(14) {
		case 0:
			re += "\\w*"
		case 1:
			re = "^" + re
		case 2:
			re = "\\b" + re + "\\b"
		case 3:
			re = "(?-i)" + cased(word()) + " " + re
		case 4:
			re += "|" + alt()
		case 5:
			re = word() + "|" + word() + "s?"
		case 6:
			re = "\\(" + word() + "\\)"
		case 7:
			re += "."
		case 8:
			re = word() + "??" + re
		case 9:
			re += "$"
		case 10:
			re = "(" + word() + "){1,2} " + re
		case 11:
			re = "[A-Z]" + word()
		}
		return "/" + re + "/"
	}
	simple := func() string {
		switch r.IntN(7) {
		case 0, 1:
			return words(1)
		case 2:
			return words(2 + r.IntN(2))
		case 3:
			w := word()
			if len(w) < 3 {
				return w
			}
			return cased(w[:3+r.IntN(len(w)-2)]) + "*"
		case 4:
			return `"` + words(1+r.IntN(2)) + `"`
		}
		return regex()
	}
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", name)
	if r.IntN(4) == 0 {
		b.WriteString("stem: true\n")
	}
	b.WriteString("codes:\n")
	for c := range 1 + r.IntN(4) {
		fmt.Fprintf(&b, "  - id: c%d\n    label: C%d\n", c, c)
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, "    min_matches: %d\n", 1+r.IntN(3))
		}
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, "    weight: %g\n", 0.5+float64(r.IntN(4)))
		}
		if r.IntN(3) == 0 {
			b.WriteString("    near_scope: sentence\n")
		}
		if r.IntN(5) == 0 {
			fmt.Fprintf(&b, "    stem: %v\n", r.IntN(2) == 0)
		}
		b.WriteString("    terms:\n")
		for range 1 + r.IntN(5) {
			t := simple()
			if r.IntN(4) == 0 {
				t = fmt.Sprintf("%s NEAR/%d %s", simple(), 1+r.IntN(6), simple())
			}
			fmt.Fprintf(&b, "      - %s\n", quote(t))
		}
		if n := r.IntN(3) - 1; n > 0 {
			b.WriteString("    exclude:\n")
			for range n {
				fmt.Fprintf(&b, "      - %s\n", quote(simple()))
			}
		}
	}
	return b.String()
}

// genText writes a random passage from the words of vocab, in every case,
// with plurals, possessives, hyphens, punctuation, other scripts and the
// characters case folding treats apart (ſ, the Kelvin sign); sentences
// end at ". ".
func genText(r *rand.Rand, vocab []string) corpus.Passage {
	var b strings.Builder
	for range r.IntN(60) {
		w := vocab[r.IntN(len(vocab))]
		switch r.IntN(8) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		switch r.IntN(12) {
		case 0:
			w += "s"
		case 1:
			w += "es"
		case 2:
			w += "'s"
		case 3:
			w += "’s"
		case 4:
			w += "s'"
		case 5:
			w += []string{"ing", "ed", "ly", "x", "é", "2"}[r.IntN(6)]
		case 6:
			w = []string{"ſ", "\u212a", "é", "İ", "un", "Ō", "’", "ß", "ﬁ"}[r.IntN(9)] + w
		}
		b.WriteString(w)
		b.WriteString([]string{" ", " ", " ", " ", "  ", ", ", ". ", "-", "\n", " (", ") ", "’", "'", " - ", "; ", "/", "_"}[r.IntN(17)])
	}
	text := b.String()
	p := corpus.Passage{ID: "p", Text: text, Start: r.IntN(2) * 7}
	p.End = p.Start + len(text)
	for s := 0; s < len(text); {
		e := strings.Index(text[s:], ". ")
		if e < 0 {
			e = len(text)
		} else {
			e += s + 1
		}
		p.Sentences = append(p.Sentences, corpus.Span{Start: p.Start + s, End: p.Start + e})
		s = e + 1
	}
	return p
}

// fuzzVocab is the words the random codebooks and texts are made of:
// words of the embedded codebooks' terms and a few of other shapes.
func fuzzVocab(tb testing.TB) []string {
	tb.Helper()
	seen := map[string]bool{}
	var out []string
	for _, name := range Builtin() {
		cb, err := Load(name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range cb.Codes {
			for _, term := range c.Terms {
				for _, w := range strings.FieldsFunc(strings.ToLower(term), func(r rune) bool { return r < 'a' || r > 'z' }) {
					if len(w) >= 2 && !seen[w] {
						seen[w] = true
						out = append(out, w)
					}
				}
			}
		}
	}
	sort.Strings(out)
	r := rand.New(rand.NewPCG(7, 7))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	// A small vocabulary, so that terms and texts meet often.
	return append(out[:40], "city", "care", "careers", "kids", "seniors", "skills", "bus", "day", "box", "church", "kōminkan", "o'clock", "esd", "k", "s")
}

// randomAgree codes a random text with random codebooks, both from seed,
// with raw spliced into the text, and reports a difference from the
// reference.
func randomAgree(t *testing.T, vocab []string, seed uint64, raw string) {
	r := rand.New(rand.NewPCG(seed, seed>>7))
	var cbs []*Codebook
	var srcs []string
	for i := range 1 + r.IntN(2) {
		src := genCodebook(r, fmt.Sprintf("g%d", i), vocab)
		cb, err := Parse([]byte(src), "gen.yaml")
		if err != nil {
			continue
		}
		cbs, srcs = append(cbs, cb), append(srcs, src)
	}
	if len(cbs) == 0 {
		return
	}
	p := genText(r, vocab)
	if raw != "" {
		at := 0
		if len(p.Text) > 0 {
			at = r.IntN(len(p.Text) + 1)
		}
		p.Text = p.Text[:at] + raw + p.Text[at:]
		p.End = p.Start + len(p.Text)
	}
	defer func() {
		for _, cb := range cbs {
			refMatchers.Delete(cb)
		}
	}()
	if diff := agree(cbs, p); diff != "" {
		t.Fatalf("seed %d, text %q, codebooks:\n%s\n%s", seed, p.Text, strings.Join(srcs, "---\n"), diff)
	}
}

// TestSetAgreesRandom: on random codebooks and texts the set agrees with
// the reference matcher (FuzzSetAgrees searches further).
func TestSetAgreesRandom(t *testing.T) {
	vocab := fuzzVocab(t)
	n := 1000
	if testing.Short() {
		n = 200
	}
	for seed := range uint64(n) {
		randomAgree(t, vocab, seed, "")
	}
}

// FuzzSetAgrees: the set agrees with the reference matcher on random
// codebooks and texts drawn from a seed, with any string spliced in.
func FuzzSetAgrees(f *testing.F) {
	vocab := fuzzVocab(f)
	for _, s := range []struct {
		seed uint64
		raw  string
	}{{1, ""}, {2, "Learning CITY’s cities' ſkills"}, {3, "care careers \u212aids"}, {4, "a\xffb"}, {5, "İstanbul ﬁnance"}} {
		f.Add(s.seed, s.raw)
	}
	f.Fuzz(func(t *testing.T, seed uint64, raw string) {
		if len(raw) > 500 {
			return
		}
		randomAgree(t, vocab, seed, raw)
	})
}

// TestFoldOutsiders: the only characters outside ASCII that fold to an
// ASCII letter are ſ and the Kelvin sign, as scanRegexes has always
// assumed.
func TestFoldOutsiders(t *testing.T) {
	if want := []string{"\u212a", "ſ"}; !reflect.DeepEqual(foldOutsiders, want) && !reflect.DeepEqual(foldOutsiders, []string{"ſ", "\u212a"}) {
		t.Errorf("foldOutsiders = %q, want %q", foldOutsiders, want)
	}
}

// TestFiniteStrings: the strings of an expression, most preferred first,
// or none when the trie cannot stand for it.
func TestFiniteStrings(t *testing.T) {
	tests := []struct {
		re   string
		want []string // nil: not finite for the trie
	}{
		{"learn(ing|ers?)?", []string{"learning", "learners", "learner", "learn"}},
		{"care|careers?", []string{"care", "careers", "career"}},
		{"(increasingly|more) (diverse|multicultural)", []string{"increasingly diverse", "increasingly multicultural", "more diverse", "more multicultural"}},
		{"a??b", []string{"b", "ab"}},
		{"income[- ]gen", []string{"income gen", "income-gen"}},
		{"(a|ab)(c|bcd)", []string{"ac", "abcd", "abc", "abbcd"}},
		{"x{0,2}y", []string{"xxy", "xy", "y"}},
		{"LEARN|learn", []string{"learn"}},
		{"[Aa]b", []string{"ab"}},
		{"[A-Z]b", []string{"ab", "bb", "cb", "db", "eb", "fb", "gb", "hb", "ib", "jb", "kb", "lb", "mb", "nb", "ob", "pb", "qb", "rb", "sb", "tb", "ub", "vb", "wb", "xb", "yb", "zb"}},
		{"café", nil},
		{"caf–e", []string{"caf–e"}},
		{"learn\\w*", []string{`learn\w*`}},
		{"^learn", nil},
		{"learn$", nil},
		{"learn.", nil},
		{"(?-i)ESD", nil},
		{"(?-i)[A-Z]b", nil},
		{"(?-i)2030", []string{"2030"}},
		{"ſ", []string{"s"}}, // texts with ſ never reach the trie
		{`learn\w*|courses?`, []string{`learn\w*`, "courses", "course"}},
		{`climate (change|neutral\w*)`, []string{"climate change", `climate neutral\w*`}},
		{`learn\w+`, []string{`learn\w+`}},
		{`learn(\w*)?`, []string{`learn\w*`, "learn"}},
		{`creat\w* jobs`, nil},
		{`learn\w*?`, nil},
		{`learn[a-z]*`, nil},
	}
	for _, tt := range tests {
		tree, err := syntax.Parse("(?i)"+tt.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		strs, ok := finiteStrings(tree.Simplify())
		var got []string
		for _, l := range strs {
			got = append(got, l.s+map[byte]string{'*': `\w*`, '+': `\w+`}[l.tail])
		}
		if !ok {
			got = nil
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("finiteStrings(%q) = %q, %v; want %q", tt.re, got, ok, tt.want)
		}
	}
}

// TestCodeAllKeepsSets: CodeAll compiles a list of codebooks once and
// keeps at most maxSets lists per first codebook.
func TestCodeAllKeepsSets(t *testing.T) {
	a, b := oneCode(t, "", "", "family"), mustParse(t, "name: a\ncodes:\n  - id: z\n    label: Z\n    terms: [x]\n")
	if s1, s2 := setFor([]*Codebook{a, b}), setFor([]*Codebook{a, b}); s1 != s2 {
		t.Error("setFor compiled the same codebooks twice")
	}
	if setFor([]*Codebook{a, b}) == setFor([]*Codebook{b, a}) {
		t.Error("setFor gave codebooks in another order the same set")
	}
	for range 2 * maxSets {
		setFor([]*Codebook{a, mustParse(t, "name: a\ncodes:\n  - id: z\n    label: Z\n    terms: [x]\n")})
	}
	if n := len(*a.sets.sets.Load()); n != maxSets {
		t.Errorf("a codebook keeps %d sets, want %d", n, maxSets)
	}
}

// TestSetCompilesEmbedded: most of the embedded codebooks' regular
// expressions are matched by the literal tries, not by regexp (the
// package documentation says nine in ten).
func TestSetCompilesEmbedded(t *testing.T) {
	cbs, err := LoadAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := setFor(cbs)
	lit := 0
	var rest []string
	for _, rr := range s.regexes {
		if rr.lit {
			lit++
		} else {
			rest = append(rest, rr.re.String())
		}
	}
	t.Logf("%d of %d expressions in the literal tries; by regexp: %q", lit, len(s.regexes), rest)
	if len(s.regexes) < 100 || lit*100 < len(s.regexes)*85 {
		t.Errorf("%d of %d expressions in the literal tries, want 85%% or more", lit, len(s.regexes))
	}
}

// TestSetConcurrent: goroutines sharing one set code as one goroutine
// does (run with -race to check the pooled working memory and the
// cache of sets).
func TestSetConcurrent(t *testing.T) {
	cbs, err := LoadAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := samplePassages(t)
	want := make([][]corpus.Coding, len(ps))
	for i, p := range ps {
		want[i] = refCodeAll(cbs, p)
	}
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			for i := range ps {
				k := (i + g*len(ps)/4) % len(ps)
				if got := CodeAll(cbs, ps[k]); !reflect.DeepEqual(got, want[k]) {
					errs <- fmt.Sprintf("goroutine %d, passage %s: %+v, want %+v", g, ps[k].ID, got, want[k])
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// TestIsWordRuneASCII: the ASCII shortcut of isWordRune says what
// unicode does.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		if got, want := isWordRune(r), unicode.IsLetter(r) || unicode.IsDigit(r); got != want {
			t.Errorf("isWordRune(%q) = %v, want %v", r, got, want)
		}
	}
}
