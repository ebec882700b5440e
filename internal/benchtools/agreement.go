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
