package analysis

import (
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Merge is one step of the hierarchical clustering: clusters A and B
// (indexes: 0..n-1 are the cities, n+k is the cluster made at step k) join
// at Height (average 1 − cosine between their members).
type Merge struct {
	A, B   int
	Height float64
	Size   int
}

// Cluster is the average-linkage (UPGMA) hierarchical clustering of the
// cities on the distance 1 − cosine similarity, and the order of the
// cities along its dendrogram.
type Cluster struct {
	Merges []Merge
	Order  []int // city indexes, leaves of the dendrogram from left to right
}

// DirectLinkageCities is the most cities AverageLinkage clusters with the
// direct algorithm (every step scans all pairs of clusters and averages
// their members' distances: O(n³)); above it, the nearest-neighbour chain
// (O(n²) time, one n(n−1)/2 distance table), which builds the same UPGMA
// tree (average linkage is reducible, so the reciprocal nearest
// neighbours the chain merges are merges of the direct algorithm too).
// The two can differ only where distances tie (the direct algorithm
// prefers the pair of smaller cluster indexes, within 1e-12) and in the
// last bits of the heights (the chain updates average distances by the
// Lance–Williams formula instead of re-averaging the members). Up to this
// size, which is also where the figures stop naming cities
// (MaxFigureCities), outputs stay those of the direct algorithm; the
// tests check that both agree on the sample and on generated profiles.
const DirectLinkageCities = MaxFigureCities

// AverageLinkage clusters the rows of the similarity matrix sim by average
// linkage on 1 − sim. Ties are broken by the smaller cluster indexes, so
// the result is deterministic. Above DirectLinkageCities it uses the
// nearest-neighbour chain (see there).
func AverageLinkage(sim *mat.SymDense) Cluster {
	if sim.SymmetricDim() > DirectLinkageCities {
		return chainLinkage(sim)
	}
	return directLinkage(sim)
}

// directLinkage is the textbook average-linkage clustering, O(n³).
func directLinkage(sim *mat.SymDense) Cluster {
	n := sim.SymmetricDim()
	if n == 0 {
		return Cluster{}
	}
	type node struct {
		members []int
		id      int
	}
	active := make([]node, n)
	for i := range active {
		active[i] = node{members: []int{i}, id: i}
	}
	dist := func(a, b node) float64 {
		s := 0.0
		for _, i := range a.members {
			for _, j := range b.members {
				s += 1 - sim.At(i, j)
			}
		}
		return s / float64(len(a.members)*len(b.members))
	}
	var c Cluster
	children := map[int][2]int{}
	for next := n; len(active) > 1; next++ {
		bi, bj, best := 0, 1, math.Inf(1)
		for i := 0; i < len(active); i++ {
			for j := i + 1; j < len(active); j++ {
				if d := dist(active[i], active[j]); d < best-1e-12 {
					bi, bj, best = i, j, d
				}
			}
		}
		a, b := active[bi], active[bj]
		merged := node{members: append(append([]int{}, a.members...), b.members...), id: next}
		c.Merges = append(c.Merges, Merge{A: a.id, B: b.id, Height: math.Max(best, 0), Size: len(merged.members)})
		children[next] = [2]int{a.id, b.id}
		active[bi] = merged
		active = append(active[:bj], active[bj+1:]...)
	}
	c.Order = leafOrder(n, children, active[0].id)
	return c
}

// leafOrder lists the leaves under root from left to right.
func leafOrder(n int, children map[int][2]int, root int) []int {
	var order []int
	var walk func(id int)
	walk = func(id int) {
		if id < n {
			order = append(order, id)
			return
		}
		ch := children[id]
		walk(ch[0])
		walk(ch[1])
	}
	walk(root)
	return order
}

// chainLinkage is average linkage by the nearest-neighbour chain
// algorithm with Lance–Williams updates: O(n²) time and one n × n table
// of distances (rows are scanned whole, so the table is square rather
// than a triangle: scanning a column of a triangle misses the cache at
// every step, which made 6,400 cities 3–5 times slower). Hand-written:
// neither gonum nor a maintained Go module in reach offers hierarchical
// clustering. A cluster lives in the slot of its smallest city index; the
// merges, found in chain order, are sorted by height (stable, so equal
// heights keep the order they were found in, children before parents) and
// numbered as the direct algorithm numbers them, the cluster holding the
// smaller city index first.
func chainLinkage(sim *mat.SymDense) Cluster {
	n := sim.SymmetricDim()
	if n == 0 {
		return Cluster{}
	}
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := 1 - sim.At(i, j)
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	size := make([]int, n)
	height := make([]float64, n) // height of the cluster in each slot
	active := make([]bool, n)
	for i := range size {
		size[i], active[i] = 1, true
	}
	type found struct {
		a, b int // slots, a < b; the merged cluster keeps slot a
		h    float64
		size int
	}
	merges := make([]found, 0, n-1)
	chain := make([]int, 0, n)
	next := 0 // smallest slot that may still be active
	for len(merges) < n-1 {
		if len(chain) == 0 {
			for !active[next] {
				next++
			}
			chain = append(chain, next)
		}
		var x, y int
		for {
			x = chain[len(chain)-1]
			row := d[x*n : (x+1)*n]
			prev := -1
			if len(chain) >= 2 {
				prev = chain[len(chain)-2]
			}
			// Nearest active neighbour of x; the previous link of the
			// chain wins ties (so the chain ends), then the smaller slot.
			y = -1
			best := math.Inf(1)
			if prev >= 0 {
				y, best = prev, row[prev]
			}
			for j, v := range row {
				if v < best && j != x && active[j] {
					y, best = j, v
				}
			}
			if y == prev {
				break
			}
			chain = append(chain, y)
		}
		chain = chain[:len(chain)-2]
		a, b := min(x, y), max(x, y)
		h := math.Max(d[a*n+b], math.Max(height[a], height[b])) // keep heights monotone through rounding
		sa, sb := float64(size[a]), float64(size[b])
		ra, rb := d[a*n:(a+1)*n], d[b*n:(b+1)*n]
		for k := range ra {
			if k == a || k == b || !active[k] {
				continue
			}
			v := (sa*ra[k] + sb*rb[k]) / (sa + sb)
			ra[k], d[k*n+a] = v, v
		}
		active[b] = false
		size[a] += size[b]
		height[a] = h
		merges = append(merges, found{a: a, b: b, h: h, size: size[a]})
	}
	sort.SliceStable(merges, func(i, j int) bool { return merges[i].h < merges[j].h })
	// Number the clusters: id[s] is the cluster now in slot s.
	id := make([]int, n)
	for i := range id {
		id[i] = i
	}
	var c Cluster
	children := map[int][2]int{}
	for k, m := range merges {
		c.Merges = append(c.Merges, Merge{A: id[m.a], B: id[m.b], Height: math.Max(m.h, 0), Size: m.size})
		children[n+k] = [2]int{id[m.a], id[m.b]}
		id[m.a] = n + k
	}
	c.Order = leafOrder(n, children, n+len(merges)-1)
	return c
}

// PCAMap is the cities projected on the first two principal components of
// the (centred) weighted profile matrix.
type PCAMap struct {
	X, Y      []float64 // per city
	Explained [2]float64
	// Loadings are the components' weights of each code (in the
	// profile's code order), with the sign used for X and Y: a code with a
	// large positive loading on PC1 pulls cities to the right.
	Loadings [2][]float64
	OK       bool
}

// PCA computes the map with gonum/stat. Each component's sign is fixed so
// that its largest loading is positive, which makes the map reproducible.
func PCA(m *mat.Dense) PCAMap {
	n, k := m.Dims()
	if n < 3 || k < 2 {
		return PCAMap{}
	}
	var pc stat.PC
	if ok := pc.PrincipalComponents(m, nil); !ok {
		return PCAMap{}
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	total := 0.0
	for _, v := range vars {
		total += v
	}
	_, nc := vecs.Dims()
	if nc < 2 || total <= 0 {
		return PCAMap{}
	}
	means := make([]float64, k)
	for j := 0; j < k; j++ {
		for i := 0; i < n; i++ {
			means[j] += m.At(i, j) / float64(n)
		}
	}
	out := PCAMap{X: make([]float64, n), Y: make([]float64, n), OK: true}
	for c := 0; c < 2; c++ {
		sign, big := 1.0, 0.0
		for j := 0; j < k; j++ {
			if v := vecs.At(j, c); math.Abs(v) > big+1e-12 {
				big, sign = math.Abs(v), math.Copysign(1, v)
			}
		}
		out.Loadings[c] = make([]float64, k)
		for j := 0; j < k; j++ {
			out.Loadings[c][j] = vecs.At(j, c) * sign
		}
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < k; j++ {
				s += (m.At(i, j) - means[j]) * vecs.At(j, c) * sign
			}
			if c == 0 {
				out.X[i] = s
			} else {
				out.Y[i] = s
			}
		}
		out.Explained[c] = vars[c] / total
	}
	return out
}

// Crosstab is one cell of a code × group table: the codings of a code
// among the cities of one region or award year.
type Crosstab struct {
	CodeID   string
	By       string // "region" or "year"
	Group    string
	Cities   int // cities in the group
	WithCode int // of which coded at least once
	Passages int // passages of the group coded with the code
	Matches  int
	Words    int     // words of the group
	Rate     float64 // matches per 1,000 words, pooled over the group
}

func (r *Result) crosstabs() {
	k := len(r.Codes)
	type key struct{ by, group string }
	groups := map[key][]int{}
	for i, c := range r.Cities {
		groups[key{"region", c.Region}] = append(groups[key{"region", c.Region}], i)
		y := "unknown"
		if c.Year > 0 {
			y = strconv.Itoa(c.Year)
		}
		groups[key{"year", y}] = append(groups[key{"year", y}], i)
	}
	keys := make([]key, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].by != keys[j].by {
			return keys[i].by > keys[j].by // region before year
		}
		return keys[i].group < keys[j].group
	})
	for j, code := range r.Codes {
		for _, g := range keys {
			x := Crosstab{CodeID: code.ID, By: g.by, Group: g.group, Cities: len(groups[g])}
			for _, i := range groups[g] {
				p := r.Profiles[i*k+j]
				if p.Matches > 0 {
					x.WithCode++
				}
				x.Passages += p.Passages
				x.Matches += p.Matches
				x.Words += r.Cities[i].Words
			}
			if x.Words > 0 {
				x.Rate = 1000 * float64(x.Matches) / float64(x.Words)
			}
			r.Crosstabs = append(r.Crosstabs, x)
		}
	}
}

// CoOccurrence counts the passages coded with both of two codes.
type CoOccurrence struct {
	A, B         string
	Both         int
	OnlyA, OnlyB int     // passages with A (B) but not the other
	Jaccard      float64 // Both / (passages with A or B)
}

func (r *Result) cooccurrence() {
	k := len(r.Codes)
	count, both := r.Summary.codeCount, r.Summary.pairs
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			n := both[a*k+b] + both[b*k+a]
			c := CoOccurrence{A: r.Codes[a].ID, B: r.Codes[b].ID, Both: n, OnlyA: count[a] - n, OnlyB: count[b] - n}
			if u := count[a] + count[b] - n; u > 0 {
				c.Jaccard = float64(n) / float64(u)
			}
			r.CoOccurrences = append(r.CoOccurrences, c)
		}
	}
}
