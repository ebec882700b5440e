// Package index keeps the Bleve full-text index of passages: the text under
// Bleve's English analyzer, and city, region, year, section and the codes
// assigned by coding as keyword fields for filters and facets.
//
//	err := index.Build(ctx, "lcity-out/index.bleve", passages, codesByPassage)
//	x, err := index.Open("lcity-out/index.bleve")
//	res, err := x.Search(ctx, index.Query{Q: "kominkan", Region: "Asia-Pacific"})
//
// Queries use Bleve's query-string syntax (phrases, +/-, field:value, fuzzy
// ~, wildcards); a query the parser rejects is a *QueryError.
package index
