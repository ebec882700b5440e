package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newExportCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "export qdpx|qdc|csv FILE",
		Short: "Export the workspace for NVivo, ATLAS.ti, MAXQDA (REFI-QDA .qdpx, .qdc) or R and pandas (.csv)",
		Long: `export writes the coded workspace in an exchange format:

  qdpx  a REFI-QDA 1.5 project (project.qde + sources/): codebooks as codes,
        documents as text sources, coded passages as selections, cities as
        cases with region, country and award year
  qdc   the codebooks alone as a REFI-QDA codebook
  csv   one row per coded segment (document, city, region, year, page,
        section, code path, rule, matched text, byte and character offsets)

Two exports of the same workspace are byte-identical.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, file := args[0], args[1]
			ws, err := pipeline.Export(out, format, file)
			if err != nil {
				return err
			}
			if format == pipeline.FormatQDC {
				fmt.Fprintf(cmd.ErrOrStderr(), "lcity: exported %d codebooks as %s → %s\n", len(ws.Codebooks), format, file)
				return nil
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: exported %d documents and %d codebooks as %s → %s\n", len(ws.Documents), len(ws.Codebooks), format, file)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	return c
}
