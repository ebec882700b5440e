package analysis

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/lcity/lcity/corpus"
)

// The figures are drawn with gonum.org/v1/plot into SVG, without embedded
// fonts (the reader's sans-serif is used), so that they are small, inline
// well into report.html and are byte-identical on rerun.

// Region colours, the same in every figure.
var (
	europeColour = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	asiaColour   = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	otherColour  = color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
)

func regionColour(region string) color.Color {
	switch region {
	case corpus.RegionEurope:
		return europeColour
	case corpus.RegionAsiaPacific:
		return asiaColour
	}
	return otherColour
}

// sequential is a palette from white to dark blue: darker is more.
type sequential []color.Color

func (s sequential) Colors() []color.Color { return s }

func blues(n int) palette.Palette {
	lo, hi := [3]float64{0xf7, 0xfb, 0xff}, [3]float64{0x08, 0x30, 0x6b}
	s := make(sequential, n)
	for i := range s {
		t := float64(i) / float64(n-1)
		c := func(k int) uint8 { return uint8(math.Round(lo[k] + t*(hi[k]-lo[k]))) }
		s[i] = color.RGBA{R: c(0), G: c(1), B: c(2), A: 0xff}
	}
	return s
}

// grid is a heat-map grid: rows top to bottom, columns left to right.
type grid struct {
	rows, cols int
	z          func(r, c int) float64
}

func (g grid) Dims() (int, int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.z(g.rows-1-r, c) }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }
func (g grid) Min() float64       { return minMaxOf(g)[0] }
func (g grid) Max() float64       { return minMaxOf(g)[1] }
func minMaxOf(g grid) (mm [2]float64) {
	mm[0], mm[1] = math.Inf(1), math.Inf(-1)
	for r := 0; r < g.rows; r++ {
		for c := 0; c < g.cols; c++ {
			v := g.z(r, c)
			mm[0], mm[1] = math.Min(mm[0], v), math.Max(mm[1], v)
		}
	}
	if mm[0] == mm[1] {
		mm[1] = mm[0] + 1
	}
	return mm
}

// ticks labels positions 0..n-1 with names (in plot order).
func ticks(names []string) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(names))
	for i, n := range names {
		t[i] = plot.Tick{Value: float64(i), Label: n}
	}
	return t
}

// writePlot draws p onto an SVG canvas of the given size in points.
func writePlot(w io.Writer, p *plot.Plot, width, height float64) error {
	c := vgsvg.NewWith(vgsvg.UseWH(vg.Length(width), vg.Length(height)), vgsvg.EmbedFonts(false))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	return p
}

// heatmap draws rows × cols values with row and column names.
func heatmap(w io.Writer, title string, rowNames, colNames []string, z func(r, c int) float64, pal palette.Palette) error {
	g := grid{rows: len(rowNames), cols: len(colNames), z: z}
	if g.rows == 0 || g.cols == 0 {
		return writePlot(w, newPlot(title+" (no data)"), 300, 100)
	}
	p := newPlot(title)
	h := plotter.NewHeatMap(g, pal)
	p.Add(h)
	rev := make([]string, len(rowNames))
	for i, n := range rowNames {
		rev[len(rowNames)-1-i] = n
	}
	p.Y.Tick.Marker = ticks(rev)
	p.X.Tick.Marker = ticks(colNames)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Label.Font.Size = vg.Points(7)
	p.Y.Tick.Label.Font.Size = vg.Points(7)
	mm := minMaxOf(g)
	p.Title.Text = fmt.Sprintf("%s: white %.3g to dark blue %.3g", title, mm[0], mm[1])
	width := 140 + 14*float64(g.cols)
	height := 150 + 14*float64(g.rows)
	return writePlot(w, p, math.Max(width, 320), math.Max(height, 240))
}

// MaxFigureCities is the most cities drawn one by one in the heat maps
// and labelled in the dendrogram and the PCA map; beyond it a figure shows
// the regions instead (a heat map of thousands of rows is neither readable
// nor small: a 1,600-city similarity map is over 200 MB of SVG).
const MaxFigureCities = 150

// regionGroups returns the regions present, in report order, with the
// indexes of their cities.
func (r *Result) regionGroups() ([]string, [][]int) {
	var names []string
	var groups [][]int
	at := map[string]int{}
	for i, c := range r.Cities {
		k, ok := at[c.Region]
		if !ok {
			k = len(names)
			at[c.Region] = k
			names = append(names, c.Region)
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], i)
	}
	return names, groups
}

// WriteHeatmapSVG writes the city × theme heat map of the weighted
// profile, cities in dendrogram order; with more than MaxFigureCities
// cities, the region means.
func (r *Result) WriteHeatmapSVG(w io.Writer) error {
	cols := make([]string, len(r.Codes))
	for j, c := range r.Codes {
		cols[j] = c.ID
	}
	if len(r.Cities) > MaxFigureCities {
		names, groups := r.regionGroups()
		return heatmap(w, fmt.Sprintf("Region × theme, mean over %d cities (%s)", len(r.Cities), r.Options.Weight), names, cols,
			func(i, j int) float64 {
				s := 0.0
				for _, c := range groups[i] {
					s += r.Matrix.At(c, j)
				}
				return s / float64(len(groups[i]))
			}, blues(64))
	}
	order := r.cityOrder()
	rows := make([]string, len(order))
	for i, c := range order {
		rows[i] = r.Cities[c].Name
	}
	return heatmap(w, "City × theme ("+r.Options.Weight+")", rows, cols,
		func(i, j int) float64 { return r.Matrix.At(order[i], j) }, blues(64))
}

// WriteSimilaritySVG writes the cosine similarity heat map, cities in
// dendrogram order so that clusters show as blocks; with more than
// MaxFigureCities cities, the mean similarity within and between regions.
func (r *Result) WriteSimilaritySVG(w io.Writer) error {
	if len(r.Cities) > MaxFigureCities {
		names, groups := r.regionGroups()
		return heatmap(w, fmt.Sprintf("Mean cosine similarity within and between regions (%d cities)", len(r.Cities)), names, names,
			func(a, b int) float64 {
				s, n := 0.0, 0
				for _, i := range groups[a] {
					for _, j := range groups[b] {
						if i != j {
							s += r.Similarity.At(i, j)
							n++
						}
					}
				}
				if n == 0 {
					return 1
				}
				return s / float64(n)
			}, blues(64))
	}
	order := r.cityOrder()
	names := make([]string, len(order))
	for i, c := range order {
		names[i] = r.Cities[c].Name
	}
	return heatmap(w, "Cosine similarity of theme profiles", names, names,
		func(i, j int) float64 { return r.Similarity.At(order[i], order[j]) }, blues(64))
}

func (r *Result) cityOrder() []int {
	if len(r.Clusters.Order) == len(r.Cities) {
		return r.Clusters.Order
	}
	order := make([]int, len(r.Cities))
	for i := range order {
		order[i] = i
	}
	return order
}

// addRegionPoints draws a region's points in its colour, with a legend entry.
func addRegionPoints(p *plot.Plot, region string, pts plotter.XYs) error {
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	s.GlyphStyle.Color = regionColour(region)
	s.GlyphStyle.Radius = vg.Points(3.5)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(s)
	p.Legend.Add(region, s)
	return nil
}

// WriteDendrogramSVG writes the average-linkage dendrogram of the cities
// (height: average 1 − cosine), leaves marked by region.
func (r *Result) WriteDendrogramSVG(w io.Writer) error {
	n := len(r.Cities)
	p := newPlot("Average-linkage clustering on 1 − cosine")
	p.Y.Label.Text = "height (1 − cosine)"
	if n < 2 {
		return writePlot(w, p, 320, 200)
	}
	x := map[int]float64{}
	h := map[int]float64{}
	for pos, c := range r.Clusters.Order {
		x[c] = float64(pos)
	}
	for k, m := range r.Clusters.Merges {
		id := n + k
		x[id] = (x[m.A] + x[m.B]) / 2
		h[id] = m.Height
		l, err := plotter.NewLine(plotter.XYs{{X: x[m.A], Y: h[m.A]}, {X: x[m.A], Y: m.Height}, {X: x[m.B], Y: m.Height}, {X: x[m.B], Y: h[m.B]}})
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 0x40}
		p.Add(l)
	}
	for _, region := range []string{corpus.RegionEurope, corpus.RegionAsiaPacific, corpus.RegionUnknown} {
		var pts plotter.XYs
		for pos, c := range r.Clusters.Order {
			if r.Cities[c].Region == region {
				pts = append(pts, plotter.XY{X: float64(pos), Y: 0})
			}
		}
		if len(pts) == 0 {
			continue
		}
		if err := addRegionPoints(p, region, pts); err != nil {
			return err
		}
	}
	names := make([]string, n)
	for pos, c := range r.Clusters.Order {
		if n <= MaxFigureCities {
			names[pos] = r.Cities[c].Name
		}
	}
	p.X.Tick.Marker = ticks(names)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = true
	return writePlot(w, p, math.Min(math.Max(320, 60+22*float64(n)), 1200), 320)
}

// WritePCASVG writes the cities on the first two principal components of
// their weighted profiles, coloured by region.
func (r *Result) WritePCASVG(w io.Writer) error {
	p := newPlot("Cities on the first two principal components")
	if !r.PCA.OK {
		p.Title.Text += " (too few cities)"
		return writePlot(w, p, 320, 200)
	}
	p.X.Label.Text = fmt.Sprintf("PC1 (%.0f%% of variance)", 100*r.PCA.Explained[0])
	p.Y.Label.Text = fmt.Sprintf("PC2 (%.0f%% of variance)", 100*r.PCA.Explained[1])
	for _, region := range []string{corpus.RegionEurope, corpus.RegionAsiaPacific, corpus.RegionUnknown} {
		var pts plotter.XYs
		var labels []string
		for i, c := range r.Cities {
			if c.Region == region {
				pts = append(pts, plotter.XY{X: r.PCA.X[i], Y: r.PCA.Y[i]})
				labels = append(labels, c.Name)
			}
		}
		if len(pts) == 0 {
			continue
		}
		if err := addRegionPoints(p, region, pts); err != nil {
			return err
		}
		if len(r.Cities) > MaxFigureCities {
			continue
		}
		ls, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
		if err != nil {
			return err
		}
		for i := range ls.TextStyle {
			ls.TextStyle[i].Font.Size = vg.Points(7)
			ls.TextStyle[i].Color = regionColour(region)
		}
		ls.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
		p.Add(ls)
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	return writePlot(w, p, 480, 400)
}
