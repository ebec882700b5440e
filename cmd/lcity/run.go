package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newRunCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the whole pipeline: ingest, code, index, analyze",
		Long: `run ingests the corpus, codes every passage, builds the search index and
compares the cities, writing everything into the workspace (--out). It does
nothing when the workspace already records the same inputs, codebooks,
settings and tool and every output is intact (--force to run anyway).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, prog, err := c.prepare(cmd)
			if err != nil {
				return err
			}
			res, err := pipeline.Run(cmd.Context(), cfg)
			prog.done()
			if res == nil {
				return err
			}
			w := cmd.ErrOrStderr()
			printHousekeeping(w, res)
			if res.UpToDate {
				fmt.Fprintf(w, "lcity: %s is up to date: inputs, codebooks, settings and tool unchanged, outputs intact (--force to rerun)\n", cfg.Out)
				return err
			}
			fmt.Fprintf(w, "lcity: %d documents, %d passages, %d codings, %d failures → %s\n",
				res.Documents, res.Passages, res.Codings, len(res.Failures), cfg.Out)
			printNotes(w, res)
			return err
		},
	}
	c.addOut(cmd)
	c.addIngest(cmd)
	c.addCode(cmd)
	c.addAnalyze(cmd)
	cmd.Flags().BoolVar(&c.Force, "force", false, "run even when the workspace is up to date")
	return cmd
}

// printHousekeeping says what a stage removed from the workspace.
func printHousekeeping(w io.Writer, res *pipeline.Result) {
	if len(res.Removed) > 0 {
		fmt.Fprintf(w, "note: removed what an interrupted run left: %s\n", strings.Join(res.Removed, ", "))
	}
	if len(res.Cleared) > 0 {
		fmt.Fprintf(w, "note: removed the outputs of %s, made from the earlier data (run those stages again)\n", strings.Join(res.Cleared, ", "))
	}
}

// printNotes prints the ingest notes and failures.
func printNotes(w io.Writer, res *pipeline.Result) {
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, f := range res.Failures {
		fmt.Fprintf(w, "failed: %s: %s: %s\n", f.Source, f.Reason, f.Detail)
	}
}
