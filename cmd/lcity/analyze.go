package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newAnalyzeCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Compare the cities' theme profiles (profiles, similarity, contrasts, report)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runStage(cmd, pipeline.Analyze, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: analysed %d documents → %s\n", res.Documents, cfg.Out)
			})
		},
	}
	c.addOut(cmd)
	c.addAnalyze(cmd)
	cmd.Flags().StringArrayVar(&c.Analysis.Codebooks, "codebook", nil, "name of a codebook whose codes enter the profile (repeatable; default: all those the workspace was coded with)")
	return cmd
}
