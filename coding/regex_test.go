package coding

import (
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// regexHits are the matches of a matcher's regular expressions in text,
// as "expression start:end".
func regexHits(m *matcher, text string, toks []token, scan func(visit func(hit))) []string {
	var out []string
	scan(func(h hit) {
		if h.ref.pat.re != nil {
			out = append(out, fmt.Sprintf("%s %d:%d", h.ref.pat.re, h.start, h.end))
		}
	})
	sort.Strings(out)
	return out
}

// bruteRegexHits is the rule scanRegexes must follow, without its
// shortcuts and without its anchored copies: an expression tried at every
// word start, or, when it looks behind or may not begin a word, searched
// over the whole text.
func bruteRegexHits(m *matcher, text string, toks []token) []string {
	return regexHits(m, text, toks, func(visit func(hit)) {
		for i := range m.regexes {
			rr := &m.regexes[i]
			add := func(s, e int) {
				if from, to, ok := wordAligned(text, 0, toks, s, e); ok {
					for r := range rr.refs {
						visit(hit{&rr.refs[r], span{from, to, s, e}})
					}
				}
			}
			if rr.at == nil {
				for _, loc := range rr.re.FindAllStringIndex(text, -1) {
					add(loc[0], loc[1])
				}
				continue
			}
			// The leftmost match of the unanchored expression in the rest
			// of the text, when it starts at the word, is the anchored one.
			for _, t := range toks {
				if loc := rr.re.FindStringIndex(text[t.start:]); loc != nil && loc[0] == 0 {
					add(t.start, t.start+loc[1])
				}
			}
		}
	})
}

func fastRegexHits(m *matcher, text string, toks []token) []string {
	return regexHits(m, text, toks, func(visit func(hit)) { m.scanRegexes(text, 0, toks, visit) })
}

// TestRegexShortcuts: the embedded codebooks' regular expressions find
// the same matches in the sample texts with scanRegexes' shortcuts (first
// strings, needed strings) as without them.
func TestRegexShortcuts(t *testing.T) {
	cbs, err := LoadAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(os.DirFS("../corpus/sample/text"), "*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample texts: %v %v", files, err)
	}
	texts := []string{"Healthy Ageing for ſeniors and \u212aids", "HEALTHY LIVING, healthy ageing; Climate-change"}
	// Two case studies keep the quadratic reference quick;
	// FuzzRegexShortcuts covers other texts.
	for _, f := range []string{files[0], files[len(files)-1]} {
		data, err := os.ReadFile("../corpus/sample/text/" + f)
		if err != nil {
			t.Fatal(err)
		}
		// Paragraphs, as passages are: the reference is quadratic in a text.
		texts = append(texts, strings.Split(string(data), "\n\n")...)
	}
	total := 0
	for _, cb := range cbs {
		for _, text := range texts {
			toks := tokenize(text, 0, cb.matcher.stems())
			fast, brute := fastRegexHits(cb.matcher, text, toks), bruteRegexHits(cb.matcher, text, toks)
			if !reflect.DeepEqual(fast, brute) {
				t.Errorf("%s on %.40q: with shortcuts %d matches, without %d", cb.Name, text, len(fast), len(brute))
			}
			total += len(fast)
		}
	}
	if total < 100 {
		t.Errorf("only %d regular-expression matches in the sample: the test checks too little", total)
	}
}

// FuzzRegexShortcuts checks scanRegexes' shortcuts against the plain rule
// on any expression and text.
func FuzzRegexShortcuts(f *testing.F) {
	for _, s := range [][2]string{
		{"learn(ing|ers?)?", "Learning and LEARNERS learn"},
		{"(hard|difficult) to (engage|reach)", "hard to reach, Difficult to Engage"},
		{"^environment", "Environment and environment"},
		{"\\bcare\\b", "care careful"},
		{"(im)?migrants?|newcomers?", "Immigrants and migrants"},
		{"\\(esd\\)", "education (ESD) here"},
		{"seniors?", "ſeniors SENIOR"},
		{"kids", "\u212aids"},
		{"\\w+ing", "learning teaching"},
		{"x*", "xx yy"},
		{"\\Q0", "0 and 0"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if !utf8.ValidString(text) || len(text) > 2000 {
			return
		}
		tm, err := parseRegex("/"+pattern+"/", pattern)
		if err != nil {
			return
		}
		m := compile([]rule{{terms: []term{tm}}})
		toks := tokenize(text, 0, false)
		if fast, brute := fastRegexHits(m, text, toks), bruteRegexHits(m, text, toks); !reflect.DeepEqual(fast, brute) {
			t.Errorf("/%s/ on %q: with shortcuts %v, without %v", pattern, text, fast, brute)
		}
	})
}
