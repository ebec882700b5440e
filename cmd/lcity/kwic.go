package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newKwicCmd() *cobra.Command {
	var out string
	var asJSON bool
	var width int
	c := &cobra.Command{
		Use:   "kwic [flags] CODE_ID|TERM",
		Short: "Keyword in context: every match of a code's evidence, or of a word",
		Long: `Prints keyword-in-context lines (city, page, left context, match, right
context). With a code ID (e.g. keyfeatures.families-communities) the matches
are the evidence of the reviewed coding (codings.csv with the decisions in
review.sqlite applied: rejected codings give no line, a span coded by hand
gives one); otherwise the argument is a term matched as in a codebook: a
word and its regular inflections (plural, possessive), word* for a prefix,
"a phrase", /a regular expression/. Each line gives the city, page and
passage ID.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if width < 0 {
				return pipeline.Usagef("--width %d: want a number of characters", width)
			}
			lines, err := pipeline.KWIC(cmd.Context(), out, args[0], width)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				if lines == nil {
					lines = []pipeline.KWICLine{}
				}
				return enc.Encode(lines)
			}
			for _, l := range lines {
				fmt.Fprintf(w, "%-16s p.%-3d %-22s %*s [%s]%s\n", l.City, l.Page, l.PassageID, width, l.Left, l.Match, rightOf(l.Right))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d lines\n", len(lines))
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().IntVar(&width, "width", 40, "characters of context on each side")
	return c
}

// rightOf is the right context as printed after the match: a space
// between, unless it starts with punctuation that closes on the match
// ("learning," not "learning ,").
func rightOf(right string) string {
	if right == "" || strings.ContainsRune(",.;:!?)]}»”’'%", []rune(right)[0]) {
		return right
	}
	return " " + right
}
