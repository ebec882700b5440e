package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newVerifyCmd() *cobra.Command {
	var opt pipeline.VerifyOptions
	c := &cobra.Command{
		Use:   "verify DIR/run.json",
		Short: "Check a run: outputs still have their recorded SHA-256, and a rerun from the recorded inputs and settings gives the same bytes",
		Long: `verify reads a workspace's run.json and checks, in order:

  1. every recorded output still has its SHA-256 (nothing was edited);
  2. every input file and codebook still has its SHA-256;
  3. the tool and Go versions are the recorded ones;
  4. review.sqlite still holds the human decisions the run used (the log
     up to the recorded last decision has the recorded SHA-256); decisions
     recorded after the run are not a difference: they are counted in a
     note, and the rerun leaves them out;
  5. rerunning the pipeline from the recorded inputs and settings in a
     temporary workspace, with the review log replayed up to the recorded
     decision, gives every recorded output byte for byte (index.bleve is
     listed but not compared: Bleve's files are not byte-stable).

--no-rerun skips step 5. It exits 0 when everything matches and 1 listing
each difference.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := pipeline.Verify(cmd.Context(), args[0], opt)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, n := range v.Notes {
				fmt.Fprintln(w, "note:", n)
			}
			if len(v.Differences) == 0 {
				if opt.NoRerun {
					fmt.Fprintf(w, "verified: %d outputs match their recorded SHA-256 (not rerun)\n", v.Outputs)
					return nil
				}
				fmt.Fprintf(w, "verified: %d outputs match their recorded SHA-256 and a rerun reproduces them\n", v.Outputs)
				return nil
			}
			for _, d := range v.Differences {
				fmt.Fprintln(w, "differs:", d)
			}
			return fmt.Errorf("%w: %d differences", pipeline.ErrDiffers, len(v.Differences))
		},
	}
	c.Flags().BoolVar(&opt.NoRerun, "no-rerun", false, "check the recorded hashes and versions only, without rerunning")
	return c
}
