package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newIngestCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Extract documents and passages from the corpus into the workspace",
		Long: `ingest extracts the corpus into the workspace: documents.jsonl,
passages.jsonl, texts/ and failures.csv. Codings, the index and the analysis
of earlier passages no longer describe the workspace and are removed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, prog, err := c.prepare(cmd)
			if err != nil {
				return err
			}
			res, err := pipeline.Ingest(cmd.Context(), cfg)
			prog.done()
			if res == nil {
				return err
			}
			w := cmd.ErrOrStderr()
			printHousekeeping(w, res)
			fmt.Fprintf(w, "lcity: %d documents, %d passages, %d failures → %s\n", res.Documents, res.Passages, len(res.Failures), cfg.Out)
			printNotes(w, res)
			return err
		},
	}
	c.addOut(cmd)
	c.addIngest(cmd)
	return cmd
}
