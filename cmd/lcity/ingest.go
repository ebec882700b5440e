package main

import (
	"fmt"
	"io"

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
			return c.runStage(cmd, pipeline.Ingest, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: %d documents, %d passages, %d failures → %s\n", res.Documents, res.Passages, len(res.Failures), cfg.Out)
				printNotes(w, res)
			})
		},
	}
	c.addOut(cmd)
	c.addIngest(cmd)
	return cmd
}
