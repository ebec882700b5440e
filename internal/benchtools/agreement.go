package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lcity/lcity/pipeline"
)

// agreement reads the JSON of lcity eval (with --cv, or with --against)
// and prints Markdown table rows: the coding, its mean kappa over the
// codes, Krippendorff's alpha, and the number of units.
func agreement(r io.Reader, w io.Writer, label string) error {
	var ev pipeline.Evaluation
	if err := json.NewDecoder(r).Decode(&ev); err != nil {
		return fmt.Errorf("eval JSON: %w", err)
	}
	row := func(name string, s pipeline.EvalSet) {
		f := func(x *float64) string {
			if x == nil {
				return "NA"
			}
			return fmt.Sprintf("%.3f", *x)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d |\n", name, f(s.Overall.Kappa), f(s.Overall.Alpha), s.Overall.Units)
	}
	if ev.CV == nil {
		row(label, ev.EvalSet)
		return nil
	}
	cv := ev.CV
	row("dictionary (the embedded codebooks' terms)", cv.Dictionary)
	row(fmt.Sprintf("model learned from the gold (%d-fold cross-validated, seed %d, lambda %g)", cv.Folds, cv.Seed, cv.Lambda), cv.Model)
	row("union of dictionary and model (cross-validated)", cv.Union)
	return nil
}

// curve reads the JSON of lcity eval --cv --curve and prints the learning
// curve as Markdown table rows: the share of the training folds, the
// training passages, the model's mean kappa (the mean of the repeats, with
// their lowest and highest when there are several) and the union's.
func curve(r io.Reader, w io.Writer) error {
	var ev pipeline.Evaluation
	if err := json.NewDecoder(r).Decode(&ev); err != nil {
		return fmt.Errorf("eval JSON: %w", err)
	}
	if ev.CV == nil || len(ev.CV.Curve) == 0 {
		return fmt.Errorf("eval JSON has no learning curve (run eval with --cv and --curve)")
	}
	spread := func(ks []float64) string {
		if len(ks) == 0 {
			return "NA"
		}
		lo, hi, sum := ks[0], ks[0], 0.0
		for _, k := range ks {
			lo, hi, sum = min(lo, k), max(hi, k), sum+k
		}
		mean := sum / float64(len(ks))
		if len(ks) == 1 {
			return fmt.Sprintf("%.3f", mean)
		}
		return fmt.Sprintf("%.3f (%.3f–%.3f)", mean, lo, hi)
	}
	for _, p := range ev.CV.Curve {
		fmt.Fprintf(w, "| %.0f %% | %d | %s | %s |\n", 100*p.Fraction, p.Train, spread(p.ModelKappa), spread(p.UnionKappa))
	}
	return nil
}
