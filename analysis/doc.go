// Package analysis turns codings into city × theme profiles and compares
// them: cosine similarity between cities (gonum), mean similarity within
// and between Europe and Asia-Pacific with a seeded permutation test,
// per-code region contrasts (means, Cliff's delta, permutation p,
// Benjamini–Hochberg p_adj), and a report in Markdown and self-contained
// HTML with an SVG heatmap.
//
//	res, err := analysis.Analyze(&analysis.Input{Documents: docs, Passages: ps, Codings: cs, Codes: codes},
//		analysis.Options{Weight: analysis.WeightRate, Seed: 1})
//	err = res.WriteSimilarity(w)
//
// Every random choice comes from a generator seeded from Options.Seed and
// the test's name, so results are identical on every run.
package analysis
