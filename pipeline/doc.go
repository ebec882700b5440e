// Package pipeline owns a run of lcity: its configuration, the staged and
// cancellable stream from the corpus to the workspace (ingest → code →
// index → analyse), the extraction cache, the run manifest (run.json),
// and the operations on finished workspaces — verify, diff, eval, kwic,
// search and export. The lcity command is flags and printing over it; the
// web UI and any other front end call it too.
//
//	cfg := pipeline.Default() // the embedded sample, the embedded codebooks
//	cfg.Out = dir             // the workspace
//	cfg.Analysis.Permutations = 999
//	res, err := pipeline.Run(ctx, cfg) // ErrPartial when some inputs failed
//	if err != nil && !errors.Is(err, pipeline.ErrPartial) {
//		return err
//	}
//	fmt.Println(res.Documents, "documents,", len(res.Failures), "failures")
//
// Run takes the workspace's Exclusive lock (package workspace), removes
// what an interrupted run left there, hashes every input file once, and
// does nothing when run.json already records the same tool, settings,
// codebooks, hypotheses and inputs with every output intact. Otherwise a
// bounded pool of workers extracts and codes one input file at a time, a
// single sink writes each document and feeds the index writer and the
// analysis summary, and the sorted outputs are assembled at the end, so
// memory never holds the corpus and the bytes written do not depend on
// the number of workers. Ingest, Code, Index and Analyze run the stages
// one at a time; each records the outputs it wrote, and only those, in
// run.json, and removes the outputs of later stages made from its old
// ones. With a gold coding (CodingConfig.Gold) the code stage first learns
// a model from the gold's passages (package learn) and codes with the
// codebooks and the model; Evaluate measures a coding against a gold file,
// cross-validated when asked.
//
// Errors: a *UsageError is the user's (a bad setting, corpus manifest,
// codebook, hypotheses or gold file, a workspace file edited by hand);
// ErrPartial means some inputs failed and every other document was
// written; an error wrapping workspace.ErrLocked means another lcity
// process holds the workspace; anything else is the environment's (the
// workspace cannot be written, the disk is full) or a bug.
package pipeline
