// Package learn codes passages by example: it fits one regularised
// logistic-regression classifier per code from passages people coded (a
// gold file), on the passages' words and word pairs and on the
// dictionary's own matches, and then gives every passage a probability for
// each code. NVivo calls this coding by existing patterns.
//
//	m, err := learn.Train(examples, codes, learn.Options{})
//	…
//	p := m.Predict(learn.Features(passage, dictionaryCodings)) // code → probability
//
// The fit is L2-regularised maximum likelihood by L-BFGS (gonum
// optimize), single-threaded and started from zero, so the same examples
// give the same model bytes (Model.Write) on the same platform. Features:
// the Snowball stems of the lower-cased words and of adjacent word pairs
// seen in at least MinCount training passages, each 1 when present; the
// stems of the section heading; for each dictionary code, 1 when the
// dictionary coded the passage with it, log(1 + matches), and 1 for each of
// its terms that matched. A code's own dictionary features are not
// penalised, so the model starts from the dictionary's judgement. Each
// example's weight balances the two classes of a code (a rare code is not
// drowned by its negatives), and a passage is coded when its probability
// is at least 0.5.
//
// CrossValidate gives each passage the probabilities of a model fitted
// without it; LearningCurve repeats that with each fold's model fitted on a
// seeded share of its training passages, to tell whether more coded
// passages would still help.
//
// The classifier is written here rather than taken from a machine
// learning library because the project needs byte-reproducible models from
// a few hundred examples with a fixed, documented feature set; gonum
// supplies the optimiser.
package learn
