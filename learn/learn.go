package learn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"gonum.org/v1/gonum/optimize"

	"github.com/lcity/lcity/corpus"
)

// FormatVersion is the version of the model file format.
const FormatVersion = 1

// Options set the fit.
type Options struct {
	// Lambda is the L2 penalty on the weights (not the intercept); 0 means
	// DefaultLambda.
	Lambda float64
	// MinCount is the number of training passages a word or word pair must
	// appear in to become a feature; 0 means DefaultMinCount.
	MinCount int
}

// Defaults for Options.
const (
	DefaultLambda   = 0.01
	DefaultMinCount = 2
)

func (o Options) withDefaults() Options {
	if o.Lambda <= 0 {
		o.Lambda = DefaultLambda
	}
	if o.MinCount <= 0 {
		o.MinCount = DefaultMinCount
	}
	return o
}

// Example is a passage coded by people, with the dictionary's codings of
// it and the codes the people gave it.
type Example struct {
	Passage    corpus.Passage
	Dictionary []corpus.Coding
	Codes      map[string]bool
}

// Bag is a passage's features: names with values.
type Bag map[string]float64

// Features are the features of a passage given the dictionary's codings
// of it: "s:stem" for each word's English Snowball stem and "b:stem stem"
// for each pair of adjacent words (1 when present), "d:code" (1) and
// "n:code" (log(1 + matches)) for each dictionary code, "t:code term" for
// each term that matched, and "h:stem" for the words of the passage's
// section heading. Stems let a model
// see "partners" and "partnership" as one clue; unlike the dictionary's
// terms, a feature only ever adds evidence to be weighed.
func Features(p corpus.Passage, dict []corpus.Coding) Bag {
	b := Bag{}
	words := Words(p.Text)
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = english.Stem(w, true)
		b["s:"+stems[i]] = 1
		if i > 0 {
			b["b:"+stems[i-1]+" "+stems[i]] = 1
		}
	}
	for _, w := range Words(p.Section) {
		b["h:"+english.Stem(w, true)] = 1
	}
	for _, c := range dict {
		b["d:"+c.CodeID] = 1
		b["n:"+c.CodeID] = math.Log1p(float64(len(c.Evidence)))
		for _, e := range c.Evidence {
			b["t:"+c.CodeID+" "+e.Term] = 1
		}
	}
	return b
}

// Words are the lower-cased words of s: runs of letters and digits, with
// an apostrophe inside a word kept and a final possessive 's dropped.
func Words(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				j += n
				continue
			}
			if r == '\'' || r == '’' {
				if r2, _ := utf8.DecodeRuneInString(s[j+n:]); j+n < len(s) && unicode.IsLetter(r2) {
					j += n
					continue
				}
			}
			break
		}
		w := strings.ToLower(s[i:j])
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		out = append(out, w)
		i = j
	}
	return out
}

// Model is one classifier per code over a shared vocabulary of features.
type Model struct {
	Version int `json:"version"`
	// Codes are the code IDs, in codebook order.
	Codes  []string `json:"codes"`
	Lambda float64  `json:"lambda"`
	// MinCount is the feature threshold the vocabulary was built with.
	MinCount int `json:"min_count"`
	// Features are the feature names, sorted.
	Features []string `json:"features"`
	// Classifiers hold, per code, the intercept and one weight per
	// feature.
	Classifiers []Classifier `json:"classifiers"`
	// Examples is the number of training passages.
	Examples int `json:"examples"`
	// Dictionary names the codebooks (name@SHA-256) whose matches are
	// features; the caller sets it, and must apply the model with the same
	// codebooks.
	Dictionary []string `json:"dictionary"`

	index map[string]int
}

// Classifier is a code's logistic regression.
type Classifier struct {
	Code      string    `json:"code"`
	Positives int       `json:"positives"`
	Intercept float64   `json:"intercept"`
	Weights   []float64 `json:"weights"`
}

// sparse is an example as feature indexes and values.
type sparse struct {
	idx []int
	val []float64
}

// encode turns a bag into feature indexes in increasing order (so sums
// are taken in a fixed order and give the same bits every time).
func (m *Model) encode(b Bag) sparse {
	var s sparse
	for name, v := range b {
		if i, ok := m.index[name]; ok && v != 0 {
			s.idx = append(s.idx, i)
			s.val = append(s.val, v)
		}
	}
	sortSparse(&s)
	return s
}

// Train fits a classifier for each code of codes on the examples. Codes
// that no example has, or that every example has, get an intercept only.
func Train(examples []Example, codes []string, opt Options) (*Model, error) {
	if len(examples) == 0 {
		return nil, errors.New("learn: no training passages")
	}
	opt = opt.withDefaults()
	bags := make([]Bag, len(examples))
	df := map[string]int{}
	for i, e := range examples {
		bags[i] = Features(e.Passage, e.Dictionary)
		for f := range bags[i] {
			df[f]++
		}
	}
	m := &Model{Version: FormatVersion, Codes: codes, Lambda: opt.Lambda, MinCount: opt.MinCount, Examples: len(examples)}
	for f, n := range df {
		if n >= opt.MinCount || strings.HasPrefix(f, "d:") || strings.HasPrefix(f, "n:") {
			m.Features = append(m.Features, f)
		}
	}
	sort.Strings(m.Features)
	m.buildIndex()
	xs := make([]sparse, len(bags))
	for i, b := range bags {
		xs[i] = m.encode(b)
	}
	for _, code := range codes {
		y := make([]bool, len(examples))
		pos := 0
		for i, e := range examples {
			y[i] = e.Codes[code]
			if y[i] {
				pos++
			}
		}
		free := map[int]bool{}
		for _, f := range []string{"d:" + code, "n:" + code} {
			if i, ok := m.index[f]; ok {
				free[i] = true
			}
		}
		c, err := fit(xs, y, len(m.Features), opt.Lambda, free)
		if err != nil {
			return nil, fmt.Errorf("learn: code %s: %w", code, err)
		}
		c.Code, c.Positives = code, pos
		m.Classifiers = append(m.Classifiers, c)
	}
	return m, nil
}

func sortSparse(s *sparse) {
	order := make([]int, len(s.idx))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return s.idx[order[a]] < s.idx[order[b]] })
	idx, val := make([]int, len(order)), make([]float64, len(order))
	for k, o := range order {
		idx[k], val[k] = s.idx[o], s.val[o]
	}
	s.idx, s.val = idx, val
}

func (m *Model) buildIndex() {
	m.index = make(map[string]int, len(m.Features))
	for i, f := range m.Features {
		m.index[f] = i
	}
}

// fit minimises the class-balanced mean log-loss plus lambda/2 ||w||²
// over the weights not in free: a code's own dictionary features (whether
// its terms matched, and how often) are not penalised, so the model starts
// from the dictionary's judgement and learns where to depart from it.
func fit(xs []sparse, y []bool, dim int, lambda float64, free map[int]bool) (Classifier, error) {
	n := float64(len(xs))
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == len(y) {
		// One class only: the intercept says so, the weights are zero.
		p := (float64(pos) + 0.5) / (n + 1)
		return Classifier{Intercept: math.Log(p / (1 - p)), Weights: make([]float64, dim)}, nil
	}
	// Balanced weights: each class carries half of the loss.
	wPos, wNeg := n/(2*float64(pos)), n/(2*(n-float64(pos)))
	loss := func(theta, grad []float64) float64 {
		b, w := theta[0], theta[1:]
		if grad != nil {
			for i := range grad {
				grad[i] = 0
			}
		}
		total := 0.0
		for i, x := range xs {
			z := b
			for k, j := range x.idx {
				z += w[j] * x.val[k]
			}
			cw, t := wNeg, 0.0
			if y[i] {
				cw, t = wPos, 1
			}
			// log(1 + e^z) − t·z, computed stably.
			total += cw * (softplus(z) - t*z)
			if grad != nil {
				g := cw * (sigmoid(z) - t) / n
				grad[0] += g
				for k, j := range x.idx {
					grad[1+j] += g * x.val[k]
				}
			}
		}
		total /= n
		for j, v := range w {
			if free[j] {
				continue
			}
			total += lambda / 2 * v * v
			if grad != nil {
				grad[1+j] += lambda * v
			}
		}
		return total
	}
	p := optimize.Problem{
		Func: func(theta []float64) float64 { return loss(theta, nil) },
		Grad: func(grad, theta []float64) { loss(theta, grad) },
	}
	settings := &optimize.Settings{GradientThreshold: 1e-7, MajorIterations: 500}
	res, err := optimize.Minimize(p, make([]float64, dim+1), settings, &optimize.LBFGS{})
	if err != nil && res == nil {
		return Classifier{}, err
	}
	return Classifier{Intercept: res.X[0], Weights: append([]float64(nil), res.X[1:]...)}, nil
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

// Predict returns each code's probability for a passage's features.
func (m *Model) Predict(b Bag) map[string]float64 {
	x := m.encode(b)
	out := make(map[string]float64, len(m.Classifiers))
	for _, c := range m.Classifiers {
		z := c.Intercept
		for k, j := range x.idx {
			z += c.Weights[j] * x.val[k]
		}
		out[c.Code] = sigmoid(z)
	}
	return out
}

// Threshold is the probability at which a passage is coded.
const Threshold = 0.5

// Write writes the model as JSON, numbers in their shortest exact form, so
// the same model gives the same bytes.
func (m *Model) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}

// Read reads a model written by Write and checks it.
func Read(r io.Reader) (*Model, error) {
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if m.Version != FormatVersion {
		return nil, fmt.Errorf("model: format version %d, want %d", m.Version, FormatVersion)
	}
	if !sort.StringsAreSorted(m.Features) {
		return nil, errors.New("model: features not sorted")
	}
	if len(m.Classifiers) != len(m.Codes) {
		return nil, fmt.Errorf("model: %d classifiers for %d codes", len(m.Classifiers), len(m.Codes))
	}
	for i, c := range m.Classifiers {
		if c.Code != m.Codes[i] || len(c.Weights) != len(m.Features) {
			return nil, fmt.Errorf("model: classifier %d (%s) does not fit the codes and features", i, c.Code)
		}
		if math.IsNaN(c.Intercept) || math.IsInf(c.Intercept, 0) {
			return nil, fmt.Errorf("model: classifier %s: intercept %v", c.Code, c.Intercept)
		}
		for _, v := range c.Weights {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("model: classifier %s: weight %v", c.Code, v)
			}
		}
	}
	m.buildIndex()
	return &m, nil
}

// String summarises a model.
func (m *Model) String() string {
	return "model of " + strconv.Itoa(len(m.Codes)) + " codes over " + strconv.Itoa(len(m.Features)) + " features from " + strconv.Itoa(m.Examples) + " passages"
}
