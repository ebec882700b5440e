package review

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings a store from schema version i to i+1 (PRAGMA
// user_version). A released migration is never edited: a change to the
// schema is a new entry at the end.
var migrations = []string{
	// 1: the log. Coders are named once; decisions refer to them. The
	// triggers make both tables append-only, whoever writes to the file.
	`PRAGMA application_id = ` + fmt.Sprint(ApplicationID) + `;
CREATE TABLE coders (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (length(name) > 0)
);
CREATE TABLE decisions (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	at         TEXT NOT NULL,
	coder_id   INTEGER NOT NULL REFERENCES coders (id),
	passage_id TEXT NOT NULL CHECK (length(passage_id) > 0),
	code_id    TEXT NOT NULL CHECK (length(code_id) > 0),
	action     TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'add', 'remove')),
	span_start INTEGER,
	span_end   INTEGER,
	memo       TEXT NOT NULL DEFAULT '',
	CHECK ((span_start IS NULL) = (span_end IS NULL)),
	CHECK (span_start IS NULL OR (span_start >= 0 AND span_start < span_end))
);
CREATE INDEX decisions_passage ON decisions (passage_id, code_id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: no UPDATE'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only: no DELETE'); END;
CREATE TRIGGER coders_no_update BEFORE UPDATE ON coders
BEGIN SELECT RAISE(ABORT, 'review coders are append-only: no UPDATE'); END;
CREATE TRIGGER coders_no_delete BEFORE DELETE ON coders
BEGIN SELECT RAISE(ABORT, 'review coders are append-only: no DELETE'); END;`,

	// 2: a client's request ID, so that a browser retrying a POST whose
	// answer it lost does not record the decision twice.
	`ALTER TABLE decisions ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX decisions_request ON decisions (request_id) WHERE request_id IS NOT NULL;`,
}

// schemaObjects are the tables, indexes and triggers of the current schema.
var schemaObjects = []string{
	"coders", "decisions", "decisions_passage", "decisions_request",
	"decisions_no_update", "decisions_no_delete", "coders_no_update", "coders_no_delete",
}

// migrate brings db up to schema version target, one transaction per
// migration, so that a crash leaves the file at one version or the next.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate: %w", err)
		}
		if v >= target {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate schema %d → %d: %w", v, v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate schema %d → %d: %w", v, v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate schema %d → %d: %w", v, v+1, err)
		}
	}
}
