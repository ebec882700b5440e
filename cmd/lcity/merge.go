package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newMergeCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "merge OUT PART...",
		Short: "Combine the partial workspaces of run --shard I/N into one workspace and analyse it",
		Long: `merge combines the partial workspaces made by ` + "`lcity run --shard I/N`" + ` (N of
them, shards 1..N each once) into the workspace OUT, then builds its index
and runs the analysis and the report, so that OUT is byte for byte the
workspace one ` + "`lcity run`" + ` of the whole corpus makes (its index.bleve aside,
which Bleve does not write byte-stably; it gives the same search results).
The parts must come from the same corpus (file paths, sizes and manifest),
with the same settings and codebooks, made by this lcity and Go version:
otherwise merge stops with an error naming the difference. The analysis
settings (--seed, --weight, --permutations, --hypotheses) are those the
parts recorded. OUT's earlier outputs are replaced; its review.sqlite is
kept and applies to the index and analysis as in a run.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.Out = args[0]
			prog := newProgress(cmd.ErrOrStderr())
			cfg := c.Config
			cfg.Progress = prog.update
			res, err := pipeline.Merge(cmd.Context(), cfg, args[1:])
			prog.done()
			if res == nil {
				return err
			}
			w := cmd.ErrOrStderr()
			fmt.Fprintf(w, "lcity: merged %d parts: %d documents, %d passages, %d codings, %d failures → %s\n",
				len(args)-1, res.Documents, res.Passages, res.Codings, len(res.Failures), cfg.Out)
			printNotes(w, res)
			return err
		},
	}
	cmd.Flags().DurationVar(&c.LockWait, "lock-wait", c.LockWait, "how long to wait for another lcity process reading the workspace")
	c.addWorkers(cmd)
	return cmd
}
