package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// loadHypotheses reads --hypotheses FILE, or the embedded default. A bad
// file is a usage error (exit 2) naming file:line.
func (o *options) loadHypotheses() (*analysis.Hypotheses, error) {
	if o.hypotheses == "" {
		return analysis.DefaultHypotheses(), nil
	}
	data, err := os.ReadFile(o.hypotheses)
	if err != nil {
		return nil, usagef("--hypotheses: %v", err)
	}
	h, err := analysis.ParseHypotheses(data, o.hypotheses)
	if err != nil {
		return nil, usageError{err}
	}
	if abs, err := filepath.Abs(o.hypotheses); err == nil {
		h.Source = abs
	}
	return h, nil
}

// focusCities codes the human-named focus themes of the sample cities
// (corpus/focus.csv: city, focus1..focus4) with the codebooks, each label
// on its own, for the focus-table check of the report.
func focusCities(cbs []*coding.Codebook) ([]analysis.FocusCity, error) {
	rows, err := csv.NewReader(bytes.NewReader(corpus.FocusCSV())).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || len(rows[0]) < 2 || rows[0][0] != "city" {
		return nil, errors.New("focus.csv: want a header city,focus1,...")
	}
	var out []analysis.FocusCity
	for _, row := range rows[1:] {
		fc := analysis.FocusCity{City: row[0]}
		seen := map[string]bool{}
		for _, label := range row[1:] {
			label = strings.TrimSpace(label)
			if label == "" {
				continue
			}
			fc.Labels = append(fc.Labels, label)
			p := corpus.Passage{ID: "focus", City: row[0], Text: label, Start: 0, End: len(label)}
			for _, c := range coding.CodeAll(cbs, p) {
				if !seen[c.CodeID] {
					seen[c.CodeID] = true
					fc.Codes = append(fc.Codes, c.CodeID)
				}
			}
		}
		out = append(out, fc)
	}
	return out, nil
}
