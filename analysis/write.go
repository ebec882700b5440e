package analysis

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
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
// the city names as first row and column.
func (r *Result) WriteSimilarity(w io.Writer) error {
	head := []string{"city"}
	for _, c := range r.Cities {
		head = append(head, c.Name)
	}
	rows := [][]string{head}
	for i, c := range r.Cities {
		row := []string{c.Name}
		for j := range r.Cities {
			row = append(row, f(r.Similarity.At(i, j)))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
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

// WriteSimilaritySVG draws the similarity matrix as a heatmap.
func (r *Result) WriteSimilaritySVG(w io.Writer) error {
	n := len(r.Cities)
	const cell, left, top = 26, 130, 130
	size := left + n*cell + 20
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", size, top+n*cell+40, size, top+n*cell+40)
	fmt.Fprintf(w, "<title>Cosine similarity of city theme profiles (%s weighting)</title>\n", r.Options.Weight)
	for i, c := range r.Cities {
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-6, top+i*cell+17, xmlEscape(c.Name))
		fmt.Fprintf(w, `<text transform="translate(%d,%d) rotate(-60)">%s</text>`+"\n", left+i*cell+15, top-6, xmlEscape(c.Name))
		for j := range r.Cities {
			v := r.Similarity.At(i, j)
			fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s – %s: %.3f</title></rect>`+"\n",
				left+j*cell, top+i*cell, cell-1, cell-1, heat(v), xmlEscape(c.Name), xmlEscape(r.Cities[j].Name), v)
		}
	}
	fmt.Fprintf(w, `<text x="%d" y="%d">darker = more similar (cosine 0 to 1); rows and columns grouped by region</text>`+"\n", left, top+n*cell+25)
	_, err := io.WriteString(w, "</svg>\n")
	return err
}

// heat maps a value in [0,1] to a white-to-blue colour.
func heat(v float64) string {
	v = math.Max(0, math.Min(1, v))
	r := int(math.Round(255 - v*(255-8)))
	g := int(math.Round(255 - v*(255-48)))
	b := int(math.Round(255 - v*(255-107)))
	return fmt.Sprintf("#%02x%02x%02x", r, g, b)
}

func xmlEscape(s string) string {
	var out []rune
	for _, r := range s {
		switch r {
		case '<':
			out = append(out, []rune("&lt;")...)
		case '>':
			out = append(out, []rune("&gt;")...)
		case '&':
			out = append(out, []rune("&amp;")...)
		case '"':
			out = append(out, []rune("&quot;")...)
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
