// Package analysis turns codings into city × theme profiles and compares
// them: cosine similarity between cities (gonum), mean similarity within
// and between Europe and Asia-Pacific with a seeded permutation test,
// per-code region contrasts (means, Cliff's delta and the rank-sum
// permutation test of that delta, Benjamini–Hochberg p_adj), average-linkage clustering, a PCA map
// (gonum/stat), code × region and code × year tables, code co-occurrence,
// tests of hypotheses stated as code groups (hypotheses.yaml), a check of
// the human-named focus themes against the profiles (the share of themes
// found in each city's top third and an AUC, both against a permutation
// baseline), and a report in Markdown and self-contained HTML (rendered
// by goldmark, text from the corpus escaped) with SVG figures drawn by
// gonum/plot.
//
// The analysis works on a Summary: per-city, per-code and per-code-pair
// counts plus the few passages the report quotes, whose size does not grow
// with the number of passages. A corpus in memory is summarised by
// Analyze; the pipeline streams passages into NewSummary and calls
// AnalyzeSummary:
//
//	res, err := analysis.Analyze(&analysis.Input{Documents: docs, Passages: ps, Codings: cs, Codes: codes},
//		analysis.Options{Weight: analysis.WeightRate, Seed: 1})
//	err = res.WriteSimilarity(w)
//
// The work grows linearly in cities at a fixed number of permutations,
// apart from one pass over the pairs of cities (the similarity matrix and
// what is read from it): the region test sums unit-normalised profile
// rows per region instead of visiting all pairs in every relabelling,
// Cliff's delta comes from rank sums, the per-code tests permute ranks in
// O(cities), PCA is gonum's thin SVD of the cities × codes matrix, and
// average linkage runs the direct O(n³) algorithm up to
// DirectLinkageCities and a nearest-neighbour chain (O(n²), hand-written:
// gonum has no hierarchical clustering) above it. The figures show regions
// instead of cities above MaxFigureCities.
//
// Every random choice comes from a generator seeded from Options.Seed and
// the test's name, so results are identical on every run; the per-code
// and hypothesis permutation tests enumerate every relabelling when there
// are no more than Options.Permutations of them, the others draw
// Options.Permutations random ones.
package analysis
