// Package workspace owns an lcity workspace on disk (the folder --out
// names): its file names and formats, the run manifest (run.json), the
// lock, and consistent reading.
//
//	l, err := workspace.Acquire(dir, workspace.Shared, 0) // a reader
//	if err != nil {
//		return err // wraps ErrLocked while a writer runs
//	}
//	defer l.Release()
//	m, err := workspace.ReadManifest(dir)
//	...
//	read, err := workspace.Scan(dir, true, func(p corpus.Passage, cs []corpus.Coding) error {
//		return nil // one passage and its codings at a time
//	})
//	if err == nil {
//		err = m.CheckRead(read) // nothing derived from a file edited by hand
//	}
//
// Contracts:
//
//   - Every file is written by WriteFile: to a temporary name, synced,
//     made 0644, renamed into place. It returns the file's SHA-256, and
//     the stage that wrote a file records it in run.json (Manifest.SetOutputs);
//     no other code records an output's hash, so run, verify and diff all
//     compare a file with what its writer wrote.
//   - The lock is held by the kernel (flock on Unix, LockFileEx on
//     Windows) on the file .lcity.lock, which is never deleted: Exclusive
//     for writers (run, ingest, code, index, analyze), Shared for readers
//     (search, kwic, export, eval, verify, diff, and the web UI while it
//     opens a snapshot). A process that dies releases it.
//   - A writer, once it holds the Exclusive lock, removes what a killed
//     writer left (RemoveLeftovers): temporary files, spools, staging
//     folders.
//   - A Snapshot keeps its files and index open for its life, so a reader
//     that outlives a run (the web UI) answers from one run at a time and
//     learns from Stale when to open the next.
package workspace
