package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newDiffCmd() *cobra.Command {
	var asJSON, exitCode bool
	opt := pipeline.DiffOptions{}
	c := &cobra.Command{
		Use:   "diff DIR_A DIR_B",
		Short: "Compare two workspaces: settings and codebooks, outputs, passages, codings per code, profiles, similarity, contrast verdicts",
		Long: `diff shows what changed from workspace A to workspace B, typically the same
corpus coded before and after a codebook edit: changed settings and codebooks,
outputs that were edited after lcity wrote them (the check run and verify
make), outputs whose bytes differ between A and B, passages added, removed
or changed (matched by ID, which follows a passage's text and not its
position, so a re-extraction that only moves white space or hyphenation
reports no passage, and an inserted passage is one added passage), passages
added to or removed from each code, profile rates and city similarities that moved by
more than --tolerance, and contrasts whose verdict (p_adj < --alpha)
flipped. It exits 0 whether or not there are differences, unless
--exit-code is given: then 1 when the workspaces differ (like git diff).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := pipeline.DiffWorkspaces(args[0], args[1], opt)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				err = enc.Encode(d)
			} else {
				err = writeDiff(cmd.OutOrStdout(), d)
			}
			if err == nil && exitCode && !d.Empty() {
				return pipeline.ErrDiffers
			}
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&exitCode, "exit-code", false, "exit 1 when the workspaces differ")
	c.Flags().Float64Var(&opt.Tolerance, "tolerance", 0.01, "smallest change of a profile value or similarity to report")
	c.Flags().Float64Var(&opt.Alpha, "alpha", 0.05, "significance level of the contrast verdicts")
	return c
}

func writeDiff(w io.Writer, d *pipeline.Diff) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Workspace %s → %s\n", d.A, d.B)
	section := func(title string, lines []string) {
		p("\n%s: ", title)
		if len(lines) == 0 {
			p("unchanged\n")
			return
		}
		p("\n")
		for i, l := range lines {
			if i == 20 && len(lines) > 25 {
				p("  … and %d more (--json lists all)\n", len(lines)-i)
				break
			}
			p("  %s\n", l)
		}
	}
	section("Settings", d.Settings)
	section("Codebooks", d.Codebooks)
	section("Edited after lcity wrote them", d.Integrity)
	section("Outputs", d.Outputs)
	var lines []string
	if ps := d.Passages; !ps.Empty() {
		lines = append(lines, fmt.Sprintf("%d in both, %d added, %d removed, %d changed", ps.Same, len(ps.Added), len(ps.Removed), len(ps.Changed)))
		for _, c := range ps.Changed {
			lines = append(lines, fmt.Sprintf("~ %s → %s", c.A, c.B))
		}
		for _, id := range ps.Removed {
			lines = append(lines, "− "+id)
		}
		for _, id := range ps.Added {
			lines = append(lines, "+ "+id)
		}
	}
	section("Passages", lines)
	lines = nil
	for _, c := range d.Codings {
		lines = append(lines, fmt.Sprintf("%s: +%d −%d passages%s%s", c.CodeID, len(c.Added), len(c.Removed), list(" added ", c.Added), list(" removed ", c.Removed)))
	}
	section("Codings", lines)
	val := func(v *float64) string {
		if v == nil {
			return "NA"
		}
		return fmt.Sprintf("%.3f", *v)
	}
	lines = nil
	for _, v := range d.Profiles {
		lines = append(lines, fmt.Sprintf("%s: %s → %s", v.Key, val(v.A), val(v.B)))
	}
	section("Profiles (rate per 1,000 words)", lines)
	lines = nil
	for _, v := range d.Similar {
		lines = append(lines, fmt.Sprintf("%s: %s → %s", v.Key, val(v.A), val(v.B)))
	}
	section("Similarity", lines)
	lines = nil
	for _, v := range d.Verdicts {
		lines = append(lines, fmt.Sprintf("%s: p_adj %.4f → %.4f, now %s", v.CodeID, v.PAdjA, v.PAdjB, v.Now))
	}
	section("Contrast verdicts", lines)
	return nil
}

// list shows up to five items.
func list(label string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	if len(items) > 5 {
		return fmt.Sprintf("%s%v …", label, items[:5])
	}
	return fmt.Sprintf("%s%v", label, items)
}
