package pipeline

import (
	"context"
	"sort"
	"strings"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// FormsReport is what each term of a codebook matched in a workspace's
// passages: a preview of a dictionary before trusting it.
type FormsReport struct {
	Codebook string `json:"codebook"`
	Passages int    `json:"passages"`
	// Terms holds every term of every codable code, then the code's
	// exclude terms, in codebook order; a term written twice in a code
	// appears once.
	Terms []TermForms `json:"terms"`
}

// TermForms is what one term of a code matched.
type TermForms struct {
	CodeID  string `json:"code_id"`
	Term    string `json:"term"`
	Exclude bool   `json:"exclude,omitempty"`
	// Matches is the number of matches; Forms the distinct forms matched,
	// most frequent first, then in alphabetical order (empty, not null,
	// for a term that matched nothing).
	Matches int         `json:"matches"`
	Forms   []FormCount `json:"forms"`
}

// FormCount is a form of the text a term matched and how often. Forms
// differing only in case count as one, shown in their most frequent
// spelling (the lower-case one on a tie); runs of white space are one
// space; the two sides of a NEAR match are joined by " … ", in the
// term's order.
type FormCount struct {
	Form  string `json:"form"`
	Count int    `json:"count"`
}

// Forms matches cb against every passage of the workspace out
// (coding.Codebook.Explain) and counts the forms each term and exclude
// term matched, whatever min_matches, exclusion and overlaps later make
// of them. It holds the workspace's Shared lock.
func Forms(ctx context.Context, out string, cb *coding.Codebook) (*FormsReport, error) {
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()

	type key struct {
		code, term string
		exclude    bool
	}
	type tally struct {
		matches   int
		spellings map[string]map[string]int // lower-case form → spelling → count
	}
	rep := &FormsReport{Codebook: cb.Name, Terms: []TermForms{}}
	at := map[key]*tally{}
	var order []key
	add := func(k key) {
		if _, ok := at[k]; !ok {
			at[k] = &tally{spellings: map[string]map[string]int{}}
			order = append(order, k)
		}
	}
	for _, c := range cb.Codes {
		mt, ok := cb.Matching(c.ID)
		if !ok {
			continue
		}
		for _, t := range c.Terms {
			add(key{c.ID, strings.TrimSpace(t), false})
		}
		for _, t := range mt.Exclude {
			add(key{c.ID, strings.TrimSpace(t), true})
		}
	}
	err = scan(out, m, false, func(p corpus.Passage, _ []corpus.Coding) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep.Passages++
		seen := map[matchKey]bool{}
		for _, tm := range cb.Explain(p) {
			k := key{tm.CodeID, tm.Term, tm.Exclude}
			t, ok := at[k]
			if !ok {
				continue
			}
			// A term written twice in a code matches twice: count it once.
			sk := matchKey{code: tm.CodeID, term: tm.Term, exclude: tm.Exclude, at: [4]int{tm.Start, tm.End}}
			if len(tm.Near) == 2 {
				sk.at = [4]int{tm.Near[0].Start, tm.Near[0].End, tm.Near[1].Start, tm.Near[1].End}
			}
			if seen[sk] {
				continue
			}
			seen[sk] = true
			form := passageText(p, tm.Start, tm.End)
			if len(tm.Near) == 2 {
				form = passageText(p, tm.Near[0].Start, tm.Near[0].End) + " … " + passageText(p, tm.Near[1].Start, tm.Near[1].End)
			}
			low := strings.ToLower(form)
			if t.spellings[low] == nil {
				t.spellings[low] = map[string]int{}
			}
			t.spellings[low][form]++
			t.matches++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range order {
		t := at[k]
		tf := TermForms{CodeID: k.code, Term: k.term, Exclude: k.exclude, Matches: t.matches, Forms: []FormCount{}}
		for low, sp := range t.spellings {
			var fc FormCount
			best := 0
			for s, n := range sp {
				fc.Count += n
				if n > best || n == best && spelledBefore(s, fc.Form, low) {
					fc.Form, best = s, n
				}
			}
			tf.Forms = append(tf.Forms, fc)
		}
		sort.Slice(tf.Forms, func(i, j int) bool {
			if tf.Forms[i].Count != tf.Forms[j].Count {
				return tf.Forms[i].Count > tf.Forms[j].Count
			}
			return tf.Forms[i].Form < tf.Forms[j].Form
		})
		rep.Terms = append(rep.Terms, tf)
	}
	return rep, nil
}

// matchKey identifies a match of a term in a passage: where it is, or
// where each side of a NEAR match is.
type matchKey struct {
	code, term string
	exclude    bool
	at         [4]int
}

// spelledBefore orders two equally frequent spellings of the form low:
// low itself first, then alphabetically.
func spelledBefore(a, b, low string) bool {
	if (a == low) != (b == low) {
		return a == low
	}
	return a < b
}

// passageText is the passage's text at document offsets [start, end), on
// one line; "" when the offsets fall outside it.
func passageText(p corpus.Passage, start, end int) string {
	s, e := start-p.Start, end-p.Start
	if s < 0 || e > len(p.Text) || s > e {
		return ""
	}
	return oneLine(p.Text[s:e])
}
