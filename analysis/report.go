package analysis

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lcity/lcity/corpus"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// ReportMeta is what the report says about the run besides the numbers.
type ReportMeta struct {
	CorpusSource string
	Sample       bool // the embedded illustrative sample
	Codebooks    []CodebookInfo
	Failures     int
	// Tool is the program and its version ("lcity 0.2.0, go1.26.8");
	// Command the command line that reproduces the outputs; Inputs the
	// input files with their SHA-256. All optional.
	Tool    string
	Command string
	Inputs  []InputInfo
	// Review is the human review the coding rests on; nil when nobody
	// reviewed it.
	Review *ReviewInfo
}

// InputInfo names an input file and its SHA-256 in the report.
type InputInfo struct{ Path, SHA256 string }

// CodebookInfo names a codebook in the report.
type CodebookInfo struct {
	Name, Title, SHA256 string
	Codes               int
}

// SharedShare is the share of a region's cities that must have a code for
// it to count as shared by that region.
const SharedShare = 0.75

// WriteMarkdown writes report.md.
func (r *Result) WriteMarkdown(w io.Writer, meta ReportMeta) error {
	var b bytes.Buffer
	r.markdown(&b, meta)
	_, err := w.Write(b.Bytes())
	return err
}

func (r *Result) markdown(b *bytes.Buffer, meta ReportMeta) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	eu, ap := r.regionIdx()
	p("# Learning cities compared: Europe and Asia-Pacific\n\n")
	if meta.Sample {
		p("> **Illustrative sample, not UNESCO text.** This report was computed on lcity's embedded sample corpus: case studies written by the lcity authors in their own words from public facts about each city. Its numbers describe that sample, not the UIL case-study books.\n\n")
	}
	p("## Data and settings\n\n")
	if meta.Tool != "" {
		p("Made by %s", md(meta.Tool))
		if meta.Command != "" {
			p(" with the equivalent of %s", codeSpan(meta.Command))
		}
		p(". To check and reproduce every number here, run %s in the workspace folder that holds this report: it checks the recorded SHA-256 of the inputs, codebooks and outputs and reruns the analysis from the recorded settings. ", codeSpan("lcity verify run.json"))
		p("The report carries no date, so that a rerun gives identical bytes; run.json records the inputs and settings it was made from.\n\n")
	}
	words, passages := 0, 0
	for _, c := range r.Cities {
		words += c.Words
		passages += c.Passages
	}
	p("- Corpus: %s: %d documents, %d cities (%d Europe, %d Asia-Pacific), %d passages, %d words.\n",
		codeSpan(meta.CorpusSource), r.Summary.Documents, len(r.Cities), len(eu), len(ap), passages, words)
	if meta.Failures > 0 {
		p("- %d input(s) could not be processed; see failures.csv.\n", meta.Failures)
	}
	for _, in := range meta.Inputs {
		p("- Input %s, SHA-256 `%s`.\n", codeSpan(in.Path), short(in.SHA256))
	}
	for _, cb := range meta.Codebooks {
		p("- Codebook `%s` (%s): %d codable codes, SHA-256 `%s`.\n", cb.Name, md(cb.Title), cb.Codes, short(cb.SHA256))
	}
	if meta.Review != nil {
		p("- Coding reviewed by people: %d decisions (see Human review below).\n", meta.Review.Decisions)
	}
	p("- Profile weighting: **%s** (%s). Similarity: cosine of the weighted city × code profiles.\n", r.Options.Weight, weightDoc(r.Options.Weight))
	p("- Tests: each contrast is a two-sided Wilcoxon–Mann–Whitney rank-sum test by permutation (%d relabellings of the regions, or all of them when fewer; seed %d), whose statistic is the effect size shown, Cliff's delta of Europe against Asia-Pacific; p-values adjusted for %d codes with Benjamini–Hochberg; alpha %.2f.\n",
		r.Options.Permutations, r.Options.Seed, len(r.Codes), r.Options.Alpha)
	if r.Hypotheses != nil {
		p("- Hypotheses: `%s`, SHA-256 `%s`.\n", r.Hypotheses.Source, short(r.Hypotheses.SHA256))
	}
	p("- Clustering: average linkage on 1 − cosine; map: principal components of the weighted profiles (gonum/stat).\n\n")
	p("| City | Country | Region | Award year | Pages | Passages | Words |\n|---|---|---|---|---:|---:|---:|\n")
	for _, c := range r.Cities {
		p("| %s | %s | %s | %d | %d | %d | %d |\n", md(c.Name), md(c.Country), c.Region, c.Year, c.Pages, c.Passages, c.Words)
	}
	p("\n")

	// Shared themes.
	p("## Shared themes\n\n")
	p("![City × theme profiles](%s)\n\n", HeatmapFigure)
	type shared struct {
		c    Contrast
		mean float64
	}
	var sh []shared
	for _, c := range r.Contrasts {
		if len(eu) > 0 && len(ap) > 0 &&
			float64(c.EuropeCities) >= SharedShare*float64(len(eu)) && float64(c.AsiaCities) >= SharedShare*float64(len(ap)) {
			m := (c.EuropeMean*float64(len(eu)) + c.AsiaMean*float64(len(ap))) / float64(len(eu)+len(ap))
			sh = append(sh, shared{c, m})
		}
	}
	sort.SliceStable(sh, func(i, j int) bool { return sh[i].mean > sh[j].mean })
	if len(sh) == 0 {
		p("No code appears in at least %.0f%% of the cities of both regions.\n\n", 100*SharedShare)
	} else {
		p("Themes found in at least %.0f%% of the cities of **both** regions, by mean %s across all cities. These are the joint concerns of the two groups:\n\n", 100*SharedShare, r.Options.Weight)
		p("| Code | Theme | Europe cities | Asia-Pacific cities | Europe mean (%s) | Asia-Pacific mean (%[1]s) |\n|---|---|---:|---:|---:|---:|\n", weightUnit(r.Options.Weight))
		for _, s := range sh {
			p("| `%s` | %s | %d/%d | %d/%d | %.2f | %.2f |\n", s.c.CodeID, md(s.c.Label), s.c.EuropeCities, len(eu), s.c.AsiaCities, len(ap), s.c.EuropeMean, s.c.AsiaMean)
		}
		p("\n")
	}

	// Differences.
	p("## Differences between the regions\n\n")
	cs := append([]Contrast(nil), r.Contrasts...)
	sort.SliceStable(cs, func(i, j int) bool {
		if math.Abs(cs[i].CliffDelta) != math.Abs(cs[j].CliffDelta) {
			return math.Abs(cs[i].CliffDelta) > math.Abs(cs[j].CliffDelta)
		}
		return cs[i].P < cs[j].P
	})
	var sig []Contrast
	for _, c := range cs {
		if c.PAdj < r.Options.Alpha {
			sig = append(sig, c)
		}
	}
	if len(sig) == 0 {
		p("No theme differs between Europe and Asia-Pacific at alpha %.2f after the Benjamini–Hochberg correction for %d codes. With %d and %d cities, only large differences can be detected; the largest effects are listed below as leads, not findings.\n\n",
			r.Options.Alpha, len(r.Codes), len(eu), len(ap))
	} else {
		p("%d theme(s) differ at alpha %.2f after the Benjamini–Hochberg correction: ", len(sig), r.Options.Alpha)
		var names []string
		for _, c := range sig {
			dir := "more in Europe"
			if c.Diff < 0 {
				dir = "more in Asia-Pacific"
			}
			names = append(names, fmt.Sprintf("%s (`%s`, %s, delta %.2f, p_adj %.3f)", md(c.Label), c.CodeID, dir, c.CliffDelta, c.PAdj))
		}
		p("%s.\n\n", strings.Join(names, "; "))
	}
	p("Largest effects (Cliff's delta > 0: more in Europe; < 0: more in Asia-Pacific):\n\n")
	p("| Code | Theme | Europe mean (%s) | Asia-Pacific mean (%[1]s) | Cliff's delta | p (rank-sum) | p_adj (BH) |\n|---|---|---:|---:|---:|---:|---:|\n", weightUnit(r.Options.Weight))
	for i, c := range cs {
		if i == 10 {
			break
		}
		p("| `%s` | %s | %.2f | %.2f | %.2f | %.4f | %.4f |\n", c.CodeID, md(c.Label), c.EuropeMean, c.AsiaMean, c.CliffDelta, c.P, c.PAdj)
	}
	p("\n")
	for i, c := range cs {
		if i == 3 {
			break
		}
		p("Evidence for `%s` (%s):\n\n", c.CodeID, md(c.Label))
		for _, region := range []string{corpus.RegionEurope, corpus.RegionAsiaPacific} {
			if q, ok := r.strongest(c.CodeID, region); ok {
				p("- %s, %s p. %d: \"%s\"\n", region, md(q.City), q.Page, md(quote(q.Text, 280)))
			} else {
				p("- %s: no passage coded.\n", region)
			}
		}
		p("\n")
	}

	// Similarity.
	t := r.Region
	p("## Similarity structure\n\n")
	p("![Cosine similarity of the cities' theme profiles](%s)\n\n", SimilarityFigure)
	if len(eu) >= 2 && len(ap) >= 2 {
		p("Mean cosine similarity within Europe **%.3f**, within Asia-Pacific **%.3f**, between the regions **%.3f**; the cosine between the two region centroids is %.3f. ",
			t.WithinEurope, t.WithinAsia, t.Between, t.CentroidCos)
		p("The permutation test of \"cities resemble their own region more than the other\" (within minus between = %.3f, %d relabellings) gives p = %.4f: ", t.Statistic, t.Permutations, t.P)
		if t.P < r.Options.Alpha {
			p("the regions differ as groups at alpha %.2f.\n\n", r.Options.Alpha)
		} else {
			p("no evidence at alpha %.2f that the regions differ as groups; the profiles overlap.\n\n", r.Options.Alpha)
		}
	}
	r.clusterText(b)
	p("| City | Region | Most similar city | Cosine | Least similar city | Cosine |\n|---|---|---|---:|---|---:|\n")
	for i, c := range r.Cities {
		best, worst := -1, -1
		for j := range r.Cities {
			if j == i {
				continue
			}
			if best < 0 || r.Similarity.At(i, j) > r.Similarity.At(i, best) {
				best = j
			}
			if worst < 0 || r.Similarity.At(i, j) < r.Similarity.At(i, worst) {
				worst = j
			}
		}
		if best < 0 {
			continue
		}
		p("| %s | %s | %s | %.3f | %s | %.3f |\n", md(c.Name), c.Region, md(r.Cities[best].Name), r.Similarity.At(i, best), md(r.Cities[worst].Name), r.Similarity.At(i, worst))
	}
	p("\n")

	r.hypothesesText(b)
	r.focusText(b)
	r.reviewText(b, meta.Review)

	p("## Limits\n\n")
	p("- %d cities are a small sample: a permutation p-value cannot go below 1/(permutations+1), and only large effects are detectable.\n", len(r.Cities))
	p("- Coding is dictionary-based: a passage is coded when the codebook's terms occur in it. It measures what the case studies talk about, not what the cities do; read the evidence passages (codings.csv, `lcity kwic`) before citing a number.\n")
	p("- Case studies differ in length and style; rates per 1,000 words correct for length, not for style.\n")
	p("- The hypotheses are tested through our choice of codes for each side (listed above); another defensible choice can change a verdict. The verdicts are one-sided permutation tests, not corrected for the number of hypotheses.\n")
	if meta.Sample {
		p("- The corpus is lcity's illustrative sample, not the UIL case studies: rerun on the real books (`lcity run --corpus DIR`) before drawing conclusions.\n")
	}
	p("\nEvery number here can be recomputed from run.json, which lists the inputs, codebooks, settings and the SHA-256 of every output.\n")
}

func weightDoc(w string) string {
	switch w {
	case WeightShare:
		return "share of the city's passages coded"
	case WeightBinary:
		return "1 when the city has the code at all, else 0"
	case WeightTFIDF:
		return "matches per 1,000 words × log(cities / cities with the code)"
	default:
		return "matches per 1,000 words"
	}
}

// strongest returns the passage of the region with the highest score for
// the code (ties: the smaller passage ID).
func (r *Result) strongest(codeID, region string) (Quote, bool) {
	q, ok := r.Summary.strongest[[2]string{codeID, region}]
	return q, ok
}

func quote(s string, n int) string {
	s = strings.ReplaceAll(s, `"`, "'")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := string(rs[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// File names of the figures, as the report links to them next to it.
const (
	SimilarityFigure = "similarity.svg"
	HeatmapFigure    = "heatmap.svg"
	DendrogramFigure = "dendrogram.svg"
	PCAFigure        = "pca.svg"
)

// WriteHTML writes report.html: the Markdown report rendered as one
// self-contained page (inline CSS and SVG, no external assets).
func (r *Result) WriteHTML(w io.Writer, meta ReportMeta) error {
	var md bytes.Buffer
	r.markdown(&md, meta)
	figures := map[string]string{}
	for name, write := range map[string]func(io.Writer) error{
		SimilarityFigure: r.WriteSimilaritySVG, HeatmapFigure: r.WriteHeatmapSVG,
		DendrogramFigure: r.WriteDendrogramSVG, PCAFigure: r.WritePCASVG,
	} {
		var svg bytes.Buffer
		if err := write(&svg); err != nil {
			return err
		}
		figures[name] = inlineSVG(svg.String())
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Learning cities compared: Europe and Asia-Pacific</title>\n")
	b.WriteString("<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}" +
		"table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.9rem}" +
		"blockquote{border-left:4px solid #c60;margin:1rem 0;padding:.5rem 1rem;background:#fff6ee}code{background:#f3f3f3;padding:0 .2rem}" +
		"figure{margin:1rem 0}figure svg{max-width:100%;height:auto}" +
		printCSS + "</style>\n</head>\n<body>\n")
	b.WriteString(markdownToHTML(md.String(), figures))
	b.WriteString("</body>\n</html>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// printCSS makes the browser's "Print → Save as PDF" of report.html a
// clean document to attach to a paper: A4 with 18 mm margins, 10-pt body
// text, figures scaled to the page width and never split, table rows and
// headings kept with what follows, links and code without backgrounds.
// A PDF made this way embeds the fonts the browser used. It was chosen
// over a PDF writer in Go because the figures are SVG, which the browser
// renders exactly as on screen (TestReportPrintsToPDF checks it in headless
// Chromium).
const printCSS = "@page{size:A4;margin:18mm}" +
	"@media print{body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35}" +
	"h1,h2,h3{break-after:avoid}figure,blockquote,tr{break-inside:avoid}" +
	"figure svg{max-width:100%;max-height:230mm}table{font-size:8.5pt}code,blockquote{background:none}}"

// markdownToHTML renders the report's Markdown with goldmark (CommonMark
// and GitHub tables) in its safe mode, where raw HTML is not passed
// through, and puts each figure, an image line naming one of figures, in
// place as inline SVG, so the page needs no other file.
func markdownToHTML(md string, figures map[string]string) string {
	names := make([]string, 0, len(figures))
	for name := range figures {
		names = append(names, name)
	}
	sort.Strings(names)
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		for k, name := range names {
			if strings.HasPrefix(l, "![") && strings.HasSuffix(l, "]("+name+")") {
				lines[i] = figurePlaceholder(k)
			}
		}
	}
	var b bytes.Buffer
	conv := goldmark.New(goldmark.WithExtensions(extension.Table))
	if err := conv.Convert([]byte(strings.Join(lines, "\n")), &b); err != nil {
		// Convert fails only when writing to the buffer fails.
		panic(err)
	}
	out := b.String()
	for k, name := range names {
		out = strings.ReplaceAll(out, "<p>"+figurePlaceholder(k)+"</p>", "<figure>\n"+figures[name]+"</figure>")
	}
	return out
}

// figurePlaceholder stands for figure k while the Markdown is rendered;
// text from the corpus cannot produce it, as md escapes its underscores.
func figurePlaceholder(k int) string { return fmt.Sprintf("LCITY_FIGURE_%d", k) }

// inlineSVG drops what comes before the <svg> element (XML declaration,
// doctype), which has no place inside an HTML page.
func inlineSVG(s string) string {
	if i := strings.Index(s, "<svg"); i >= 0 {
		return s[i:]
	}
	return s
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// clusterText describes the dendrogram's top split and shows the figures.
func (r *Result) clusterText(b *bytes.Buffer) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("![Average-linkage dendrogram of the cities](%s)\n\n", DendrogramFigure)
	n := len(r.Cities)
	if m := len(r.Clusters.Merges); m > 0 && n > 2 {
		top := r.Clusters.Merges[m-1]
		members := func(id int) []int {
			var out []int
			var walk func(int)
			walk = func(id int) {
				if id < n {
					out = append(out, id)
					return
				}
				mg := r.Clusters.Merges[id-n]
				walk(mg.A)
				walk(mg.B)
			}
			walk(id)
			return out
		}
		describe := func(ids []int) string {
			var names []string
			eu, ap := 0, 0
			for _, i := range ids {
				names = append(names, md(r.Cities[i].Name))
				switch r.Cities[i].Region {
				case corpus.RegionEurope:
					eu++
				case corpus.RegionAsiaPacific:
					ap++
				}
			}
			sort.Strings(names)
			return fmt.Sprintf("%s (%d Europe, %d Asia-Pacific)", strings.Join(names, ", "), eu, ap)
		}
		p("The dendrogram's top split (at height %.3f) separates %s from %s. ", top.Height, describe(members(top.A)), describe(members(top.B)))
		p("A split that followed the regions would put each region on one side; clusters.csv lists every merge.\n\n")
	}
	if r.PCA.OK {
		p("![Cities on the first two principal components](%s)\n\n", PCAFigure)
		p("The first two principal components of the profiles explain %.0f%% and %.0f%% of their variance. ", 100*r.PCA.Explained[0], 100*r.PCA.Explained[1])
		p("The codes that weigh most on each axis (loadings; a city far along an axis has more of its positive codes and less of its negative ones):\n\n")
		p("| Axis | Code | Theme | Loading |\n|---|---|---|---:|\n")
		for c, axis := range []string{"PC1 (horizontal)", "PC2 (vertical)"} {
			for _, j := range topLoadings(r.PCA.Loadings[c], 5) {
				p("| %s | `%s` | %s | %+.2f |\n", axis, r.Codes[j].ID, md(r.Codes[j].Label), r.PCA.Loadings[c][j])
			}
		}
		p("\n")
	}
}

// topLoadings returns the indexes of the n largest loadings by absolute
// value, largest first (ties: code order).
func topLoadings(l []float64, n int) []int {
	idx := make([]int, len(l))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(l[idx[a]]) > math.Abs(l[idx[b]]) })
	return idx[:min(n, len(idx))]
}

// hypothesesText reports each hypothesis with its verdict and evidence.
func (r *Result) hypothesesText(b *bytes.Buffer) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Hypotheses\n\n")
	if len(r.HypothesisTests) == 0 {
		p("No hypotheses were given.\n\n")
		return
	}
	p("Each hypothesis compares, city by city, the mean weighted profile over the codes of group A minus that over group B, between the regions: the statistic is the difference of the region means in the expected direction, its effect size Cliff's delta of the city scores, and its p-value the one-sided rank-sum permutation test of that delta (%d relabellings); p_A and p_B test each group alone the same way. Verdict: *supported* when p < alpha; *mixed* when only one group alone differs as expected; otherwise *not supported*.\n\n", r.Options.Permutations)
	p("| Hypothesis | Expected higher in | Statistic | Cliff's delta | p | p_A | p_B | Verdict |\n|---|---|---:|---:|---:|---:|---:|---|\n")
	for _, h := range r.HypothesisTests {
		p("| %s | %s | %.3f | %.2f | %.4f | %.4f | %.4f | **%s** |\n", md(h.Hypothesis.Title), h.Hypothesis.HigherIn, h.Statistic, h.Delta, h.P, h.PA, h.PB, h.Verdict)
	}
	p("\n")
	for _, h := range r.HypothesisTests {
		x := h.Hypothesis
		p("### %s\n\n", md(x.Title))
		if x.Source != "" {
			p("Source: %s\n\n", md(x.Source))
		}
		if x.Claim != "" {
			p("> %s\n\n", md(x.Claim))
		}
		p("- A, %s: %s.\n", md(x.A.Label), codeList(x.A.Codes))
		p("- B, %s: %s.\n", md(x.B.Label), codeList(x.B.Codes))
		if len(x.Unknown) > 0 {
			p("- Not in the profile (codebook not used?): %s.\n", codeList(x.Unknown))
		}
		p("- Verdict at alpha %.2f: **%s**: %s.\n\n", h.Alpha, h.Verdict, h.Reason)
		for _, region := range []string{corpus.RegionEurope, corpus.RegionAsiaPacific} {
			qs := h.Evidence[region]
			if len(qs) == 0 {
				p("%s: no passage coded with these codes.\n\n", region)
				continue
			}
			p("Strongest evidence, %s:\n\n", region)
			for _, q := range qs {
				p("- %s, p. %d (%s; %s): \"%s\"\n", md(q.City), q.Page, codeSpan(q.PassageID), codeList(q.Codes), md(quote(q.Text, 240)))
			}
			p("\n")
		}
	}
}

func codeList(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = "`" + c + "`"
	}
	return strings.Join(out, ", ")
}

// focusText reports the focus-table check: the method, per city the
// themes found, not found and uncovered, and the overall found share and
// AUC against their chance baseline.
func (r *Result) focusText(b *bytes.Buffer) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Focus-table check\n\n")
	t := r.FocusTest
	var absent []string
	for _, c := range r.FocusChecks {
		if !c.InCorpus {
			absent = append(absent, md(c.City))
		}
	}
	if len(absent) == len(r.FocusChecks) {
		p("No city of the focus table (focus themes per city, named by people) is in this corpus, so the text-derived profiles cannot be checked against it.\n\n")
		return
	}
	p("Each city's focus themes, as people named them, were coded with the same codebooks, and a theme counts as found when one of its codes is in the top third of the city's text-derived profile: the first %d of its %d codes by weight, ties broken by report order, a weight of 0 never counting; themes the codebooks give no code are uncovered, listed, and left out of the found share. ",
		t.TopThird, len(r.Codes))
	p("The chance baseline repeats the count with the focus rows shuffled among the cities (%s permutations, seed %d), and the AUC is the share of comparisons in which a city's profile is closer (cosine) to its own focus themes than to another city's, ties counting half.\n\n",
		thousands(t.Permutations), r.Options.Seed)
	p("| City | Found / covered | Themes found | Themes not found | Uncovered themes |\n|---|---:|---|---|---|\n")
	for _, c := range r.FocusChecks {
		if !c.InCorpus {
			continue
		}
		by := map[string][]string{}
		for _, l := range c.Labels {
			by[l.Status] = append(by[l.Status], md(l.Label))
		}
		list := func(status string) string {
			if len(by[status]) == 0 {
				return "–"
			}
			return strings.Join(by[status], "; ")
		}
		p("| %s | %d/%d | %s | %s | %s |\n", md(c.City), c.Found, c.Covered, list(FocusFound), list(FocusNotFound), list(FocusUncovered))
	}
	p("\n")
	if len(absent) > 0 {
		p("Not in this corpus, so not checked: %s.\n\n", strings.Join(absent, ", "))
	}
	if t.Covered == 0 {
		p("None of the focus themes has a code in these codebooks, so none can be checked against the profiles.\n\n")
		return
	}
	p("Overall, %d of %d covered themes (%.0f%%) are found in their city's top third", t.Found, t.Covered, 100*t.FoundShare)
	if uncovered := t.Labels - t.Covered; uncovered > 0 {
		verb := "are"
		if uncovered == 1 {
			verb = "is"
		}
		p("; %d of %d themes %s uncovered, which says what the codebooks miss, not what the texts miss", uncovered, t.Labels, verb)
	}
	p(". ")
	if t.Cities < 2 {
		p("With fewer than two cities compared there is no chance baseline.\n\n")
		return
	}
	p("With the focus rows shuffled among the %d cities, %.0f%% would be found on average (the chance baseline; permutation p = %.4f for the observed share, %s permutations). ",
		t.Cities, 100*t.BaselineFoundShare, t.PFound, thousands(t.Permutations))
	p("Own-city focus rows beat other cities' rows in %.0f%% of comparisons (AUC %.2f; permutation p = %.4f, %s permutations). ",
		100*t.AUC, t.AUC, t.PAUC, thousands(t.Permutations))
	alpha := r.Options.Alpha
	switch found, auc := t.PFound < alpha, t.PAUC < alpha; {
	case found && auc:
		p("At alpha %.2f both beat chance: the case studies stress their own city's named themes more than other cities' themes.\n\n", alpha)
	case found:
		p("At alpha %.2f the found share beats chance but the AUC does not: the top thirds hold a city's own named themes more often than other cities' themes, yet the profiles as a whole are not closer to their own focus rows.\n\n", alpha)
	case auc:
		p("At alpha %.2f the AUC beats chance but the found share does not: the profiles as a whole lean towards their own focus rows, yet their top thirds hold other cities' named themes about as often as their own.\n\n", alpha)
	default:
		p("At alpha %.2f neither beats chance: a city's named themes match its own text no better than another city's themes would.\n\n", alpha)
	}
}

// md escapes text that did not come from lcity (city and country names,
// code labels, codebook and hypothesis titles, quoted passages) for
// Markdown: each ASCII punctuation character Markdown could read as syntax
// gets a backslash, as does a list or heading marker at the start, so the
// text reads as written in report.md and report.html alike: a "*" in a
// passage is not emphasis, a "|" does not split a table cell, a "<b>" is
// not HTML.
func md(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>|#!~&", r) || i == 0 && strings.ContainsRune("-+=", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. text" at the start would be an ordered list.
	if j := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); j > 0 && (out[j] == '.' || out[j] == ')') {
		out = out[:j] + "\\" + out[j:]
	}
	return out
}

// codeSpan shows s as code, with a fence longer than any run of backticks
// in it.
func codeSpan(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
