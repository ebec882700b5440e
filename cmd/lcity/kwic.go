package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/corpus"
)

// kwicLine is one keyword-in-context line.
type kwicLine struct {
	PassageID string `json:"passage_id"`
	City      string `json:"city"`
	Region    string `json:"region"`
	Page      int    `json:"page"`
	CodeID    string `json:"code_id,omitempty"`
	Term      string `json:"term,omitempty"`
	Left      string `json:"left"`
	Match     string `json:"match"`
	Right     string `json:"right"`
}

func newKwicCmd() *cobra.Command {
	var out string
	var asJSON bool
	var width int
	c := &cobra.Command{
		Use:   "kwic [flags] CODE_ID|TERM",
		Short: "Keyword in context: every match of a code's evidence, or of a word",
		Long: `Prints keyword-in-context lines (city, page, left context, match, right
context). With a code ID (e.g. keyfeatures.families-communities) the matches
are the coding evidence from codings.csv; otherwise the argument is a word or
phrase searched case-insensitively in the passages.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// One pass over the workspace collects both the evidence of a
			// code called arg and the matches of arg as a word; which one
			// is shown depends on whether arg turned out to be a code.
			arg := args[0]
			needle := strings.ToLower(arg)
			var codeLines, wordLines []kwicLine
			var docID, text string
			err := corpus.ScanWorkspace(out, true, func(p corpus.Passage, cs []corpus.Coding) error {
				for _, cd := range cs {
					if cd.CodeID != arg {
						continue
					}
					if cd.DocID != docID { // passages come grouped by document
						b, _ := os.ReadFile(filepath.Join(out, corpus.TextsDir, cd.DocID+".txt"))
						docID, text = cd.DocID, string(b)
					}
					for _, ev := range cd.Evidence {
						if ev.End > len(text) {
							continue
						}
						l := kwicAt(text, ev.Start, ev.End, width)
						l.PassageID, l.City, l.Region, l.Page, l.CodeID, l.Term = p.ID, p.City, p.Region, p.Page, cd.CodeID, ev.Term
						codeLines = append(codeLines, l)
					}
				}
				low := strings.ToLower(p.Text)
				if len(low) != len(p.Text) || needle == "" {
					return nil // case folding changed lengths (offsets would be wrong), or nothing to find
				}
				for off := 0; ; {
					i := strings.Index(low[off:], needle)
					if i < 0 {
						break
					}
					s := off + i
					l := kwicAt(p.Text, s, s+len(needle), width)
					l.PassageID, l.City, l.Region, l.Page, l.Term = p.ID, p.City, p.Region, p.Page, arg
					wordLines = append(wordLines, l)
					off = s + len(needle)
				}
				return nil
			})
			if err != nil {
				return noWorkspace(out, err)
			}
			lines := wordLines
			if codeLines != nil {
				lines = codeLines
			}
			sort.SliceStable(lines, func(i, j int) bool { return lines[i].PassageID < lines[j].PassageID })
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				if lines == nil {
					lines = []kwicLine{}
				}
				return enc.Encode(lines)
			}
			for _, l := range lines {
				fmt.Fprintf(w, "%-16s p.%-3d %*s [%s] %s\n", l.City, l.Page, width, l.Left, l.Match, l.Right)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d lines\n", len(lines))
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", DefaultOut, "workspace folder")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().IntVar(&width, "width", 40, "characters of context on each side")
	return c
}

// kwicAt cuts width characters of context either side of text[start:end],
// on one line.
func kwicAt(text string, start, end, width int) kwicLine {
	left := []rune(oneLine(text[:start]))
	if len(left) > width {
		left = left[len(left)-width:]
	}
	right := []rune(oneLine(text[end:]))
	if len(right) > width {
		right = right[:width]
	}
	return kwicLine{Left: string(left), Match: oneLine(text[start:end]), Right: string(right)}
}

func oneLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	return strings.Join(strings.Fields(s), " ")
}
