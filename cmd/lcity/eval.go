package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

func newEvalCmd() *cobra.Command {
	var out, gold string
	var opt pipeline.EvalOptions
	var asJSON, coders bool
	c := &cobra.Command{
		Use:   "eval --gold FILE | --coders",
		Short: "Agreement of the workspace's codings with a human gold coding (precision, recall, F1, kappa, alpha)",
		Long: `eval --coders measures the reliability of everyone who coded the workspace:
Krippendorff's alpha (nominal, with missing values) per code and overall,
over passage × code units, with every human coder of review.sqlite and the
auto-coder as one more coder, and among the human coders alone. A coder's
value on a unit is missing when they did not see the passage with that
code's codebook: in lcity serve, when they recorded no decision on the
passage with a code of that codebook; for a coder imported with lcity
import qdpx, when they coded nothing in the document with that codebook
(an imported coder read the whole document). Otherwise it is 1 when they
added or accepted the code there (whole passage or a span), else 0.

eval --gold compares the workspace's codings with a gold file coded by people: a CSV
with the header passage_id,code_id and one row per passage and code assigned.
Only the codebooks the gold file uses are compared; a passage absent from the
file counts as coded with none of their codes. Every passage × code is a unit.
Per code: precision, recall, F1, percent agreement and Cohen's kappa; overall:
the mean kappa, Krippendorff's alpha (nominal, two coders) and the percent
agreement. --skip-uncoded leaves out passages that neither side coded;
--listed-only compares only the passages the gold file lists (a row with an
empty code_id lists a passage read and given no code), for a gold set that
covers part of the corpus. --cv K adds, on the listed passages, the
agreement of three codings each made without seeing the passage's gold
codes: the dictionary's, a model learned from the other folds' passages
(as lcity learn fits it), and their union. --against FILE compares the gold
file with another reader's coding of the same passages instead (the passages
both list): the agreement between people, the ceiling for any coder.
--curve (with --cv) adds the learning curve: the same folds, with each
fold's model fitted on 25, 50 and 75 % of its training passages (three
seeded draws each) and on all of them, and the model's and the union's
mean kappa at each share. A curve still rising at 100 % says coding more
gold passages would raise the model's agreement; a flat one says it would
not, by itself.

--gold review measures the auto-coder against the human decisions in the
workspace's review.sqlite instead of a file (a file named review is given as
./review). The units are the passage × code pairs a person decided on
(accepted, rejected, added or removed, whole or a span; orphans left out):
the auto side is codings.csv, the human side the reviewed coding. Precision
is then the share of reviewed auto codings people kept, recall the share of
the codings people ended with that the auto-coder found; kappa needs people
to have judged passages the auto-coder left uncoded as well.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if coders {
				if gold != "" || opt != (pipeline.EvalOptions{Seed: opt.Seed}) {
					return pipeline.Usagef("--coders compares the coders of review.sqlite and takes only --out and --json")
				}
				ag, err := pipeline.EvaluateCoders(cmd.Context(), out)
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(cmd.OutOrStdout())
					enc.SetIndent("", "  ")
					return enc.Encode(ag)
				}
				return writeAgreement(cmd.OutOrStdout(), ag)
			}
			if gold == "" {
				return pipeline.Usagef("--gold FILE (or --coders) is required")
			}
			if opt.Curve && opt.Folds == 0 {
				return pipeline.Usagef("--curve needs --cv K")
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
	c.Flags().StringVar(&gold, "gold", "", "gold coding CSV (passage_id,code_id), or review for the decisions in review.sqlite")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&opt.SkipUncoded, "skip-uncoded", false, "leave out passages that neither side coded")
	c.Flags().BoolVar(&opt.ListedOnly, "listed-only", false, "compare only the passages the gold file lists")
	c.Flags().StringVar(&opt.Against, "against", "", "compare the gold file with this second coding of the same passages (another reader's) instead of the workspace's codings")
	c.Flags().IntVar(&opt.Folds, "cv", 0, "also cross-validate the dictionary, a model learned from the gold file and their union with this many folds (e.g. 10)")
	c.Flags().Uint64Var(&opt.Seed, "seed", 20150917, "seed of the folds of --cv")
	c.Flags().Float64Var(&opt.Lambda, "lambda", 0, "L2 penalty of the --cv model (default 0.01)")
	c.Flags().BoolVar(&opt.Curve, "curve", false, "with --cv: also the learning curve, the model's kappa when it learns from 25, 50, 75 and 100 % of each fold's training passages")
	c.Flags().BoolVar(&coders, "coders", false, "instead of a gold file: Krippendorff's alpha between every coder of review.sqlite and the auto-coder, per code and overall")
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
	if _, err := fmt.Fprintf(w, "\n%d passages × %d codes = %d units. Mean kappa %s (over %d codes with a kappa), Krippendorff's alpha %s, percent agreement %s.\n",
		ev.Passages, len(ev.Order), o.Units, f(o.Kappa), o.KappaCodes, f(o.Alpha), f(o.PercentAgreement)); err != nil {
		return err
	}
	cv := ev.CV
	if cv == nil {
		return nil
	}
	fmt.Fprintf(w, "\nCross-validated on the listed passages (%d folds, seed %d, lambda %g): kappa and F1 per code\n\n", cv.Folds, cv.Seed, cv.Lambda)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tdictionary κ\tmodel κ\tunion κ\tdictionary F1\tmodel F1\tunion F1\t")
	for _, code := range ev.Order {
		d, m, u := cv.Dictionary.Codes[code], cv.Model.Codes[code], cv.Union.Codes[code]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", code, f(d.Kappa), f(m.Kappa), f(u.Kappa), f(d.F1), f(m.F1), f(u.F1))
	}
	fmt.Fprintf(tw, "mean / alpha\t%s / %s\t%s / %s\t%s / %s\t\t\t\t\n", f(cv.Dictionary.Overall.Kappa), f(cv.Dictionary.Overall.Alpha),
		f(cv.Model.Overall.Kappa), f(cv.Model.Overall.Alpha), f(cv.Union.Overall.Kappa), f(cv.Union.Overall.Alpha))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(cv.Curve) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nLearning curve (the same folds; each fold's model learns from a share of its training passages, %d seeded draws per share below 100 %%): mean kappa, mean of the draws (lowest–highest)\n\n", pipeline.CurveRepeats)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "share\ttraining passages\tmodel κ\tunion κ\t")
	spread := func(ks []float64) string {
		lo, hi, sum := ks[0], ks[0], 0.0
		for _, k := range ks {
			lo, hi, sum = min(lo, k), max(hi, k), sum+k
		}
		if len(ks) == 1 {
			return fmt.Sprintf("%.3f", sum)
		}
		return fmt.Sprintf("%.3f (%.3f–%.3f)", sum/float64(len(ks)), lo, hi)
	}
	for _, p := range cv.Curve {
		fmt.Fprintf(tw, "%g %%\t%d\t%s\t%s\t\n", p.Fraction*100, p.Train, spread(p.ModelKappa), spread(p.UnionKappa))
	}
	return tw.Flush()
}

func writeAgreement(w io.Writer, ag *pipeline.Agreement) error {
	f := func(x *float64) string {
		if x == nil {
			return "-"
		}
		return fmt.Sprintf("%.3f", *x)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tunits\tvalues\tcoded\talpha\thuman units\thuman alpha\t")
	for _, c := range append(ag.Codes, ag.Overall) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%d\t%s\t\n", c.Code, c.Units, c.Values, c.Coded, f(c.Alpha), c.HumanUnits, f(c.HumanAlpha))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nKrippendorff's alpha (nominal, missing values allowed) over passage × code units of %s; a unit counts when two coders or more saw it.\nCoders:", strings.Join(ag.Codebooks, ", "))
	for _, c := range ag.Coders {
		if c.Auto {
			fmt.Fprintf(w, " %s (all %d passages);", c.Name, c.Passages)
			continue
		}
		fmt.Fprintf(w, " %s (%d decisions, %d passages seen);", c.Name, c.Decisions, c.Passages)
	}
	fmt.Fprintln(w)
	if ag.Ignored > 0 {
		fmt.Fprintf(w, "%d decisions left out: their code is in no workspace codebook, or their passage is gone.\n", ag.Ignored)
	}
	return nil
}
