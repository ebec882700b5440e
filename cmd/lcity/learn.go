package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/workspace"
)

func newLearnCmd() *cobra.Command {
	c := newConfig()
	cmd := &cobra.Command{
		Use:   "learn --gold FILE",
		Short: "Learn a model per code from hand-coded passages and code the workspace with it",
		Long: `learn fits one regularised logistic regression per code of the gold file's
codebooks, on the words and word pairs of the passages the gold file lists
and on the codebooks' own matches (what NVivo calls coding by existing
patterns), writes it to the workspace as model.json, and codes every
passage again with the codebooks and the model: codings.csv then says for
each coding whether it came from the terms, the model or both, with the
model's probability as its confidence. It is lcity code with a gold file;
lcity eval --gold FILE --cv 10 shows how well such a model codes passages
it has not seen. Run lcity analyze afterwards.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if c.Coding.Gold == "" {
				return pipeline.Usagef("--gold FILE is required")
			}
			return c.runStage(cmd, pipeline.Code, func(w io.Writer, cfg pipeline.Config, res *pipeline.Result) {
				fmt.Fprintf(w, "lcity: model → %s; %d codings of %d passages → %s\n", filepath.Join(cfg.Out, workspace.ModelFile), res.Codings, res.Passages, cfg.Out)
				if res.IndexRebuilt {
					fmt.Fprintf(w, "lcity: index rebuilt with the new codes\n")
				}
			})
		},
	}
	c.addOut(cmd)
	cmd.Flags().StringArrayVar(&c.Coding.Codebooks, "codebook", nil, "codebook name or file whose matches are features (repeatable; default charter, keyfeatures, drivers)")
	cmd.Flags().StringVar(&c.Coding.Combine, "combine", pipeline.CombineUnion, "union (coded when the terms or the model say so) or model (the model decides for its codes)")
	c.addLearn(cmd, "gold coding CSV (passage_id,code_id) of passages of this workspace")
	c.addWorkers(cmd)
	return cmd
}
