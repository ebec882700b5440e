package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/pipeline"
)

func newSearchCmd() *cobra.Command {
	var out string
	var q index.Query
	var asJSON, kwic bool
	c := &cobra.Command{
		Use:   "search [flags] [QUERY]",
		Short: "Search the passages (Bleve query-string syntax) with filters and facets",
		Long: `Search the indexed passages. QUERY uses Bleve's query-string syntax:
words, "phrases", +required, -excluded, fuzzy~, wild*cards, field:value
(fields: text, city, region, section, codes, year). Filters narrow the hits;
facet counts by region, city, code, section and year are printed under them.
With a filter and no QUERY, search lists every passage the filters keep, in
reading order, with the opening of each (lcity search --city Bristol --code
charter.inclusion).
A passage's codes are the reviewed coding (review.sqlite applied to
codings.csv) as of the last run, index or analyze; a note on stderr says
when decisions were recorded since.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			q.Q = strings.Join(args, " ")
			if strings.TrimSpace(q.Q) == "" && !q.Filtered() {
				return pipeline.Usagef("search needs a QUERY, a filter (--city, --region, --code, --section, --year), or both")
			}
			// One query and exit: collect garbage a quarter as often
			// (about 10 % of the CPU time of a search on 400 generated
			// reports, at no measurable cost in peak RSS, which is
			// mostly the index's mapped files), unless GOGC says otherwise.
			if os.Getenv("GOGC") == "" {
				debug.SetGCPercent(400)
			}
			res, err := pipeline.Search(cmd.Context(), out, q)
			if err != nil {
				return err
			}
			if note := pipeline.IndexReviewNote(cmd.Context(), out); note != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), note)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			if kwic {
				printKwicHits(w, res)
				return nil
			}
			printHits(w, res, q, isTerminal(w))
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	c.Flags().StringVar(&q.City, "city", "", "only passages of this city")
	c.Flags().StringVar(&q.Region, "region", "", "only passages of this region (Europe, Asia-Pacific)")
	c.Flags().StringVar(&q.Code, "code", "", "only passages coded with this code ID")
	c.Flags().StringVar(&q.Section, "section", "", "only passages of this section")
	c.Flags().StringVar(&q.Year, "year", "", "only passages of this award year")
	c.Flags().IntVar(&q.Limit, "limit", 10, "hits per page")
	c.Flags().IntVar(&q.From, "from", 0, "skip this many hits (paging)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: total, hits, facets")
	c.Flags().BoolVar(&kwic, "kwic", false, "print each highlighted match in its context, one line each")
	return c
}

func printHits(w io.Writer, res *index.Result, q index.Query, colour bool) {
	fmt.Fprintf(w, "%s\n\n", hitsHeader(res, q))
	for i, h := range res.Hits {
		score := fmt.Sprintf("  score %.3f", h.Score)
		if q.FilterOnly() {
			score = "" // every kept passage matches equally: no words were searched
		}
		fmt.Fprintf(w, "%d. %s (%s), p. %d, %s  [%s]%s\n", q.From+i+1, h.City, h.Region, h.Page, h.Section, h.PassageID, score)
		fmt.Fprintf(w, "   %s\n", index.PlainSnippet(h.Snippet, colour))
		if len(h.Codes) > 0 {
			fmt.Fprintf(w, "   codes: %s\n", strings.Join(h.Codes, ", "))
		}
		fmt.Fprintln(w)
	}
	for _, f := range index.FacetFields {
		counts := res.Facets[f]
		if len(counts) == 0 {
			continue
		}
		var parts []string
		for _, c := range counts {
			parts = append(parts, fmt.Sprintf("%s %d", c.Term, c.Count))
		}
		fmt.Fprintf(w, "%-8s %s\n", f+":", strings.Join(parts, " · "))
	}
}

// hitsHeader says which hits of how many are shown, under which filters,
// and how to get the next page: `showing 1–10 of 25 for "festival"
// (region Europe) — --from 10 for more`.
func hitsHeader(res *index.Result, q index.Query) string {
	var filters []string
	for _, f := range []struct{ name, v string }{{"city", q.City}, {"region", q.Region}, {"code", q.Code}, {"section", q.Section}, {"year", q.Year}} {
		if f.v != "" {
			filters = append(filters, f.name+" "+f.v)
		}
	}
	where := fmt.Sprintf("for %q", q.Q)
	if len(filters) > 0 {
		where += " (" + strings.Join(filters, ", ") + ")"
	}
	if q.FilterOnly() {
		where = "with " + strings.Join(filters, ", ") + ", in reading order"
	}
	from := max(q.From, 0)
	if len(res.Hits) == 0 {
		if res.Total > 0 {
			return fmt.Sprintf("no hits from %d on: %d hits %s — try a smaller --from", from+1, res.Total, where)
		}
		return "0 hits " + where
	}
	last := from + len(res.Hits)
	msg := fmt.Sprintf("showing %d–%d of %d hits %s", from+1, last, res.Total, where)
	if uint64(last) < res.Total {
		msg += fmt.Sprintf(" — --from %d for more", last)
	}
	return msg
}

// printKwicHits prints one keyword-in-context line per highlighted match
// of each hit's snippet.
func printKwicHits(w io.Writer, res *index.Result) {
	for _, h := range res.Hits {
		// The snippet is HTML-escaped text with <mark> around matches.
		var plain strings.Builder
		var spans [][2]int
		rest := h.Snippet
		for {
			i := strings.Index(rest, "<mark>")
			if i < 0 {
				plain.WriteString(html.UnescapeString(rest))
				break
			}
			plain.WriteString(html.UnescapeString(rest[:i]))
			rest = rest[i+len("<mark>"):]
			j := strings.Index(rest, "</mark>")
			if j < 0 {
				j = len(rest)
			}
			start := plain.Len()
			plain.WriteString(html.UnescapeString(rest[:j]))
			spans = append(spans, [2]int{start, plain.Len()})
			rest = strings.TrimPrefix(rest[j:], "</mark>")
		}
		text := plain.String()
		for _, sp := range spans {
			l := pipeline.KWICAt(text, sp[0], sp[1], 40)
			fmt.Fprintf(w, "%-16s p.%-3d %-22s %40s [%s]%s\n", h.City, h.Page, h.PassageID, l.Left, l.Match, rightOf(l.Right))
		}
	}
	fmt.Fprintf(w, "(%d hits)\n", res.Total)
}
