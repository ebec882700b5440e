package learn

import (
	"fmt"
	"math/rand/v2"
)

// CrossValidate gives each example the probabilities of a model trained
// without it: the examples are shuffled with seed and dealt into folds,
// and each fold is predicted by a model fitted on the other folds. The
// result is in example order.
func CrossValidate(examples []Example, codes []string, folds int, seed uint64, opt Options) ([]map[string]float64, error) {
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
		var train []Example
		for i, e := range examples {
			if fold[i] != f {
				train = append(train, e)
			}
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
