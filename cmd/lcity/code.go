package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newCodeCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "code",
		Short: "Code the workspace's passages against codebooks (writes codings.csv)",
		Long: `code codes every passage of the workspace against the codebooks, writes
codings.csv and a copy of each codebook (codebooks/), rebuilds an existing
index with the new codes, and removes the analysis of the earlier coding.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runStage(cmd, pipeline.Code, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: %d codings of %d passages → %s\n", res.Codings, res.Passages, cfg.Out)
				if res.IndexRebuilt {
					fmt.Fprintf(w, "lcity: index rebuilt with the new codes\n")
				}
			})
		},
	}
	c.addOut(cmd)
	c.addCode(cmd)
	return cmd
}
