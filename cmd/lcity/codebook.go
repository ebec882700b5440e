package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/pipeline"
)

func newCodebookCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "codebook",
		Short: "List, show and validate codebooks",
	}
	c.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the embedded codebooks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, n := range coding.Builtin() {
				cb, err := coding.Load(n)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-12s %2d codes  %s\n", cb.Name, cb.NumCodable(), cb.Title)
			}
			return nil
		},
	}, newCodebookShowCmd(), &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a codebook file; exit 2 on any error",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return &pipeline.UsageError{Err: err}
			}
			cb, err := coding.ParseFile(data, args[0])
			if err != nil {
				return &pipeline.UsageError{Err: err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok: codebook %s, %d codable codes\n", args[0], cb.Name, cb.NumCodable())
			return nil
		},
	})
	return c
}

func newCodebookShowCmd() *cobra.Command {
	var out string
	var forms, asJSON bool
	c := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a codebook's codes and terms; with --forms, what each term matches in a workspace",
		Long: `CODEBOOK.md in the lcity repository documents the codebook format and why
each embedded code has its terms.

Prints the codebook's codes as a tree (each group with its codes), with
their terms, exclude terms and matching settings.

With --forms, matches the codebook against the passages of the workspace
(--out) and prints, for each term and exclude term, the distinct forms it
matched with their counts, or "no match": a preview of a dictionary before
trusting it. --json prints the forms as JSON.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !forms && (cmd.Flags().Changed("out") || asJSON) {
				return pipeline.Usagef("--out and --json go with --forms")
			}
			cb, err := coding.Load(args[0])
			if err != nil {
				return &pipeline.UsageError{Err: err}
			}
			w := cmd.OutOrStdout()
			if !forms {
				printCodebook(w, cb, nil)
				return nil
			}
			rep, err := pipeline.Forms(cmd.Context(), out, cb)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			printCodebook(w, cb, rep)
			fmt.Fprintf(cmd.ErrOrStderr(), "forms matched in %d passages of %s\n", rep.Passages, out)
			return nil
		},
	}
	c.Flags().BoolVar(&forms, "forms", false, "print the forms each term matched in the workspace's passages")
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder (with --forms)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the forms as JSON (with --forms)")
	return c
}

// printCodebook prints cb as a tree: the groups and the codes without a
// parent in file order, each group followed by its codes. With forms, each
// term is followed by the forms it matched instead of the list of terms.
func printCodebook(w io.Writer, cb *coding.Codebook, forms *pipeline.FormsReport) {
	if cb.Title != "" {
		fmt.Fprintf(w, "%s: %s\n", cb.Name, cb.Title)
	} else {
		fmt.Fprintln(w, cb.Name)
	}
	if cb.Description != "" {
		fmt.Fprintln(w, cb.Description)
	}
	if cb.Stem {
		fmt.Fprintln(w, "stem: true")
	}
	fmt.Fprintln(w)
	children := map[string][]int{}
	for i, c := range cb.Codes {
		if c.Parent != "" {
			children[c.Parent] = append(children[c.Parent], i)
		}
	}
	for _, c := range cb.Codes {
		if c.Parent != "" {
			continue
		}
		printCode(w, cb, c, "", forms)
		for _, i := range children[c.ID] {
			printCode(w, cb, cb.Codes[i], "  ", forms)
		}
	}
}

// printCode prints one code with its terms (or their forms), exclude terms
// and the settings its codebook sets.
func printCode(w io.Writer, cb *coding.Codebook, c corpus.Code, indent string, forms *pipeline.FormsReport) {
	kind := ""
	if c.Group {
		kind = " (group)"
	}
	fmt.Fprintf(w, "%s%s%s: %s\n", indent, c.ID, kind, c.Label)
	m, ok := cb.Matching(c.ID)
	if !ok {
		return
	}
	in := indent + "    "
	if forms == nil {
		fmt.Fprintf(w, "%sterms: %s\n", in, strings.Join(c.Terms, ", "))
		if len(m.Exclude) > 0 {
			fmt.Fprintf(w, "%sexclude: %s\n", in, strings.Join(m.Exclude, ", "))
		}
	} else {
		for _, tf := range forms.Terms {
			if tf.CodeID != c.ID {
				continue
			}
			label := tf.Term
			if tf.Exclude {
				label = "exclude: " + tf.Term
			}
			fmt.Fprintf(w, "%s%s → %s\n", in, label, formList(tf.Forms))
		}
	}
	var set []string
	if m.MinMatches != 0 {
		set = append(set, "min_matches: "+strconv.Itoa(m.MinMatches))
	}
	if m.Weight != 0 {
		set = append(set, "weight: "+strconv.FormatFloat(m.Weight, 'g', -1, 64))
	}
	if m.NearScope != "" {
		set = append(set, "near_scope: "+m.NearScope)
	}
	if m.Stem != cb.Stem {
		set = append(set, "stem: "+strconv.FormatBool(m.Stem))
	}
	if len(set) > 0 {
		fmt.Fprintf(w, "%s%s\n", in, strings.Join(set, ", "))
	}
}

// formList is "form n, form n", or "no match".
func formList(fs []pipeline.FormCount) string {
	if len(fs) == 0 {
		return "no match"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Form + " " + strconv.Itoa(f.Count)
	}
	return strings.Join(parts, ", ")
}
