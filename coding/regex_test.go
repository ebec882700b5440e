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

	"github.com/lcity/lcity/corpus"
)

// termOf is the term (or NEAR side) s.refs[ref] stands for.
func termOf(s *set, ref int32) term {
	r := &s.refs[ref]
	rl := s.rules[r.rule].r
	switch {
	case r.exclude:
		return rl.exclude[r.term]
	case r.side == 1:
		return rl.terms[r.term].near.a
	case r.side == 2:
		return rl.terms[r.term].near.b
	}
	return rl.terms[r.term]
}

// regexHits are the matches of a set's regular expressions in text, as
// "expression start:end", from the hits scan leaves.
func regexHits(s *set, scan func(sc *scratch)) []string {
	sc := s.get()
	defer s.pool.Put(sc)
	scan(sc)
	var out []string
	for _, h := range sc.hits {
		if re := termOf(s, h.ref).re; re != nil {
			out = append(out, fmt.Sprintf("%s %d:%d", re, h.start, h.end))
		}
	}
	sort.Strings(out)
	return out
}

// bruteRegexHits is the rule the set's regular expressions must follow,
// without the literal trie, the first strings and the needed strings: an
// expression tried at every word start, or, when it looks behind or may
// not begin a word, searched over the whole text.
func bruteRegexHits(s *set, text string, toks []token) []string {
	return regexHits(s, func(sc *scratch) {
		for i := range s.regexes {
			rr := &s.regexes[i]
			add := func(b, e int) {
				if from, to, ok := wordAligned(text, 0, toks, b, e); ok {
					s.emit(sc, rr.refs, span{from, to, b, e})
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

func fastRegexHits(s *set, text string, toks []token) []string {
	return regexHits(s, func(sc *scratch) { s.scan(sc, text, 0, toks) })
}

// TestRegexShortcuts: the embedded codebooks' regular expressions find
// the same matches in the sample texts with the set's shortcuts (literal
// trie, first strings, needed strings) as without them.
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
			toks := tokenize(text, 0, cb.set.stems)
			fast, brute := fastRegexHits(cb.set, text, toks), bruteRegexHits(cb.set, text, toks)
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

// FuzzRegexShortcuts checks the set's shortcuts for regular expressions
// against the plain rule on any expression and text.
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
		s := compileSet([]*Codebook{{Codes: []corpus.Code{{ID: "f.c"}}, rules: []rule{{terms: []term{tm}, min: 1, weight: 1}}}})
		toks := tokenize(text, 0, false)
		if fast, brute := fastRegexHits(s, text, toks), bruteRegexHits(s, text, toks); !reflect.DeepEqual(fast, brute) {
			t.Errorf("/%s/ on %q: with shortcuts %v, without %v", pattern, text, fast, brute)
		}
	})
}
