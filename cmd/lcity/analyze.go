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
		Long: `analyze compares the cities' theme profiles from the workspace's documents,
passages and reviewed coding: codings.csv with the human decisions in
review.sqlite applied (auto ∪ added − rejected − removed). The report says
per code what the review did and lists orphaned decisions; run.json records
the review state used. An index built from another state of the review is
rebuilt, so that search counts the same codings.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runStage(cmd, pipeline.Analyze, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: analysed %d documents → %s\n", res.Documents, cfg.Out)
				if r := res.Review; r.Decisions > 0 {
					fmt.Fprintf(w, "lcity: the coding as reviewed: %d decisions up to %d (%d orphaned)\n", r.Decisions, r.LastSeq, r.Orphans)
				}
				if res.IndexRebuilt {
					fmt.Fprintf(w, "lcity: index rebuilt with the reviewed codes\n")
				}
			})
		},
	}
	c.addOut(cmd)
	c.addAnalyze(cmd)
	cmd.Flags().StringArrayVar(&c.Analysis.Codebooks, "codebook", nil, "name of a codebook whose codes enter the profile (repeatable; default: all those the workspace was coded with)")
	return cmd
}
