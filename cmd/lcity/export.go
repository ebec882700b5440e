package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
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
			var write func(io.Writer, *export.Workspace) error
			switch format {
			case "qdpx":
				write = export.WriteQDPX
			case "qdc":
				write = func(w io.Writer, ws *export.Workspace) error { return export.WriteQDC(w, ws.Codebooks, ws.Origin) }
			case "csv":
				write = export.WriteCSV
			default:
				return usagef("export %q: want qdpx, qdc or csv", format)
			}
			ws, err := exportWorkspace(out)
			if err != nil {
				return err
			}
			if err := corpus.WriteFile(file, func(w io.Writer) error { return write(w, ws) }); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: exported %d documents and %d codebooks as %s → %s\n", len(ws.Documents), len(ws.Codebooks), format, file)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", DefaultOut, "workspace folder")
	return c
}

// exportWorkspace reads what an export needs: the documents and the
// codebooks recorded in run.json.
func exportWorkspace(out string) (*export.Workspace, error) {
	docs, err := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if err != nil {
		return nil, noWorkspace(out, err)
	}
	m := loadRunManifest(out)
	if len(m.Codebooks) == 0 {
		return nil, usagef("%s has no codings (run lcity code or lcity run first)", out)
	}
	cbs, err := recordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	name := m.Settings.Corpus
	if name == "" {
		name = out
	}
	return &export.Workspace{Dir: out, Name: name, Origin: "lcity " + Version, Documents: docs, Codebooks: cbs}, nil
}
