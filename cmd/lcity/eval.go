package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newEvalCmd() *cobra.Command {
	var out, gold string
	var opt pipeline.EvalOptions
	var asJSON bool
	c := &cobra.Command{
		Use:   "eval --gold FILE",
		Short: "Agreement of the workspace's codings with a human gold coding (precision, recall, F1, kappa, alpha)",
		Long: `eval compares the workspace's codings with a gold file coded by people: a CSV
with the header passage_id,code_id and one row per passage and code assigned.
Only the codebooks the gold file uses are compared; a passage absent from the
file counts as coded with none of their codes. Every passage × code is a unit.
Per code: precision, recall, F1, percent agreement and Cohen's kappa; overall:
the mean kappa, Krippendorff's alpha (nominal, two coders) and the percent
agreement. --skip-uncoded leaves out passages that neither side coded;
--listed-only compares only the passages the gold file lists (a row with an
empty code_id lists a passage read and given no code), for a gold set that
covers part of the corpus.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return pipeline.Usagef("--gold FILE is required")
			}
			ev, err := pipeline.Evaluate(out, gold, opt)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ev)
			}
			return writeEval(cmd.OutOrStdout(), ev)
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	c.Flags().StringVar(&gold, "gold", "", "gold coding CSV (passage_id,code_id)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&opt.SkipUncoded, "skip-uncoded", false, "leave out passages that neither side coded")
	c.Flags().BoolVar(&opt.ListedOnly, "listed-only", false, "compare only the passages the gold file lists")
	return c
}

func writeEval(w io.Writer, ev *pipeline.Evaluation) error {
	f := func(x *float64) string {
		if x == nil {
			return "-"
		}
		return fmt.Sprintf("%.3f", *x)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tTP\tFP\tFN\tTN\tprecision\trecall\tF1\tagreement\tkappa\t")
	for _, code := range ev.Order {
		c := ev.Codes[code]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", code, c.TP, c.FP, c.FN, c.TN,
			f(c.Precision), f(c.Recall), f(c.F1), f(c.PercentAgreement), f(c.Kappa))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	o := ev.Overall
	_, err := fmt.Fprintf(w, "\n%d passages × %d codes = %d units. Mean kappa %s (over %d codes with a kappa), Krippendorff's alpha %s, percent agreement %s.\n",
		ev.Passages, len(ev.Order), o.Units, f(o.Kappa), o.KappaCodes, f(o.Alpha), f(o.PercentAgreement))
	return err
}
