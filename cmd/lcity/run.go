package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newRunCmd() *cobra.Command {
	c := newConfig()
	shard := ""
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the whole pipeline: ingest, code, index, analyze",
		Long: `run ingests the corpus, codes every passage, builds the search index and
compares the cities, writing everything into the workspace (--out). It does
nothing when the workspace already records the same inputs, codebooks,
settings and tool, its index and analysis rest on the human review
(review.sqlite) as it is now, and every output is intact (--force to run
anyway). codings.csv is the auto-coder's output; the index, the analysis
and the report use the reviewed coding. review.sqlite is never rebuilt,
truncated or removed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if shard != "" {
				sh, err := pipeline.ParseShard(shard)
				if err != nil {
					return err
				}
				c.Shard = sh
			}
			return c.runStage(cmd, pipeline.Run, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				if res.UpToDate {
					fmt.Fprintf(w, "lcity: %s is up to date: inputs, codebooks, settings, tool and review unchanged, outputs intact (--force to rerun)\n", cfg.Out)
					return
				}
				part := ""
				if cfg.Shard.Count > 0 {
					part = " (shard " + cfg.Shard.String() + ": merge the parts with lcity merge)"
				}
				fmt.Fprintf(w, "lcity: %d documents, %d passages, %d codings, %d failures → %s%s\n",
					res.Documents, res.Passages, res.Codings, len(res.Failures), cfg.Out, part)
				if r := res.Review; r.Decisions > 0 {
					fmt.Fprintf(w, "lcity: index and analysis use the coding as reviewed: %d decisions up to %d (%d orphaned)\n", r.Decisions, r.LastSeq, r.Orphans)
				}
				printNotes(w, res)
			})
		},
	}
	c.addOut(cmd)
	c.addIngest(cmd)
	c.addCode(cmd)
	c.addAnalyze(cmd)
	c.addLearn(cmd, "learn a model from this gold coding (passage_id,code_id) and code with it too, as lcity learn does")
	cmd.Flags().BoolVar(&c.Force, "force", false, "run even when the workspace is up to date")
	cmd.Flags().StringVar(&shard, "shard", "", "I/N: extract and code only the I-th of N slices of the corpus into a partial workspace, for lcity merge (a Slurm array job: scripts/slurm/lcity-array.sh)")
	return cmd
}
