package coding

// TermCodebook is a codebook of one code, "term", whose only term is term
// written as in a codebook: a word matches itself and its regular
// inflections, word* is a prefix, "a phrase", /a regular expression/,
// A NEAR/n B. lcity kwic searches a word with it, so a word is found
// where the codebooks would find it ("art" is not found in
// "participation"). A term the codebook syntax refuses is an *Error.
func TermCodebook(term string) (*Codebook, error) {
	y := yamlCodebook{Name: "term", Codes: []yamlCode{{ID: "term", Label: term, Terms: []string{term}}}}
	return build(y, []byte(term), "term", func(int, string) int { return 1 })
}
