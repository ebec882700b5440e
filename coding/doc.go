// Package coding parses codebooks of themes and codes passages against them.
//
// A codebook is a YAML file (see CODEBOOK.md) of codes, each with terms:
// words and phrases, each word matching itself and its regular plurals and
// possessive, case-insensitively (on English Snowball stems instead with
// stem: true); trailing-* prefixes; "exact forms" in double quotes;
// /regular expressions/ (RE2) counted on word boundaries; and
// "A NEAR/n B" proximity rules. Exclude terms veto a code in a passage.
// Parse validates strictly and compiles the terms once. Coding is one
// pass over a passage's tokens whatever the number of codebooks, codes
// and terms (set.go): CodeAll compiles the codebooks it is given into one
// matcher, kept for the next passage. Every term made of words is a path
// of a word trie, entered at each token by the token's word form (each
// form a plain word matches is a key), stem, exact form or first three
// letters (prefixes), and followed as long as the next tokens continue a
// phrase. A regular expression whose language is finite (most are
// alternations of word forms, like /(increasingly|more) (diverse|
// multicultural)/, possibly ending in \w*) is spelt out into a literal
// trie over bytes, each string with its rank in regexp's leftmost-first
// order, so the match found at a word is the one regexp would return
// (one that may not begin a word is matched from every byte, as
// regexp's FindAll would): nine in ten of the embedded codebooks'
// expressions. The others are tried with regexp, anchored, only at the
// words that can begin one of their matches (their possible first
// strings); one that looks behind (^, \b) or may begin with a non-word
// character is searched over the whole text, skipped in passages lacking
// every string its matches need (TestSetCompilesEmbedded). NEAR pairs,
// exclusions, overlaps and min_matches are decided on the matches
// collected. TestSetAgreesOnSample, TestSetAgreesRandom and FuzzSetAgrees
// check all of it against the matcher it replaced (kept as the reference
// in reference_test.go); TestRegexShortcuts and FuzzRegexShortcuts check
// the expressions against trying every word.
//
// The tries are lcity's own rather than an Aho–Corasick library (such as
// github.com/coregx/ahocorasick): matches may start only at words, each
// term or expression reports all its matches independently of the others
// (a library's leftmost-first or leftmost-longest mode keeps one match
// among all patterns), the preference among an expression's strings is
// per expression, and words compare by plural, stem or prefix, not bytes.
// Walking a trie from each word start does this in a few lines, with no
// failure links, and costs about as much as one map lookup per word.
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
