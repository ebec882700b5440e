package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newImportCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "import qdpx --coder NAME FILE",
		Short: "Import human coding from NVivo, ATLAS.ti, MAXQDA or QualCoder (a REFI-QDA .qdpx project) into the review store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pipeline.Usagef("import what? lcity import qdpx --coder NAME FILE")
		},
	}
	c.AddCommand(newImportQDPXCmd())
	return c
}

func newImportQDPXCmd() *cobra.Command {
	var out string
	var opt pipeline.ImportOptions
	c := &cobra.Command{
		Use:   "qdpx --coder NAME FILE",
		Short: "Import the text codings of a REFI-QDA project as a coder's decisions",
		Long: `import qdpx reads a REFI-QDA project (.qdpx: project.qde and a sources/ or
Sources/ folder, as NVivo, ATLAS.ti, MAXQDA, QualCoder and lcity export it)
and records each coding of text as an "add" decision of --coder in the
workspace's review store (review.sqlite).

Each text source is matched to the workspace document with the same text,
exactly or up to white space; each selection becomes a decision on every
passage it overlaps (the whole passage, or the span it covers); each code
is matched by lcity's export GUID, else by the code's ID or label. Notes
on a selection or coding become the decision's memo. --user imports only
the codings one of the project's users made.

Whatever does not map (sources with another text, selections outside every
passage or past the text's end, unknown codes, codings of whole sources,
pictures or audio) is listed on stdout and in import_unmapped.csv in the
workspace, and the exit status is 1. Importing the same file again records
nothing new.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.Coder == "" {
				return pipeline.Usagef("--coder NAME is required: the name the project's codings are recorded under")
			}
			res, err := pipeline.Import(cmd.Context(), out, args[0], opt)
			if res != nil {
				if werr := writeImport(cmd.OutOrStdout(), out, res); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	c.Flags().StringVar(&opt.Coder, "coder", "", "coder name to record the decisions under (required)")
	c.Flags().StringVar(&opt.User, "user", "", "import only the codings of this project user (name, id or GUID)")
	return c
}

func writeImport(w io.Writer, out string, r *pipeline.ImportResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "source\tdocument\tmatch\tcodings\timported\t")
	for _, s := range r.Sources {
		doc, match := s.Document, s.Match
		if doc == "" {
			doc, match = "-", "unmatched"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t\n", s.Name, doc, match, s.Codings, s.Mapped)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d codings in %s", r.Codings, r.File)
	if r.OtherUsers > 0 {
		fmt.Fprintf(w, " (and %d by other users, left out)", r.OtherUsers)
	}
	_, err := fmt.Fprintf(w, ": %d imported as %d decisions of %s (%d new, %d recorded before), %d not imported.\n",
		r.Mapped, r.Decisions, r.Coder, r.New, r.Decisions-r.New, r.Lost())
	if len(r.Unmapped) == 0 {
		return err
	}
	reasons := map[string]int{}
	var order []string
	for _, u := range r.Unmapped {
		if reasons[u.Reason] == 0 {
			order = append(order, u.Reason)
		}
		reasons[u.Reason]++
	}
	fmt.Fprintf(w, "Not mapped (each listed in %s):\n", filepath.Join(out, pipeline.ImportUnmappedFile))
	for _, k := range order {
		fmt.Fprintf(w, "  %-20s %d\n", k, reasons[k])
	}
	return nil
}
