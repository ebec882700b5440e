// Package corpus holds lcity's data model: the documents, passages, codes,
// codings and profiles that flow between the stages, the corpus manifest
// (corpus.yaml), and the embedded illustrative sample corpus.
//
// Every stage imports corpus; corpus imports no other package of the module.
// The types are plain values with snake_case JSON names, so they can be
// written to and read from the workspace files described in DESIGN.md:
//
//	m, err := corpus.ParseManifest(r, "corpus.yaml")
//	for _, e := range m.Entries {
//		fmt.Println(e.City, e.Region, e.File)
//	}
//
// The files these types are written to, and their formats, belong to
// package workspace.
//
// The sample corpus (Sample) is written by the lcity authors in their own
// words from public facts about each city. It is an illustrative sample, not
// UNESCO or UIL text.
package corpus
