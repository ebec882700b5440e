package review

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// ReadLog returns the log of the review store at path in sequence order
// without writing to it: no file is created (a missing one is an error
// wrapping fs.ErrNotExist), no schema is migrated and no write-ahead log is
// checkpointed, so the analysis, exports and verify can read a workspace's
// decisions while the web UI records more. A file Open would refuse is
// refused with the same *OpenError; one of an older schema is read as it
// is (the columns it lacks read as empty).
func ReadLog(ctx context.Context, path string) ([]Decision, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("review store %s: %w", path, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("review store: %w", err)
	}
	if fi.Size() == 0 {
		return nil, nil // an empty file is an empty store (Open would make it one)
	}
	if err := check(abs); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath()+
		"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("review store %s: %w", abs, err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return nil, fmt.Errorf("review store %s: %w", abs, err)
	}
	if version == 0 {
		return nil, nil // no schema yet: no decisions
	}
	query := selectDecisions + ` ORDER BY d.seq`
	if version < 2 {
		// Before schema 2 there were no request IDs.
		query = `SELECT d.seq, d.at, c.name, d.passage_id, d.code_id, d.action,
	d.span_start, d.span_end, d.memo, ''
	FROM decisions d JOIN coders c ON c.id = d.coder_id ORDER BY d.seq`
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("review store %s: read decisions: %w", abs, err)
	}
	defer rows.Close()
	var ds []Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("review store %s: read decisions: %w", abs, err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review store %s: read decisions: %w", abs, err)
	}
	return ds, nil
}
