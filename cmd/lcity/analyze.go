package main

import (
	"fmt"

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
			cfg, prog, err := c.prepare(cmd)
			if err != nil {
				return err
			}
			res, err := pipeline.Analyze(cmd.Context(), cfg)
			prog.done()
			if err != nil {
				return err
			}
			printHousekeeping(cmd.ErrOrStderr(), res)
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: analysed %d documents → %s\n", res.Documents, cfg.Out)
			return nil
		},
	}
	c.addOut(cmd)
	c.addAnalyze(cmd)
	cmd.Flags().StringArrayVar(&c.Analysis.Codebooks, "codebook", nil, "name of a codebook whose codes enter the profile (repeatable; default: all those the workspace was coded with)")
	return cmd
}
