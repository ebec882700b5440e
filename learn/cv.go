package learn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// CrossValidate gives each example the probabilities of a model trained
// without it: the examples are shuffled with seed and dealt into folds,
// and each fold is predicted by a model fitted on the other folds. The
// result is in example order.
func CrossValidate(examples []Example, codes []string, folds int, seed uint64, opt Options) ([]map[string]float64, error) {
	return crossValidate(examples, codes, folds, seed, opt, nil)
}

// CurvePoint is one point of a learning curve: the cross-validated
// probabilities of models fitted on a share of each training set.
type CurvePoint struct {
	// Fraction is the share of each fold's training passages kept.
	Fraction float64
	// Train is the number of training passages of the first fold's model
	// (the folds differ by at most one passage).
	Train int
	// Probs holds, per repeat, each example's probabilities in example
	// order, as CrossValidate gives them.
	Probs [][]map[string]float64
}

// LearningCurve cross-validates as CrossValidate does (the same folds of
// the same seed), but fits each fold's model on a random share of its
// training passages only, once per fraction and repeat: the test passages
// stay the same, so the points differ only in how much the model learned
// from. The share of a fold is drawn by a shuffle seeded from seed, the
// repeat and the fold, so a curve is reproducible. A fraction of 1 uses
// every training passage and is not repeated (it is CrossValidate).
func LearningCurve(examples []Example, codes []string, folds int, seed uint64, fractions []float64, repeats int, opt Options) ([]CurvePoint, error) {
	if repeats < 1 {
		return nil, fmt.Errorf("learn: %d repeats; want at least 1", repeats)
	}
	var out []CurvePoint
	for _, frac := range fractions {
		if !(frac > 0 && frac <= 1) {
			return nil, fmt.Errorf("learn: training fraction %v; want more than 0 and at most 1", frac)
		}
		pt := CurvePoint{Fraction: frac}
		n := repeats
		if frac == 1 {
			n = 1
		}
		for r := range n {
			keep := func(fold int, train []int) []int {
				k := int(math.Round(frac * float64(len(train))))
				if k < 1 {
					k = 1
				}
				if fold == 0 {
					pt.Train = k
				}
				if k == len(train) {
					return train
				}
				s := seed + uint64(r+1)*0x100000001b3 + uint64(fold)
				perm := rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)).Perm(len(train))
				sub := make([]int, k)
				for j := range sub {
					sub[j] = train[perm[j]]
				}
				sort.Ints(sub)
				return sub
			}
			probs, err := crossValidate(examples, codes, folds, seed, opt, keep)
			if err != nil {
				return nil, fmt.Errorf("fraction %v: %w", frac, err)
			}
			pt.Probs = append(pt.Probs, probs)
		}
		out = append(out, pt)
	}
	return out, nil
}

// crossValidate is CrossValidate, with keep (when not nil) choosing the
// training passages of each fold from its indexes, in example order.
func crossValidate(examples []Example, codes []string, folds int, seed uint64, opt Options, keep func(fold int, train []int) []int) ([]map[string]float64, error) {
	if folds < 2 || folds > len(examples) {
		return nil, fmt.Errorf("learn: %d folds for %d passages; want 2 to %d", folds, len(examples), len(examples))
	}
	order := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)).Perm(len(examples))
	fold := make([]int, len(examples))
	for k, i := range order {
		fold[i] = k % folds
	}
	out := make([]map[string]float64, len(examples))
	for f := range folds {
		var idx []int
		for i := range examples {
			if fold[i] != f {
				idx = append(idx, i)
			}
		}
		if keep != nil {
			idx = keep(f, idx)
		}
		train := make([]Example, len(idx))
		for k, i := range idx {
			train[k] = examples[i]
		}
		m, err := Train(train, codes, opt)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f+1, err)
		}
		for i, e := range examples {
			if fold[i] == f {
				out[i] = m.Predict(Features(e.Passage, e.Dictionary))
			}
		}
	}
	return out, nil
}
