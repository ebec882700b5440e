package main

import (
	"fmt"
	"io"
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
		Long: `index builds the Bleve index of the workspace's passages with their codes:
those of the reviewed coding (codings.csv with the decisions in review.sqlite
applied), as search's --code filter and code facet count them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runStage(cmd, pipeline.Index, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: indexed %d passages → %s\n", res.Passages, filepath.Join(cfg.Out, workspace.IndexDir))
			})
		},
	}
	c.addOut(cmd)
	return cmd
}
