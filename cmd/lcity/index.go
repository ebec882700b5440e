package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/workspace"
)

func newIndexCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Build the Bleve search index of the workspace's passages and their codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, prog, err := c.prepare(cmd)
			if err != nil {
				return err
			}
			res, err := pipeline.Index(cmd.Context(), cfg)
			prog.done()
			if err != nil {
				return err
			}
			printHousekeeping(cmd.ErrOrStderr(), res)
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: indexed %d passages → %s\n", res.Passages, filepath.Join(cfg.Out, workspace.IndexDir))
			return nil
		},
	}
	c.addOut(cmd)
	return cmd
}
