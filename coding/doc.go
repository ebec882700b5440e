// Package coding parses codebooks of themes and codes passages against them.
//
// A codebook is a YAML file (see CODEBOOK.md) of codes, each with terms:
// words and phrases matched on English Snowball stems, trailing-* prefixes,
// "exact forms" in double quotes, and "A NEAR/n B" proximity rules; exclude
// terms veto a code in a passage. Parse validates strictly and compiles the
// terms once into a matcher that looks candidates up by each token, so
// coding is linear in the text whatever the number of terms:
//
//	cb, err := coding.Load("charter") // or a path to a YAML file
//	if err != nil { ... }
//	for _, c := range cb.Code(passage) {
//		fmt.Println(c.CodeID, c.Evidence[0].Term)
//	}
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
