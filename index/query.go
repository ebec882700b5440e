package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"github.com/lcity/lcity/corpus"
)

// quoteHyphenated puts double quotes around every unquoted word that has
// a hyphen inside it ("e-learning", "+world-class", "text:co-operation"),
// so Bleve searches it as the phrase its parts make. Left alone, the
// analyser splits it into words that are each optional, and e-learning
// would find every passage with "e" or "learning". A leading - (exclude)
// or + (require) and a field: prefix stay outside the quotes; words with
// wildcards, fuzziness, escapes or a regular expression are not touched.
func quoteHyphenated(q string) string {
	var b strings.Builder
	quoted, escaped := false, false
	start := -1 // start of the current unquoted token in q
	flush := func(end int) {
		if start < 0 {
			return
		}
		b.WriteString(quoteToken(q[start:end]))
		start = -1
	}
	for i, r := range q {
		switch {
		case start >= 0 && escaped:
			escaped = false
		case quoted:
			b.WriteRune(r)
			if escaped {
				escaped = false
			} else if r == '\\' {
				escaped = true
			} else if r == '"' {
				quoted = false
			}
		case r == '"':
			flush(i)
			quoted = true
			b.WriteRune(r)
		case unicode.IsSpace(r):
			flush(i)
			b.WriteRune(r)
		default:
			if start < 0 {
				start = i
			}
			if r == '\\' {
				escaped = true
			}
		}
	}
	flush(len(q))
	return b.String()
}

// quoteToken quotes the word part of one token when it is hyphenated.
func quoteToken(tok string) string {
	if strings.ContainsAny(tok, `\/*?~^"()`) {
		return tok
	}
	prefix := ""
	if tok != "" && (tok[0] == '+' || tok[0] == '-') {
		prefix, tok = tok[:1], tok[1:]
	}
	if field, rest, ok := strings.Cut(tok, ":"); ok {
		prefix, tok = prefix+field+":", rest
	}
	if !hyphenated(tok) {
		return prefix + tok
	}
	return prefix + `"` + tok + `"`
}

// hyphenated reports whether w is letters and digits joined by single
// inner hyphens: "e-learning", "650-year-old".
func hyphenated(w string) bool {
	parts := strings.Split(w, "-")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return false
		}
	}
	return true
}

// FilterError is a filter value no passage in the index has, usually a
// misspelling ("--region Eurpoe"). It is the user's error.
type FilterError struct {
	Field   string   // the filter: city, region, code, section or year
	Value   string   // what was asked for
	Suggest string   // the nearest value the index has, if any is near
	Valid   []string // the values the index has, sorted
}

func (e *FilterError) Error() string {
	msg := fmt.Sprintf("no passage has %s %q", e.Field, e.Value)
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	if len(e.Valid) > 0 && len(e.Valid) <= 30 {
		msg += fmt.Sprintf("; %s values: %s", e.Field, strings.Join(e.Valid, ", "))
	} else if len(e.Valid) > 30 {
		msg += fmt.Sprintf("; %d %s values, e.g. %s …", len(e.Valid), e.Field, strings.Join(e.Valid[:10], ", "))
	}
	return msg
}

// checkFilters is called when a filtered search found nothing: a filter
// value that no passage has is then reported as a *FilterError, with the
// nearest value, instead of an empty result that looks like an answer.
// Values that exist (a real empty intersection) give nil.
func (x *Index) checkFilters(ctx context.Context, q Query) error {
	filters := []struct {
		field, facet, value string
		exact               bool
	}{
		{"city", "city", q.City, false},
		{"region", "region", q.Region, false},
		{"code", "codes", q.Code, true},
		{"section", "section", q.Section, false},
		{"year", "year", q.Year, true},
	}
	var asked []string
	for _, f := range filters {
		if f.value != "" {
			asked = append(asked, f.facet)
		}
	}
	if len(asked) == 0 {
		return nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	for _, f := range asked {
		req.AddFacet(f, bleve.NewFacetRequest(f, 100000))
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("list filter values: %w", err)
	}
	for _, f := range filters {
		if f.value == "" {
			continue
		}
		var valid []string
		if fr, ok := res.Facets[f.facet]; ok && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				valid = append(valid, t.Term)
			}
		}
		slices.Sort(valid)
		found := slices.ContainsFunc(valid, func(v string) bool {
			return v == f.value || !f.exact && strings.EqualFold(v, f.value)
		})
		if !found {
			return &FilterError{Field: f.field, Value: f.value, Suggest: corpus.Suggest(f.value, valid), Valid: valid}
		}
	}
	return nil
}
