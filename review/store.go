package review

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// FileName is the review store's file name inside a workspace.
const FileName = "review.sqlite"

// ApplicationID is the value of PRAGMA application_id in every review store
// ("LCRV" in ASCII): a SQLite file without it was not made by lcity.
const ApplicationID = 0x4C435256

// busyTimeout is how long a statement waits for another connection's or
// process's write lock before it fails with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// Sentinel errors that Open wraps; callers branch on them with errors.Is.
// Open never repairs, resets or overwrites a file that fails these checks.
var (
	ErrNotDatabase = errors.New("not an SQLite database")
	ErrCorrupt     = errors.New("corrupt SQLite database")
	ErrForeign     = errors.New("an SQLite database that lcity did not make")
	ErrNewerSchema = errors.New("made by a newer lcity")
)

// OpenError is the error Open returns for a file that is not a usable
// review store: it names the file and says what is wrong with it.
type OpenError struct {
	Path    string
	Problem string // what is wrong, for a person
	Err     error  // one of the sentinels above, or the underlying cause
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("review store %s: %s (lcity leaves the file as it is; move it away to start a new store)", e.Path, e.Problem)
}

func (e *OpenError) Unwrap() error { return e.Err }

// Store is an open review store: an append-only log of coding decisions in
// an SQLite database. It is safe for use by many goroutines, and several
// processes may open the same file (SQLite's locks serialise their writes).
type Store struct {
	path string
	w    *sql.DB // one connection: every write goes through it, in order
	r    *sql.DB // readers; in WAL mode they never wait for the writer
	now  func() time.Time
}

// Option configures Open.
type Option func(*Store)

// WithClock makes the store take decision times from now instead of
// time.Now (tests use it for reproducible logs).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the review store at path, creating it when the file does not
// exist (or is empty), and brings its schema up to date. A file that is not
// an SQLite database, is corrupt, belongs to another application or was
// made by a newer lcity is refused with an *OpenError and left untouched.
func Open(path string, opts ...Option) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("review store %s: %w", path, err)
	}
	s := &Store{path: abs, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if err := check(abs); err != nil {
		return nil, err
	}
	// The writer runs BEGIN IMMEDIATE, so a write transaction takes the
	// lock before it reads and never fails half-way on an upgrade.
	s.w, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("review store %s: %w", abs, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetConnMaxIdleTime(0)
	if err := s.init(); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("review store %s: %w", abs, err)
	}
	s.r.SetMaxOpenConns(4)
	return s, nil
}

// Path is the absolute path of the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the store; SQLite checkpoints the write-ahead log into the
// main file when the last connection closes.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// dsn is the driver's name for the file: a SQLite URI (so that a path
// with '?' or '#' in it stays a path) with the connection's settings.
// synchronous=FULL makes every commit wait for the WAL to reach the disk,
// so an acknowledged decision survives a power cut, not just a crash.
func dsn(path string, readOnly bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + q.Encode()
}

// sqliteMagic opens every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// check refuses a file that Open must not touch, reading it without
// writing: through a read-only connection, which neither creates the file
// nor checkpoints a write-ahead log into it.
func check(path string) error {
	fail := func(problem string, err error) error { return &OpenError{Path: path, Problem: problem, Err: err} }
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("review store %s: %w", path, err)
	}
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	var size int64
	if fi, serr := f.Stat(); serr == nil {
		size = fi.Size()
	}
	f.Close()
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil // an empty file is an empty database
	case n < len(head) || !bytes.Equal(head[:len(sqliteMagic)], sqliteMagic):
		return fail(fmt.Sprintf("not an SQLite database (a file of %d bytes without SQLite's header)", size), ErrNotDatabase)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("review store %s: %w", path, err)
	}
	defer db.Close()
	var appID, version, tables int64
	err = db.QueryRow(`PRAGMA application_id`).Scan(&appID)
	if err == nil {
		err = db.QueryRow(`PRAGMA user_version`).Scan(&version)
	}
	if err == nil {
		err = db.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&tables)
	}
	if err != nil {
		return fail(fmt.Sprintf("%v: cannot be read (%v)", ErrCorrupt, err), errors.Join(ErrCorrupt, err))
	}
	switch {
	case appID != ApplicationID && (appID != 0 || tables > 0 || version != 0):
		return fail(fmt.Sprintf("%v (application_id %#x, want %#x; %d schema objects)", ErrForeign, appID, ApplicationID, tables), ErrForeign)
	case version > int64(len(migrations)):
		return fail(fmt.Sprintf("schema version %d %s (this one knows versions up to %d); use that lcity or a newer one", version, ErrNewerSchema, len(migrations)), ErrNewerSchema)
	}
	if err := quickCheck(db); err != nil {
		return fail(fmt.Sprintf("%v: %v", ErrCorrupt, err), errors.Join(ErrCorrupt, err))
	}
	if version == int64(len(migrations)) {
		return checkSchema(db, path)
	}
	return nil
}

// quickCheck runs PRAGMA quick_check and returns its complaints (the
// first five) as an error.
func quickCheck(db *sql.DB) error {
	rows, err := db.Query(`PRAGMA quick_check(5)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	return fmt.Errorf("quick_check: %s", strings.Join(msgs, "; "))
}

// init switches the file to WAL mode and migrates it to the current
// schema.
func (s *Store) init() error {
	ctx := context.Background()
	var mode string
	if err := s.w.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil {
		return fmt.Errorf("review store %s: set WAL mode: %w", s.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("review store %s: the file system does not support SQLite's WAL mode (journal mode %q)", s.path, mode)
	}
	if err := migrate(ctx, s.w, len(migrations)); err != nil {
		return fmt.Errorf("review store %s: %w", s.path, err)
	}
	return checkSchema(s.w, s.path)
}

// checkSchema makes sure the objects the current schema has exist: a file
// with lcity's application_id but without them was damaged by hand.
func checkSchema(db *sql.DB, path string) error {
	for _, name := range schemaObjects {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("review store %s: %w", path, err)
		}
		if n != 1 {
			return &OpenError{Path: path, Problem: fmt.Sprintf("%v: schema object %q is missing", ErrCorrupt, name), Err: ErrCorrupt}
		}
	}
	return nil
}
