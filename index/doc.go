// Package index keeps the Bleve full-text index of passages: the text under
// Bleve's English analyzer, and city, region, year, section and the codes
// assigned by coding as keyword fields for filters and facets.
//
//	err := index.Build(ctx, "lcity-out/index.bleve", passages, codesByPassage)
//	x, err := index.Open("lcity-out/index.bleve")
//	res, err := x.Search(ctx, index.Query{Q: "kominkan", Region: "Asia-Pacific"})
//
// Writer builds an index passage by passage in shards of ShardSize
// passages, so that building needs the memory of one shard; Open searches
// the shards together through an index alias. Commit gives the index's
// folders and files the modes of the other outputs (0755, 0644) before
// putting it in place; Bleve creates them 0700 and 0600.
//
// Queries use Bleve's query-string syntax (phrases, +/-, field:value, fuzzy
// ~, wildcards, /regexps/); a query the parser rejects, and what the
// searcher would reject (a bad regexp, fuzziness above 2, AND/NOT, which
// are no operators there, a wildcard matching too many terms), is a
// *QueryError: the user's error, not the index's.
package index
