package analysis

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
)

// f formats a number for the CSV files: fixed six decimals, so that
// outputs are byte-identical across runs and platforms; NaN as "NA" (R's
// missing value).
func f(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	if x == 0 {
		x = 0 // no "-0.000000"
	}
	s := strconv.FormatFloat(x, 'f', 6, 64)
	if s == "-0.000000" {
		s = "0.000000"
	}
	return s
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteProfiles writes profiles.csv: one row per city and code.
func (r *Result) WriteProfiles(w io.Writer) error {
	rows := [][]string{{"city", "region", "code_id", "passages", "matches", "rate_per_1k_words", "share", "weight"}}
	k := len(r.Codes)
	for idx, p := range r.Profiles {
		rows = append(rows, []string{p.City, p.Region, p.CodeID, strconv.Itoa(p.Passages), strconv.Itoa(p.Matches),
			f(p.Rate), f(p.Share), f(r.Matrix.At(idx/k, idx%k))})
	}
	return writeCSV(w, rows)
}

// WriteSimilarity writes similarity.csv: the city × city cosine matrix with
// the city names as first row and column. Rows are written as they are
// formatted: the file has a cell per pair of cities (2.6 million at 1,600
// cities), which held as strings before writing took 150 MB.
func (r *Result) WriteSimilarity(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := make([]string, 0, len(r.Cities)+1)
	row = append(row, "city")
	for _, c := range r.Cities {
		row = append(row, c.Name)
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for i, c := range r.Cities {
		row = append(row[:0], c.Name)
		for j := range r.Cities {
			row = append(row, f(r.Similarity.At(i, j)))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteContrasts writes contrasts.csv: per code, the region means, their
// difference, Cliff's delta, the permutation p and the BH-adjusted p.
func (r *Result) WriteContrasts(w io.Writer) error {
	rows := [][]string{{"code_id", "label", "europe_mean", "asia_pacific_mean", "difference", "effect_size", "effect_measure",
		"europe_cities", "asia_pacific_cities", "p", "p_adj"}}
	for _, c := range r.Contrasts {
		rows = append(rows, []string{c.CodeID, c.Label, f(c.EuropeMean), f(c.AsiaMean), f(c.Diff), f(c.CliffDelta), "cliffs_delta",
			strconv.Itoa(c.EuropeCities), strconv.Itoa(c.AsiaCities), f(c.P), f(c.PAdj)})
	}
	return writeCSV(w, rows)
}

// WriteCrosstab writes crosstab.csv: per code, per region and per award
// year, the cities with the code, passages coded, matches and the pooled
// rate per 1,000 words.
func (r *Result) WriteCrosstab(w io.Writer) error {
	rows := [][]string{{"code_id", "by", "group", "cities", "cities_with_code", "passages_coded", "matches", "words", "rate_per_1k_words"}}
	for _, x := range r.Crosstabs {
		rows = append(rows, []string{x.CodeID, x.By, x.Group, strconv.Itoa(x.Cities), strconv.Itoa(x.WithCode),
			strconv.Itoa(x.Passages), strconv.Itoa(x.Matches), strconv.Itoa(x.Words), f(x.Rate)})
	}
	return writeCSV(w, rows)
}

// WriteCoOccurrence writes cooccurrence.csv: for each pair of codes, the
// passages coded with both, with only one of them, and the Jaccard index.
func (r *Result) WriteCoOccurrence(w io.Writer) error {
	rows := [][]string{{"code_a", "code_b", "passages_both", "passages_only_a", "passages_only_b", "jaccard"}}
	for _, c := range r.CoOccurrences {
		rows = append(rows, []string{c.A, c.B, strconv.Itoa(c.Both), strconv.Itoa(c.OnlyA), strconv.Itoa(c.OnlyB), f(c.Jaccard)})
	}
	return writeCSV(w, rows)
}

// WriteClusters writes clusters.csv: the merges of the average-linkage
// clustering (step, the two clusters joined, height, size); clusters
// 0..n-1 are the cities in the order of the header comment row.
func (r *Result) WriteClusters(w io.Writer) error {
	n := len(r.Cities)
	name := func(id int) string {
		if id < n {
			return r.Cities[id].Name
		}
		return "cluster " + strconv.Itoa(id-n+1)
	}
	rows := [][]string{{"step", "cluster", "joins_a", "joins_b", "height", "size"}}
	for k, m := range r.Clusters.Merges {
		rows = append(rows, []string{strconv.Itoa(k + 1), name(n + k), name(m.A), name(m.B), f(m.Height), strconv.Itoa(m.Size)})
	}
	return writeCSV(w, rows)
}

// WriteHypotheses writes hypotheses.csv: one row per hypothesis with its
// statistic, p-values and verdict.
func (r *Result) WriteHypotheses(w io.Writer) error {
	rows := [][]string{{"id", "title", "higher_in", "group_a", "group_b", "statistic", "cliffs_delta", "p", "p_a", "p_b", "alpha", "verdict", "codes_not_in_profile"}}
	for _, h := range r.HypothesisTests {
		rows = append(rows, []string{h.Hypothesis.ID, h.Hypothesis.Title, h.Hypothesis.HigherIn, h.Hypothesis.A.Label, h.Hypothesis.B.Label,
			f(h.Statistic), f(h.Delta), f(h.P), f(h.PA), f(h.PB), f(h.Alpha), h.Verdict, strings.Join(h.Hypothesis.Unknown, " ")})
	}
	return writeCSV(w, rows)
}

// WriteFocus writes focus_check.csv: one row per city of the focus table,
// in its order, then a summary row whose city is "(all)". Columns:
//
//	city, in_corpus  the city; whether the corpus has it
//	labels           its focus themes (labels)
//	covered          labels with at least one code of the profile
//	found            covered labels with a code in the city's top third
//	found_share      found / covered
//	uncovered        the labels without a code, separated by " | "
//	detail           every label as "LABEL: CODE CODE [STATUS]", separated
//	                 by " | "; STATUS is found, not found, uncovered (then no
//	                 codes: "LABEL: [uncovered]") or not checked (the city is
//	                 not in the corpus). To parse, split at " | ", take the
//	                 STATUS from the final brackets and the LABEL before the
//	                 last ": "; focus labels must not contain " | ".
//	cosine           between the labels' binary code vector and the
//	                 city's weighted profile row
//	baseline_found_share, p_found, auc, p_auc, permutations
//	                 the chance baseline (see FocusTest), in the (all) row
//
// The (all) row adds up labels, covered and found over the cities in the
// corpus and gives their found_share. A number that cannot be computed is
// NA (found, found_share and cosine of a city not in the corpus, a found
// share without covered labels, the baseline with fewer than two cities);
// a column that does not apply to a row is empty.
func (r *Result) WriteFocus(w io.Writer) error {
	rows := [][]string{{"city", "in_corpus", "labels", "covered", "found", "found_share", "uncovered", "detail", "cosine",
		"baseline_found_share", "p_found", "auc", "p_auc", "permutations"}}
	for _, c := range r.FocusChecks {
		var uncovered, detail []string
		for _, l := range c.Labels {
			if l.Status == FocusUncovered {
				uncovered = append(uncovered, l.Label)
			}
			codes := strings.Join(l.Codes, " ")
			if codes != "" {
				codes += " "
			}
			detail = append(detail, l.Label+": "+codes+"["+l.Status+"]")
		}
		found := strconv.Itoa(c.Found)
		if !c.InCorpus {
			found = "NA"
		}
		rows = append(rows, []string{c.City, strconv.FormatBool(c.InCorpus), strconv.Itoa(len(c.Labels)), strconv.Itoa(c.Covered),
			found, f(c.FoundShare), strings.Join(uncovered, " | "), strings.Join(detail, " | "), f(c.Cosine), "", "", "", "", ""})
	}
	t := r.FocusTest
	rows = append(rows, []string{"(all)", "", strconv.Itoa(t.Labels), strconv.Itoa(t.Covered), strconv.Itoa(t.Found), f(t.FoundShare), "", "", "",
		f(t.BaselineFoundShare), f(t.PFound), f(t.AUC), f(t.PAUC), strconv.Itoa(t.Permutations)})
	return writeCSV(w, rows)
}
