package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newInitCmd() *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a corpus folder: a commented corpus.yaml and a starter codebook to edit",
		Long: `Writes DIR/corpus.yaml (default DIR: the current folder), listing the PDF,
TXT and MD files already in DIR with cities guessed from their file names,
every key explained in comments; and DIR/codebook.yaml, a small codebook
showing the term syntax (phrases, wildcards, NEAR, exclusions, regular
expressions, stemming). Existing files are kept unless --force.
CODEBOOK.md in the lcity repository documents the codebook format.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			res, err := pipeline.Init(dir, force)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, f := range res.Files {
				fmt.Fprintf(w, "wrote %s\n", pathIn(res.Dir, f))
			}
			if res.Documents == 0 {
				fmt.Fprintf(w, "No documents (PDF, Word, HTML or text files) in %s yet: copy them there and run `lcity init --force %s`, or list them in %s by hand.\n", res.Dir, res.Dir, pathIn(res.Dir, "corpus.yaml"))
				return nil
			}
			fmt.Fprintf(w, "%d documents listed. Correct their cities, countries, regions and years in %s, then:\n", res.Documents, pathIn(res.Dir, "corpus.yaml"))
			fmt.Fprintf(w, "  lcity codebook validate %s\n", pathIn(res.Dir, pipeline.StarterCodebook))
			fmt.Fprintf(w, "  lcity run --corpus %s --codebook %s --codebook charter --out %s\n", res.Dir, pathIn(res.Dir, pipeline.StarterCodebook), pathIn(res.Dir, "lcity-out"))
			return nil
		},
	}
	c.Flags().BoolVar(&force, "force", false, "replace an existing corpus.yaml and codebook.yaml")
	return c
}

// pathIn joins a folder and a file name for display ("x" rather than "./x").
func pathIn(dir, name string) string { return filepath.Join(dir, name) }
