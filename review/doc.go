// Package review is the store of human coding decisions: review.sqlite in
// a workspace, an append-only log of who decided what about which code on
// which passage, and the current state derived from it.
//
//	s, err := review.Open(filepath.Join(dir, review.FileName))
//	if err != nil {
//		return err // an *OpenError naming the file for a foreign or corrupt one
//	}
//	defer s.Close()
//	d, err := review.ParseDecision(body) // what the browser posted
//	if err == nil {
//		err = d.CheckAuto(autoCoded) // accept/reject need an auto coding
//	}
//	if err != nil {
//		return err // wraps review.ErrInvalid: answer 400
//	}
//	d.Coder = coder // --coder, or review.DefaultCoder()
//	if d, err = s.Record(ctx, d); err != nil {
//		return err
//	}
//	// committed and on disk: acknowledge d.Seq to the browser
//	st, err := s.State(ctx, passageByID)
//	reviewed := review.Apply(autoCodings, st) // auto ∪ added − rejected − removed
//	hash := st.Hash()                         // for run.json
//
// # Schema (version 2, PRAGMA user_version; PRAGMA application_id 0x4C435256)
//
//	coders    (id INTEGER PRIMARY KEY, name TEXT UNIQUE)
//	decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT (RFC 3339 UTC,
//	           TimeLayout), coder_id → coders, passage_id, code_id,
//	           action accept|reject|add|remove, span_start, span_end
//	           (0-based code points, half-open; both NULL = whole passage),
//	           memo, request_id UNIQUE when not NULL)
//
// Triggers refuse every UPDATE and DELETE of both tables, so the log is
// append-only whoever opens the file. Migrations are a list of SQL scripts,
// each run in one transaction that also sets user_version, from 0 (an empty
// file) upward; a released one is never edited.
//
// # Why SQLite, WAL and synchronous=FULL
//
// A decision is a person's work and is acknowledged only after Record has
// committed it. SQLite gives atomic, durable commits in one file that
// travels with the workspace, and modernc.org/sqlite is pure Go, so no C
// toolchain is needed. In WAL mode readers (the web UI, analysis) never
// block the writer nor see a half-written transaction. WAL with
// synchronous=NORMAL already survives a killed process, but a commit may
// be lost if the machine loses power before the next checkpoint;
// synchronous=FULL syncs the log on every commit, so an acknowledged
// decision survives that too (at the price of one fsync per decision,
// which BenchmarkRecord measures). busy_timeout lets another lcity process
// (an import while serve runs) wait for the write lock instead of failing.
//
// Open never resets or repairs a file: one that is not SQLite, fails
// PRAGMA quick_check, has another application_id (or is someone's
// SQLite database without one), or has a newer schema version is refused
// with an *OpenError that names the file and wraps ErrNotDatabase,
// ErrCorrupt, ErrForeign or ErrNewerSchema, and the checks read the file
// through a read-only connection, so it is left byte for byte as it was.
//
// # Replay
//
// The state is derived by replaying the log in sequence order (the order
// of commits; times are informative). A decision is about a Key: a code on
// the whole passage, or on one span of it. For each coder, a key's state
// is that coder's last decision on it; the merged state is the last
// decision on the key by any coder (the most recent judgement wins), and
// Conflicts lists keys where coders' own last decisions differ. Apply
// turns the merged state and the auto-coder's codings into the reviewed
// coding: auto ∪ added − rejected − removed (see Apply for the details).
// Accept and reject judge the auto-coder's whole-passage coding and take
// no span; whether the auto-coder gave that code is the caller's to check
// (Decision.CheckAuto) when it records the decision, and an accept of a
// code it did not give (say, after a rerun with another codebook) changes
// nothing. Tallies counts, per code, what the review did, for the report.
//
// # Orphans
//
// A decision whose passage no longer exists (after a rerun changed the
// text), or whose span runs past the passage's length in code points, is
// an orphan: State lists it with the reason and leaves it out of the
// state, and the log keeps it, so it applies again if the passage comes
// back. Nothing is ever dropped; Hash covers orphans too.
//
// Store is safe for use by many goroutines: writes go through one
// connection in commit order, reads through a pool.
package review
