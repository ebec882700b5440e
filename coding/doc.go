// Package coding parses codebooks of themes and codes passages against them.
//
// A codebook is a YAML file (see CODEBOOK.md) of codes, each with terms:
// words and phrases, each word matching itself and its regular plurals and
// possessive, case-insensitively (on English Snowball stems instead with
// stem: true); trailing-* prefixes; "exact forms" in double quotes;
// /regular expressions/ (RE2) counted on word boundaries; and
// "A NEAR/n B" proximity rules. Exclude terms veto a code in a passage.
// Parse validates strictly and compiles the terms once into a matcher that
// looks candidates up by each token (every word form a term matches is
// indexed), so coding is linear in the text whatever the number of terms.
// A regular expression is tried, anchored, only at the words that can
// begin one of its matches (its possible first strings, from its syntax
// tree); one that looks behind (^, \b) or may begin with a non-word
// character is searched over the whole text, skipped in passages lacking
// every string its matches need. Go's regexp costs text × expression
// size, so these shortcuts are what keeps 144 expressions affordable;
// TestRegexShortcuts and FuzzRegexShortcuts check them against trying
// every word:
//
//	cb, err := coding.Load("charter") // or a path to a YAML file
//	if err != nil { ... }
//	for _, c := range cb.Code(passage) {
//		fmt.Println(c.CodeID, c.Evidence[0].Term)
//	}
//
// Explain reports every match of every term and exclude term in a passage,
// before min_matches and exclusion decide the codings: what lcity codebook
// show --forms counts.
//
// LIWC .dic files and quanteda-style YAML dictionaries load as codebooks
// too (ParseFile, dictionary.go). agree.go computes the agreement of the
// coding with a human gold file: precision, recall, F1, Cohen's kappa and
// Krippendorff's alpha.
//
// The embedded codebooks charter, keyfeatures and drivers are lcity's own
// paraphrases of the Learning Cities Charter, UNESCO's Key Features of
// Learning Cities, and the joint conditions behind learning cities.
package coding
