package analysis

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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

func init() {
	// A sans-serif face reads better at small sizes than the default
	// serif; the SVG names it and the reader's font is used.
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	plotter.DefaultFont = plot.DefaultFont
}

// Type sizes of the figures, in points at the figure's natural size: no
// text smaller than 10 pt, so that a figure printed at its width stays
// legible.
const (
	titleSize = 12
	labelSize = 11 // axis titles
	tickSize  = 10 // tick labels, point labels, legends
)

// writePlot draws p onto an SVG canvas of the given size in points.
func writePlot(w io.Writer, p *plot.Plot, width, height float64) error {
	return writeWithSide(w, p, width, height, 0, nil)
}

// writeWithSide draws p onto the left part of an SVG canvas and side, if
// not nil, onto a panel sideWidth points wide on its right: colour bars and
// legends go there, where they cannot cover the data or its labels.
func writeWithSide(w io.Writer, p *plot.Plot, width, height, sideWidth float64, side func(c draw.Canvas)) error {
	c := vgsvg.NewWith(vgsvg.UseWH(vg.Length(width+sideWidth), vg.Length(height)), vgsvg.EmbedFonts(false))
	dc := draw.New(c)
	if side == nil {
		p.Draw(dc)
	} else {
		p.Draw(draw.Crop(dc, 0, -vg.Length(sideWidth), 0, 0))
		side(draw.Crop(dc, vg.Length(width), 0, 0, 0))
	}
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
	p.Title.TextStyle.Font.Size = vg.Points(titleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(labelSize)
		a.Tick.Label.Font.Size = vg.Points(tickSize)
	}
	return p
}

// regionLegend is a legend of the regions present, each with thumb's mark.
func regionLegend(regions []string, thumb func(region string) plot.Thumbnailer) plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = vg.Points(tickSize)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(3)
	l.ThumbnailWidth = vg.Points(12)
	for _, r := range regions {
		l.Add(r, thumb(r))
	}
	return l
}

// swatch is a legend thumbnail: a square of one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.c, c.ClipPolygonY([]vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}}))
}

// band marks the rows (x < 0, left of the grid) or the columns (y < 0,
// under it) of a heat map with their regions' colours.
type band struct {
	rows, cols []color.Color // per grid row (top to bottom) and column; nil for none
}

const bandWidth = 0.6 // in cells

func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rect := func(x0, x1, y0, y1 float64, col color.Color) {
		c.FillPolygon(col, []vg.Point{{X: trX(x0), Y: trY(y0)}, {X: trX(x1), Y: trY(y0)}, {X: trX(x1), Y: trY(y1)}, {X: trX(x0), Y: trY(y1)}})
	}
	n := len(b.rows)
	for i, col := range b.rows {
		y := float64(n - 1 - i)
		rect(-0.5-bandWidth-0.15, -0.5-0.15, y-0.5, y+0.5, col)
	}
	for j, col := range b.cols {
		rect(float64(j)-0.5, float64(j)+0.5, -0.5-bandWidth-0.15, -0.5-0.15, col)
	}
}

func (b band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = -0.5, -0.5
	if b.rows != nil {
		xmin = -0.5 - bandWidth - 0.15
	}
	if b.cols != nil {
		ymin = -0.5 - bandWidth - 0.15
	}
	return xmin, float64(max(len(b.cols), 1)) - 0.5, ymin, float64(max(len(b.rows), 1)) - 0.5
}

// blueMap is the heat maps' colour scale, white to dark blue, as a
// palette.ColorMap so that the colour bar shows the same scale.
type blueMap struct{ min, max, alpha float64 }

func (m *blueMap) At(v float64) (color.Color, error) {
	switch {
	case v < m.min:
		return nil, palette.ErrUnderflow
	case v > m.max:
		return nil, palette.ErrOverflow
	}
	t := (v - m.min) / (m.max - m.min)
	lo, hi := [3]float64{0xf7, 0xfb, 0xff}, [3]float64{0x08, 0x30, 0x6b}
	c := func(k int) uint8 { return uint8(math.Round(lo[k] + t*(hi[k]-lo[k]))) }
	return color.RGBA{R: c(0), G: c(1), B: c(2), A: 0xff}, nil
}
func (m *blueMap) Max() float64                  { return m.max }
func (m *blueMap) SetMax(v float64)              { m.max = v }
func (m *blueMap) Min() float64                  { return m.min }
func (m *blueMap) SetMin(v float64)              { m.min = v }
func (m *blueMap) Alpha() float64                { return m.alpha }
func (m *blueMap) SetAlpha(a float64)            { m.alpha = a }
func (m *blueMap) Palette(n int) palette.Palette { return blues(n) }

// heatmap draws rows × cols values with row and column names, a colour
// bar giving the scale in unit, and, when rowRegions (colRegions) is not
// nil, a band of region colours beside the rows (under the columns) with a
// legend.
func heatmap(w io.Writer, title, unit string, rowNames, colNames, rowRegions, colRegions []string, z func(r, c int) float64) error {
	g := grid{rows: len(rowNames), cols: len(colNames), z: z}
	if g.rows == 0 || g.cols == 0 {
		return writePlot(w, newPlot(title+" (no data)"), 300, 100)
	}
	p := newPlot(title)
	mm := minMaxOf(g)
	cm := &blueMap{min: mm[0], max: mm[1], alpha: 1}
	p.Add(plotter.NewHeatMap(g, cm.Palette(64)))
	var b band
	var regions []string
	seen := map[string]bool{}
	colours := func(names []string) []color.Color {
		if names == nil {
			return nil
		}
		out := make([]color.Color, len(names))
		for i, r := range names {
			out[i] = regionColour(r)
			if !seen[r] {
				seen[r] = true
				regions = append(regions, r)
			}
		}
		return out
	}
	b.rows, b.cols = colours(rowRegions), colours(colRegions)
	sort.Slice(regions, func(i, j int) bool { return regionRank(regions[i]) < regionRank(regions[j]) })
	if len(regions) > 0 {
		p.Add(b)
	}
	rev := make([]string, len(rowNames))
	for i, n := range rowNames {
		rev[len(rowNames)-1-i] = n
	}
	p.Y.Tick.Marker = ticks(rev)
	p.X.Tick.Marker = ticks(colNames)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Padding, p.Y.Padding = 0, 0
	const cell = 17     // points per cell: room for a 10-point label
	const barWidth = 58 // the colour bar with its ticks and unit
	width := 200 + cell*float64(g.cols)
	// Room under the plot for the longest rotated column name.
	longest := vg.Length(0)
	for _, n := range colNames {
		longest = max(longest, p.X.Tick.Label.Width(n))
	}
	height := 40 + float64(longest.Points()) + cell*float64(g.rows)
	side := func(c draw.Canvas) {
		bar := plot.New()
		bar.HideX()
		bar.Y.Tick.Label.Font.Size = vg.Points(tickSize)
		bar.Y.Label.TextStyle.Font.Size = vg.Points(tickSize)
		bar.Y.Label.Text = unit
		bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 64})
		top := c.Max.Y - c.Min.Y
		legendH := vg.Length(0)
		if len(regions) > 0 {
			legendH = vg.Points(18 * float64(len(regions)+1))
		}
		right := c.Max.X - c.Min.X - vg.Points(barWidth)
		bar.Draw(draw.Crop(c, vg.Points(4), -right, legendH+vg.Points(30), -vg.Points(30)))
		if len(regions) > 0 {
			l := regionLegend(regions, func(r string) plot.Thumbnailer { return swatch{regionColour(r)} })
			l.Draw(draw.Crop(c, vg.Points(6), 0, 0, -(top - legendH)))
		}
	}
	return writeWithSide(w, p, math.Max(width, 320), math.Max(height, 260), 110, side)
}

// maxColumnLabel is the most characters of a code's label shown under a
// heat-map column; a longer label is cut at a word and ends in "…" (the
// report's tables give it whole, with the code's ID).
const maxColumnLabel = 34

// columnLabel is a heat-map column's name: the code's label, which a reader
// knows, rather than its ID, which only the codebook explains; the ID when
// the code has no label.
func columnLabel(label, id string) string {
	label = strings.TrimSpace(label)
	if label == "" {
		return id
	}
	r := []rune(label)
	if len(r) <= maxColumnLabel {
		return label
	}
	cut := maxColumnLabel - 1
	for i := cut; i > maxColumnLabel/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:") + "…"
}

// regionRank orders regions as the report does.
func regionRank(r string) int {
	switch r {
	case corpus.RegionEurope:
		return 0
	case corpus.RegionAsiaPacific:
		return 1
	}
	return 2
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
		cols[j] = columnLabel(c.Label, c.ID)
	}
	if len(r.Cities) > MaxFigureCities {
		names, groups := r.regionGroups()
		return heatmap(w, fmt.Sprintf("Region × theme, mean over %d cities", len(r.Cities)), weightUnit(r.Options.Weight), names, cols, names, nil,
			func(i, j int) float64 {
				s := 0.0
				for _, c := range groups[i] {
					s += r.Matrix.At(c, j)
				}
				return s / float64(len(groups[i]))
			})
	}
	order := r.cityOrder()
	rows := make([]string, len(order))
	regions := make([]string, len(order))
	for i, c := range order {
		rows[i], regions[i] = r.Cities[c].Name, r.Cities[c].Region
	}
	return heatmap(w, "City × theme", weightUnit(r.Options.Weight), rows, cols, regions, nil,
		func(i, j int) float64 { return r.Matrix.At(order[i], j) })
}

// WriteSimilaritySVG writes the cosine similarity heat map, cities in
// dendrogram order so that clusters show as blocks; with more than
// MaxFigureCities cities, the mean similarity within and between regions.
func (r *Result) WriteSimilaritySVG(w io.Writer) error {
	if len(r.Cities) > MaxFigureCities {
		names, groups := r.regionGroups()
		return heatmap(w, fmt.Sprintf("Mean cosine similarity within and between regions (%d cities)", len(r.Cities)), "cosine similarity", names, names, names, names,
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
			})
	}
	order := r.cityOrder()
	names := make([]string, len(order))
	regions := make([]string, len(order))
	for i, c := range order {
		names[i], regions[i] = r.Cities[c].Name, r.Cities[c].Region
	}
	return heatmap(w, "Cosine similarity of theme profiles", "cosine similarity", names, names, regions, regions,
		func(i, j int) float64 { return r.Similarity.At(order[i], order[j]) })
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
	return nil
}

// glyphThumb is a legend thumbnail: addRegionPoints' mark.
type glyphThumb struct{ c color.Color }

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: g.c, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}, c.Center())
}

// weightUnit is the unit of a weighted profile value, for scales.
func weightUnit(w string) string {
	switch w {
	case WeightShare:
		return "share of passages"
	case WeightBinary:
		return "has the code (1) or not (0)"
	case WeightTFIDF:
		return "tf-idf (rate × idf)"
	default:
		return "matches per 1,000 words"
	}
}

// pointLegend is the legend of addRegionPoints' marks, for a side panel.
func pointLegend(regions []string) func(c draw.Canvas) {
	return func(c draw.Canvas) {
		l := regionLegend(regions, func(region string) plot.Thumbnailer { return glyphThumb{regionColour(region)} })
		l.Draw(draw.Crop(c, vg.Points(6), 0, 0, -vg.Points(24)))
	}
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
	var regions []string
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
		regions = append(regions, region)
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
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min = 0
	return writeWithSide(w, p, math.Min(math.Max(320, 70+24*float64(n)), 1200), 360, 110, pointLegend(regions))
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
	var regions []string
	all := &pointLabels{}
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
		regions = append(regions, region)
		if err := addRegionPoints(p, region, pts); err != nil {
			return err
		}
		if len(r.Cities) > MaxFigureCities {
			continue
		}
		for i, pt := range pts {
			all.points = append(all.points, pt)
			all.names = append(all.names, labels[i])
			all.colours = append(all.colours, regionColour(region))
		}
	}
	if len(all.points) > 0 {
		p.Add(all)
	}
	p.Add(plotter.NewGrid())
	// Room on the right and at the top for the labels of the outermost
	// points, so that every label stays inside the axes.
	x0, x1 := floats.Min(r.PCA.X), floats.Max(r.PCA.X)
	y0, y1 := floats.Min(r.PCA.Y), floats.Max(r.PCA.Y)
	p.X.Min, p.X.Max = x0-0.05*(x1-x0), x1+0.2*(x1-x0)
	p.Y.Min, p.Y.Max = y0-0.05*(y1-y0), y1+0.08*(y1-y0)
	return writeWithSide(w, p, 520, 440, 110, pointLegend(regions))
}

// pointLabels names points on a scatter plot, each label put beside its
// point where it overlaps no label already placed and no other point,
// trying the right first, then left, above, below and the diagonals; a
// label with no free place goes where it overlaps least. Labels are placed
// in the order given, so the figure is the same on every run.
type pointLabels struct {
	points  plotter.XYs
	names   []string
	colours []color.Color
}

// labelGap is the room between a point and its label, in points.
const labelGap = 4

// Plot implements plot.Plotter.
func (l *pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	at := make([]vg.Point, len(l.points))
	sizes := make([]vg.Point, len(l.points))
	styles := make([]draw.TextStyle, len(l.points))
	boxes := make([]vg.Rectangle, len(l.points))
	for i, pt := range l.points {
		at[i] = vg.Point{X: trX(pt.X), Y: trY(pt.Y)}
		styles[i] = draw.TextStyle{Color: l.colours[i], Font: p.X.Tick.Label.Font, Handler: p.X.Tick.Label.Handler}
		styles[i].Font.Size = vg.Points(tickSize)
		boxes[i] = styles[i].Rectangle(l.names[i]) // drawn at (0, 0), lower-left aligned
		sizes[i] = vg.Point{X: boxes[i].Max.X - boxes[i].Min.X, Y: boxes[i].Max.Y - boxes[i].Min.Y}
	}
	for i, r := range placeLabels(at, sizes, c.Rectangle) {
		c.FillText(styles[i], vg.Point{X: r.Min.X - boxes[i].Min.X, Y: r.Min.Y - boxes[i].Min.Y}, l.names[i])
	}
}

// placeLabels returns a box of sizes[i] beside each point at[i], inside
// bounds where it can be, overlapping the boxes placed before it and the
// other points as little as possible (not at all where there is room).
func placeLabels(at, sizes []vg.Point, bounds vg.Rectangle) []vg.Rectangle {
	const marker = 3.5 // the points' glyph radius, with a little room
	gap := vg.Points(labelGap)
	placed := make([]vg.Rectangle, 0, len(at))
	for i, p := range at {
		w, h := sizes[i].X, sizes[i].Y
		// Lower-left corners of the candidate boxes, relative to the point.
		cands := []vg.Point{
			{X: gap, Y: -h / 3},          // right
			{X: -gap - w, Y: -h / 3},     // left
			{X: -w / 2, Y: gap},          // above
			{X: -w / 2, Y: -gap - h},     // below
			{X: gap, Y: gap / 2},         // upper right
			{X: -gap - w, Y: gap / 2},    // upper left
			{X: gap, Y: -gap/2 - h},      // lower right
			{X: -gap - w, Y: -gap/2 - h}, // lower left
		}
		best, bestCost := vg.Rectangle{}, vg.Length(-1)
		for _, d := range cands {
			r := vg.Rectangle{Min: vg.Point{X: p.X + d.X, Y: p.Y + d.Y}}
			r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
			cost := vg.Length(0)
			if r.Min.X < bounds.Min.X || r.Max.X > bounds.Max.X || r.Min.Y < bounds.Min.Y || r.Max.Y > bounds.Max.Y {
				cost += 1e6 // outside the axes: only when nothing else fits
			}
			for _, q := range placed {
				cost += overlap(r, q)
			}
			for j, q := range at {
				if j != i {
					cost += overlap(r, vg.Rectangle{Min: vg.Point{X: q.X - marker, Y: q.Y - marker}, Max: vg.Point{X: q.X + marker, Y: q.Y + marker}})
				}
			}
			if bestCost < 0 || cost < bestCost {
				best, bestCost = r, cost
			}
			if cost == 0 {
				break
			}
		}
		placed = append(placed, best)
	}
	return placed
}

// overlap is the area two rectangles share.
func overlap(a, b vg.Rectangle) vg.Length {
	w := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	h := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}
