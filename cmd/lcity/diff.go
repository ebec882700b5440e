package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/corpus"
)

// workspaceDiff is what changed from workspace A to workspace B.
type workspaceDiff struct {
	A, B      string          `json:"-"`
	Settings  []string        `json:"settings"`
	Codebooks []string        `json:"codebooks"`
	Codings   []codeDiff      `json:"codings"`
	Profiles  []valueDiff     `json:"profiles"`
	Similar   []valueDiff     `json:"similarity"`
	Verdicts  []verdictChange `json:"contrast_verdicts"`
}

type codeDiff struct {
	CodeID  string   `json:"code_id"`
	Added   []string `json:"added"`   // passages coded in B, not in A
	Removed []string `json:"removed"` // passages coded in A, not in B
}

type valueDiff struct {
	Key  string   `json:"key"`
	A, B float64  `json:"-"`
	AV   *float64 `json:"a"`
	BV   *float64 `json:"b"`
}

type verdictChange struct {
	CodeID string  `json:"code_id"`
	PAdjA  float64 `json:"p_adj_a"`
	PAdjB  float64 `json:"p_adj_b"`
	Now    string  `json:"now"`
}

func newDiffCmd() *cobra.Command {
	var asJSON bool
	var tol, alpha float64
	c := &cobra.Command{
		Use:   "diff DIR_A DIR_B",
		Short: "Compare two workspaces: settings and codebooks, codings per code, profiles, similarity, contrast verdicts",
		Long: `diff shows what changed from workspace A to workspace B, typically the same
corpus coded before and after a codebook edit: changed settings and codebooks,
passages added to or removed from each code, profile rates and city
similarities that moved by more than --tolerance, and contrasts whose verdict
(p_adj < --alpha) flipped. It exits 0 whether or not there are differences.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := diffWorkspaces(args[0], args[1], tol, alpha)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			}
			return d.writeText(cmd.OutOrStdout())
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().Float64Var(&tol, "tolerance", 0.01, "smallest change of a profile value or similarity to report")
	c.Flags().Float64Var(&alpha, "alpha", 0.05, "significance level of the contrast verdicts")
	return c
}

func diffWorkspaces(a, b string, tol, alpha float64) (*workspaceDiff, error) {
	d := &workspaceDiff{A: a, B: b}
	ma, err := readRunJSON(a)
	if err != nil {
		return nil, err
	}
	mb, err := readRunJSON(b)
	if err != nil {
		return nil, err
	}
	sa, _ := json.Marshal(ma.Settings)
	sb, _ := json.Marshal(mb.Settings)
	var fa, fb map[string]any
	json.Unmarshal(sa, &fa)
	json.Unmarshal(sb, &fb)
	for _, k := range unionKeys(fa, fb) {
		x, _ := json.Marshal(fa[k])
		y, _ := json.Marshal(fb[k])
		if string(x) != string(y) {
			d.Settings = append(d.Settings, fmt.Sprintf("%s: %s → %s", k, x, y))
		}
	}
	cba, cbb := map[string]string{}, map[string]string{}
	for _, c := range ma.Codebooks {
		cba[c.Name] = c.SHA256
	}
	for _, c := range mb.Codebooks {
		cbb[c.Name] = c.SHA256
	}
	for _, n := range unionKeys(cba, cbb) {
		switch x, y := cba[n], cbb[n]; {
		case x == "":
			d.Codebooks = append(d.Codebooks, n+": added")
		case y == "":
			d.Codebooks = append(d.Codebooks, n+": removed")
		case x != y:
			d.Codebooks = append(d.Codebooks, fmt.Sprintf("%s: changed (%s → %s)", n, short(x), short(y)))
		}
	}
	// Codings per code.
	ca, err := codingSet(a)
	if err != nil {
		return nil, err
	}
	cb, err := codingSet(b)
	if err != nil {
		return nil, err
	}
	for _, code := range unionKeys(ca, cb) {
		cd := codeDiff{CodeID: code, Added: []string{}, Removed: []string{}}
		for p := range cb[code] {
			if !ca[code][p] {
				cd.Added = append(cd.Added, p)
			}
		}
		for p := range ca[code] {
			if !cb[code][p] {
				cd.Removed = append(cd.Removed, p)
			}
		}
		if len(cd.Added)+len(cd.Removed) > 0 {
			sort.Strings(cd.Added)
			sort.Strings(cd.Removed)
			d.Codings = append(d.Codings, cd)
		}
	}
	// Profiles and similarity.
	pa, err := tidyValues(filepath.Join(a, corpus.ProfilesFile), []string{"city", "code_id"}, "rate_per_1k_words")
	if err != nil {
		return nil, err
	}
	pb, err := tidyValues(filepath.Join(b, corpus.ProfilesFile), []string{"city", "code_id"}, "rate_per_1k_words")
	if err != nil {
		return nil, err
	}
	d.Profiles = changed(pa, pb, tol)
	xa, err := matrixValues(filepath.Join(a, corpus.SimilarityFile))
	if err != nil {
		return nil, err
	}
	xb, err := matrixValues(filepath.Join(b, corpus.SimilarityFile))
	if err != nil {
		return nil, err
	}
	d.Similar = changed(xa, xb, tol)
	// Contrast verdicts.
	va, err := tidyValues(filepath.Join(a, corpus.ContrastsFile), []string{"code_id"}, "p_adj")
	if err != nil {
		return nil, err
	}
	vb, err := tidyValues(filepath.Join(b, corpus.ContrastsFile), []string{"code_id"}, "p_adj")
	if err != nil {
		return nil, err
	}
	for _, code := range unionKeys(va, vb) {
		x, okA := va[code]
		y, okB := vb[code]
		if !okA || !okB {
			continue
		}
		if (x < alpha) != (y < alpha) {
			now := "not significant"
			if y < alpha {
				now = "significant"
			}
			d.Verdicts = append(d.Verdicts, verdictChange{CodeID: code, PAdjA: x, PAdjB: y, Now: now})
		}
	}
	return d, nil
}

func readRunJSON(dir string) (*runManifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, corpus.RunFile))
	if err != nil {
		return nil, noWorkspace(dir, err)
	}
	m, err := parseRunManifest(data)
	if err != nil {
		return nil, usagef("%s: %v", filepath.Join(dir, corpus.RunFile), err)
	}
	return m, nil
}

// codingSet returns code → passages coded with it.
func codingSet(dir string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	err := corpus.ScanCodings(filepath.Join(dir, corpus.CodingsFile), func(c corpus.Coding) error {
		if out[c.CodeID] == nil {
			out[c.CodeID] = map[string]bool{}
		}
		out[c.CodeID][c.PassageID] = true
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	return out, err
}

// tidyValues reads column value of a CSV keyed by the key columns joined
// with " / "; a missing file gives no values.
func tidyValues(name string, keys []string, value string) (map[string]float64, error) {
	rows, err := readCSVFile(name)
	if err != nil || len(rows) == 0 {
		return map[string]float64{}, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, k := range append(append([]string{}, keys...), value) {
		if _, ok := col[k]; !ok {
			return nil, fmt.Errorf("%s: no column %s", name, k)
		}
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		key := ""
		for i, k := range keys {
			if i > 0 {
				key += " / "
			}
			key += r[col[k]]
		}
		v, err := strconv.ParseFloat(r[col[value]], 64)
		if err != nil {
			v = math.NaN() // "NA"
		}
		out[key] = v
	}
	return out, nil
}

// matrixValues reads similarity.csv as "city A / city B" → cosine, each
// pair once.
func matrixValues(name string) (map[string]float64, error) {
	rows, err := readCSVFile(name)
	if err != nil || len(rows) == 0 {
		return map[string]float64{}, err
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		for j := 1; j < len(r) && j < len(rows[0]); j++ {
			a, b := r[0], rows[0][j]
			if a >= b {
				continue
			}
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			out[a+" / "+b] = v
		}
	}
	return out, nil
}

func readCSVFile(name string) ([][]string, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

func changed(a, b map[string]float64, tol float64) []valueDiff {
	var out []valueDiff
	for _, k := range unionKeys(a, b) {
		x, okA := a[k]
		y, okB := b[k]
		switch {
		case okA && okB && (math.Abs(x-y) <= tol || (math.IsNaN(x) && math.IsNaN(y))):
			continue
		}
		vd := valueDiff{Key: k, A: x, B: y}
		if okA && !math.IsNaN(x) {
			vd.AV = &x
		}
		if okB && !math.IsNaN(y) {
			vd.BV = &y
		}
		out = append(out, vd)
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (d *workspaceDiff) writeText(w io.Writer) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Workspace %s → %s\n", d.A, d.B)
	section := func(title string, lines []string) {
		p("\n%s: ", title)
		if len(lines) == 0 {
			p("unchanged\n")
			return
		}
		p("\n")
		for _, l := range lines {
			p("  %s\n", l)
		}
	}
	section("Settings", d.Settings)
	section("Codebooks", d.Codebooks)
	var lines []string
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
		lines = append(lines, fmt.Sprintf("%s: %s → %s", v.Key, val(v.AV), val(v.BV)))
	}
	section("Profiles (rate per 1,000 words)", lines)
	lines = nil
	for _, v := range d.Similar {
		lines = append(lines, fmt.Sprintf("%s: %s → %s", v.Key, val(v.AV), val(v.BV)))
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
