package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/coding"
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
	}, &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a codebook's codes and terms",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cb, err := coding.Load(args[0])
			if err != nil {
				return &pipeline.UsageError{Err: err}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %s\n%s\n\n", cb.Name, cb.Title, cb.Description)
			for _, code := range cb.Codes {
				indent := ""
				if code.Parent != "" {
					indent = "  "
				}
				kind := ""
				if code.Group {
					kind = " (group)"
				}
				fmt.Fprintf(w, "%s%s%s: %s\n", indent, code.ID, kind, code.Label)
				if len(code.Terms) > 0 {
					fmt.Fprintf(w, "%s    terms: %s\n", indent, strings.Join(code.Terms, ", "))
				}
			}
			return nil
		},
	}, &cobra.Command{
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
