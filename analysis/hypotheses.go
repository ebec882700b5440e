package analysis

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/lcity/lcity/corpus"
)

// A hypothesis file states expectations about the two regions as code
// groups: for each city the score is the mean weighted profile over the
// codes of group A minus the mean over group B, and the hypothesis expects
// that score to be higher in one region. Example (the embedded default):
//
//	alpha: 0.05
//	hypotheses:
//	  - id: longworth
//	    title: Collective and unified (Asia-Pacific) against individual and piecemeal (Europe)
//	    source: Longworth (2006)
//	    claim: Asian learning cities are more collective ...
//	    higher_in: Asia-Pacific
//	    a: {label: collective action and one vision, codes: [keyfeatures.families-communities, ...]}
//	    b: {label: individual and piecemeal, codes: [charter.demand, ...]}

//go:embed hypotheses.yaml
var defaultHypotheses []byte

// DefaultHypothesesSource is the name recorded for the embedded file.
const DefaultHypothesesSource = "embedded:hypotheses"

// Hypotheses is a parsed hypothesis file.
type Hypotheses struct {
	Source string
	SHA256 string
	Alpha  float64 // 0: the analysis' alpha
	List   []Hypothesis
}

// Hypothesis compares code group A against code group B between regions.
type Hypothesis struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Source   string   `yaml:"source"`
	Claim    string   `yaml:"claim"`
	HigherIn string   `yaml:"higher_in"`
	A        CodeSet  `yaml:"a"`
	B        CodeSet  `yaml:"b"`
	Line     int      `yaml:"-"`
	Unknown  []string `yaml:"-"` // codes not in the analysis' profile (filled by Analyze)
}

// CodeSet is a labelled group of codes.
type CodeSet struct {
	Label string   `yaml:"label"`
	Codes []string `yaml:"codes"`
}

type yamlHypotheses struct {
	Alpha      float64      `yaml:"alpha"`
	Hypotheses []Hypothesis `yaml:"hypotheses"`
}

// HypothesisError is a problem in a hypothesis file at file:line.
type HypothesisError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *HypothesisError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *HypothesisError) Unwrap() error { return e.Err }

var hypIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// DefaultHypotheses returns the embedded hypotheses: Longworth's and Han
// and Makino's, expressed with the embedded codebooks' codes.
func DefaultHypotheses() *Hypotheses {
	h, err := ParseHypotheses(defaultHypotheses, DefaultHypothesesSource)
	if err != nil {
		panic(fmt.Sprintf("embedded hypotheses: %v", err)) // fixed at build time
	}
	return h
}

// ParseHypotheses decodes a hypothesis file strictly: unknown keys,
// missing fields, duplicate IDs, empty or overlapping groups and regions
// other than Europe or Asia-Pacific are errors naming file:line and field.
func ParseHypotheses(data []byte, file string) (*Hypotheses, error) {
	fail := func(line int, field string, err error) error {
		return &HypothesisError{File: file, Line: line, Field: field, Err: err}
	}
	var y yamlHypotheses
	root, err := corpus.DecodeYAML(data, &y)
	if err != nil {
		var ye *corpus.YAMLError
		if errors.As(err, &ye) {
			return nil, fail(ye.Line, ye.Field, ye.Err)
		}
		return nil, fail(1, "", err)
	}
	lines := corpus.YAMLSequenceLines(root, "hypotheses")
	if y.Alpha < 0 || y.Alpha >= 1 || math.IsNaN(y.Alpha) {
		return nil, fail(1, "alpha", fmt.Errorf("%v: want 0 < alpha < 1", y.Alpha))
	}
	if len(y.Hypotheses) == 0 {
		return nil, fail(1, "hypotheses", errors.New("no hypotheses"))
	}
	sum := sha256.Sum256(data)
	h := &Hypotheses{Source: file, SHA256: hex.EncodeToString(sum[:]), Alpha: y.Alpha}
	seen := map[string]int{}
	for i, x := range y.Hypotheses {
		line := 1
		if i < len(lines) {
			line = lines[i]
		}
		x.Line = line
		switch {
		case !hypIDRE.MatchString(x.ID):
			return nil, fail(line, "id", fmt.Errorf("%q: want lower-case letters, digits, - or _", x.ID))
		case seen[x.ID] > 0:
			return nil, fail(line, "id", fmt.Errorf("duplicate id %q (first at line %d)", x.ID, seen[x.ID]))
		case strings.TrimSpace(x.Title) == "":
			return nil, fail(line, "title", errors.New("missing"))
		case x.HigherIn != corpus.RegionEurope && x.HigherIn != corpus.RegionAsiaPacific:
			return nil, fail(line, "higher_in", fmt.Errorf("%q: want %s or %s", x.HigherIn, corpus.RegionEurope, corpus.RegionAsiaPacific))
		}
		seen[x.ID] = line
		inA := map[string]bool{}
		for _, g := range []struct {
			name string
			set  CodeSet
		}{{"a", x.A}, {"b", x.B}} {
			if strings.TrimSpace(g.set.Label) == "" {
				return nil, fail(line, g.name+".label", errors.New("missing"))
			}
			if len(g.set.Codes) == 0 {
				return nil, fail(line, g.name+".codes", errors.New("no codes"))
			}
			dup := map[string]bool{}
			for _, c := range g.set.Codes {
				switch {
				case !strings.Contains(c, "."):
					return nil, fail(line, g.name+".codes", fmt.Errorf("%q: want codebook.code", c))
				case dup[c]:
					return nil, fail(line, g.name+".codes", fmt.Errorf("%q listed twice", c))
				case g.name == "b" && inA[c]:
					return nil, fail(line, "b.codes", fmt.Errorf("%q is in both groups", c))
				}
				dup[c] = true
				if g.name == "a" {
					inA[c] = true
				}
			}
		}
		h.List = append(h.List, x)
	}
	return h, nil
}

// Verdicts of a hypothesis test.
const (
	VerdictSupported    = "supported"
	VerdictNotSupported = "not supported"
	VerdictMixed        = "mixed"
	VerdictNotTested    = "not tested"
)

// HypothesisResult is the test of one hypothesis.
type HypothesisResult struct {
	Hypothesis Hypothesis
	// Statistic is the region difference of the city scores (A − B) in
	// the expected direction: mean in HigherIn minus mean in the other.
	Statistic float64
	// Delta is Cliff's delta of the scores, HigherIn against the other.
	Delta float64
	P     float64 // one-sided permutation p of Delta (rank-sum test)
	// PA and PB test the groups alone: A higher in HigherIn, B higher in
	// the other region (one-sided).
	PA, PB   float64
	Alpha    float64
	Verdict  string
	Reason   string
	Evidence map[string][]Quote // region → strongest passages for the hypothesis' codes
}

// Quote is a passage quoted as evidence.
type Quote struct {
	City, PassageID, Text string
	Page                  int
	Codes                 []string
	Score                 float64
	// doc and start place the passage in reading order, which breaks
	// ties between equal scores (passage IDs are hashes, not positions).
	doc   string
	start int
}

func (r *Result) testHypotheses() {
	if r.Hypotheses == nil {
		return
	}
	alpha := r.Options.Alpha
	if r.Hypotheses.Alpha > 0 {
		alpha = r.Hypotheses.Alpha
	}
	col := map[string]int{}
	for j, c := range r.Codes {
		col[c.ID] = j
	}
	eu, ap := r.regionIdx()
	for _, h := range r.Hypotheses.List {
		res := HypothesisResult{Hypothesis: h, Alpha: alpha, P: math.NaN(), PA: math.NaN(), PB: math.NaN()}
		var ja, jb []int
		for _, c := range h.A.Codes {
			if j, ok := col[c]; ok {
				ja = append(ja, j)
			} else {
				res.Hypothesis.Unknown = append(res.Hypothesis.Unknown, c)
			}
		}
		for _, c := range h.B.Codes {
			if j, ok := col[c]; ok {
				jb = append(jb, j)
			} else {
				res.Hypothesis.Unknown = append(res.Hypothesis.Unknown, c)
			}
		}
		hi, lo := ap, eu
		if h.HigherIn == corpus.RegionEurope {
			hi, lo = eu, ap
		}
		switch {
		case len(ja) == 0 || len(jb) == 0:
			res.Verdict, res.Reason = VerdictNotTested, "none of the codes of a group is in the profile (is its codebook in use?)"
		case len(hi) < 2 || len(lo) < 2:
			res.Verdict, res.Reason = VerdictNotTested, "fewer than two cities in a region"
		default:
			score := func(rows []int, ja, jb []int) []float64 {
				out := make([]float64, len(rows))
				for k, i := range rows {
					out[k] = r.groupMean(i, ja) - r.groupMean(i, jb)
				}
				return out
			}
			sh, sl := score(hi, ja, jb), score(lo, ja, jb)
			res.Statistic = mean(sh) - mean(sl)
			res.Delta = CliffDelta(sh, sl)
			res.P = OneSidedDeltaP(sh, sl, r.Options.Permutations, rng(r.Options.Seed, "hypothesis:"+h.ID))
			ah, al := score(hi, ja, nil), score(lo, ja, nil)
			res.PA = OneSidedDeltaP(ah, al, r.Options.Permutations, rng(r.Options.Seed, "hypothesis-a:"+h.ID))
			bh, bl := score(hi, jb, nil), score(lo, jb, nil)
			res.PB = OneSidedDeltaP(bl, bh, r.Options.Permutations, rng(r.Options.Seed, "hypothesis-b:"+h.ID))
			switch {
			case res.P < alpha:
				res.Verdict = VerdictSupported
				res.Reason = fmt.Sprintf("the score A − B is higher in %s (p = %.4f < %.2f)", h.HigherIn, res.P, alpha)
			case res.PA < alpha || res.PB < alpha:
				res.Verdict = VerdictMixed
				res.Reason = fmt.Sprintf("the difference A − B is not significant (p = %.4f), but one group alone differs as expected (p_A = %.4f, p_B = %.4f)", res.P, res.PA, res.PB)
			default:
				res.Verdict = VerdictNotSupported
				res.Reason = fmt.Sprintf("no significant difference in the expected direction (p = %.4f, p_A = %.4f, p_B = %.4f)", res.P, res.PA, res.PB)
			}
		}
		res.Evidence = map[string][]Quote{}
		for _, region := range []string{corpus.RegionEurope, corpus.RegionAsiaPacific} {
			res.Evidence[region] = r.evidence(h.ID, region, 3)
		}
		r.HypothesisTests = append(r.HypothesisTests, res)
	}
}

// groupMean is the mean of city row i over the columns js (0 when js is
// empty, so that score(rows, ja, nil) is group A alone).
func (r *Result) groupMean(i int, js []int) float64 {
	if len(js) == 0 {
		return 0
	}
	s := 0.0
	for _, j := range js {
		s += r.Matrix.At(i, j)
	}
	return s / float64(len(js))
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// evidence returns the n passages of the region with the highest total
// score over the hypothesis' codes, one per city at most, so that the
// quotes show breadth (ties: the earlier passage in document ID and
// reading order).
func (r *Result) evidence(hypID, region string, n int) []Quote {
	var qs []Quote
	for key, q := range r.Summary.hypBest {
		if key[0] == hypID && key[1] == region {
			qs = append(qs, q)
		}
	}
	sort.Slice(qs, func(i, j int) bool { return better(qs[i].Score, qs[i].doc, qs[i].start, qs[j]) })
	if len(qs) > n {
		qs = qs[:n]
	}
	return qs
}

// OneSidedP is the permutation p-value of mean(a) − mean(b) being at least
// as large as observed: exact when there are at most n distinct splits of
// the pooled values, else over n random splits (see splitP).
func OneSidedP(a, b []float64, n int, g interface{ Shuffle(int, func(int, int)) }) float64 {
	return splitP(a, b, n, g, func(d float64) float64 { return d })
}
