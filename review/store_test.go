package review

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixedClock returns a clock that starts at a fixed time and advances one
// second a call.
func fixedClock() func() time.Time {
	t := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// rawDB opens path with the driver directly, as another program would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pragma(t testing.TB, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func TestOpenSettings(t *testing.T) {
	s, _ := openTemp(t)
	for _, tc := range []struct {
		db         *sql.DB
		name, want string
	}{
		{s.w, "journal_mode", "wal"},
		{s.w, "foreign_keys", "1"},
		{s.w, "synchronous", "2"}, // FULL
		{s.w, "busy_timeout", "10000"},
		{s.r, "query_only", "1"},
		{s.r, "foreign_keys", "1"},
		{s.w, "application_id", "1279480406"},
		{s.w, "user_version", "2"},
	} {
		if got := pragma(t, tc.db, tc.name); got != tc.want {
			t.Errorf("PRAGMA %s = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSchemaGolden pins the schema a new store gets, so that a change to
// a released migration shows up as a diff (go test -run Schema -update).
func TestSchemaGolden(t *testing.T) {
	s, _ := openTemp(t)
	rows, err := s.r.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		b.WriteString("-- " + typ + " " + name + "\n" + text + "\n\n")
	}
	golden := filepath.Join("testdata", "schema.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./review -run Schema -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("schema differs from %s:\n%s", golden, b.String())
	}
}

func TestAppendOnly(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p1", CodeID: "c.a", Action: Add}); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, stmt := range []string{
		`UPDATE decisions SET action = 'remove'`,
		`DELETE FROM decisions`,
		`UPDATE coders SET name = 'bob'`,
		`DELETE FROM coders`,
		`INSERT INTO decisions (at, coder_id, passage_id, code_id, action) VALUES ('x', 99, 'p', 'c', 'add')`,
		`INSERT INTO decisions (at, coder_id, passage_id, code_id, action) VALUES ('x', 1, 'p', 'c', 'delete')`,
		`INSERT INTO decisions (at, coder_id, passage_id, code_id, action, span_start, span_end) VALUES ('x', 1, 'p', 'c', 'add', 5, 5)`,
	} {
		// foreign keys are a per-connection setting: turn them on as lcity does.
		if _, err := db.Exec(`PRAGMA foreign_keys = 1; ` + stmt); err == nil {
			t.Errorf("%s succeeded, want it refused", stmt)
		}
	}
	ds, err := s.Decisions(ctx)
	if err != nil || len(ds) != 1 || ds[0].Action != Add {
		t.Errorf("Decisions() = %v, %v; want the one add", ds, err)
	}
}

func TestReopenKeepsDecisions(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	var want []Decision
	for i, a := range []Action{Accept, Reject, Add, Remove} {
		d := Decision{Coder: "ana", PassageID: "p", CodeID: "c", Action: a, Memo: "m" + string(rune('0'+i))}
		if a == Add || a == Remove {
			d.Span = &Span{Start: i, End: i + 3}
		}
		got, err := s.Record(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, got)
	}
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Decisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if Hash(got) != Hash(want) || len(got) != len(want) {
		t.Errorf("after reopening: %v, want %v", got, want)
	}
}

// TestMigrateFromV1 makes a version 1 store as the first release of the
// schema left it, with a decision in it, and opens it.
func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	db := rawDB(t, path)
	if _, err := db.Exec(`PRAGMA journal_mode = WAL`); err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO coders (name) VALUES ('ana');
		INSERT INTO decisions (at, coder_id, passage_id, code_id, action, span_start, span_end, memo)
		VALUES ('2025-01-02T03:04:05.000000Z', 1, 'p1', 'charter.inclusion', 'add', 2, 9, 'v1 memo')`); err != nil {
		t.Fatal(err)
	}
	if v := pragma(t, db, "user_version"); v != "1" {
		t.Fatalf("user_version = %s, want 1", v)
	}
	db.Close()

	s, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatalf("Open(v1 file): %v", err)
	}
	defer s.Close()
	if v := pragma(t, s.w, "user_version"); v != "2" {
		t.Errorf("user_version after migration = %s, want 2", v)
	}
	ds, err := s.Decisions(context.Background())
	want := Decision{Seq: 1, At: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Coder: "ana", PassageID: "p1",
		CodeID: "charter.inclusion", Action: Add, Span: &Span{2, 9}, Memo: "v1 memo"}
	if err != nil || len(ds) != 1 || !sameContent(ds[0], want) || ds[0].Seq != 1 || !ds[0].At.Equal(want.At) {
		t.Fatalf("Decisions() = %+v, %v; want %+v", ds, err, want)
	}
	// version 2's request IDs work on the migrated file
	d := Decision{Coder: "ana", PassageID: "p1", CodeID: "c", Action: Accept, RequestID: "r1"}
	first, err := s.Record(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Record(context.Background(), d)
	if err != nil || again.Seq != first.Seq || first.Seq != 2 {
		t.Errorf("Record twice with request r1: seq %d then %d (%v), want 2 both times", first.Seq, again.Seq, err)
	}
}

// TestOpenRefuses checks that a file that is not a usable store is refused
// with an error naming it and the problem, and is not changed.
func TestOpenRefuses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	for _, tc := range []struct {
		name     string
		make     func(t *testing.T, path string)
		sentinel error
		words    string
	}{
		{"random bytes", func(t *testing.T, path string) { write(t, path, random) }, ErrNotDatabase, "not an SQLite database"},
		{"short text", func(t *testing.T, path string) { write(t, path, []byte("passage_id,code_id\n")) }, ErrNotDatabase, "not an SQLite database"},
		{"SQLite header then garbage", func(t *testing.T, path string) {
			write(t, path, append([]byte("SQLite format 3\x00"), random...))
		}, ErrCorrupt, "corrupt"},
		{"truncated", func(t *testing.T, path string) {
			full := filledStore(t, path)
			write(t, path, full[:len(full)/2])
		}, ErrCorrupt, "corrupt"},
		{"damaged page", func(t *testing.T, path string) {
			b := filledStore(t, path)
			copy(b[7*4096:], random[:2000]) // the header and cells of a leaf page of decisions
			write(t, path, b)
		}, ErrCorrupt, "corrupt"},
		{"another application", sqlOn(false, `PRAGMA application_id = 0x12345678; CREATE TABLE notes (x)`),
			ErrForeign, "application_id 0x12345678"},
		{"plain SQLite database", sqlOn(false, `CREATE TABLE decisions (x)`), ErrForeign, "application_id 0x0"},
		{"newer schema", sqlOn(true, `PRAGMA user_version = 99`), ErrNewerSchema, "schema version 99"},
		{"table dropped by hand", sqlOn(true, `DROP INDEX decisions_passage`), ErrCorrupt, `"decisions_passage" is missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			tc.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded, want an error", tc.name)
			}
			t.Logf("Open: %v", err)
			var oe *OpenError
			if !errors.As(err, &oe) || !errors.Is(err, tc.sentinel) {
				t.Errorf("Open = %v, want an *OpenError wrapping %v", err, tc.sentinel)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, tc.words) {
				t.Errorf("Open = %q, want it to name %s and say %q", msg, path, tc.words)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("Open changed the file (%d bytes → %d)", len(before), len(after))
			}
		})
	}
}

// sqlOn returns a maker of a file on which another program ran stmts: on
// a new review store when store is true, else on a new SQLite database.
func sqlOn(store bool, stmts string) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		if store {
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}
		db := rawDB(t, path)
		if _, err := db.Exec(stmts); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// filledStore makes a closed store at path with enough decisions for
// several pages, and returns its bytes.
func filledStore(t *testing.T, path string) []byte {
	t.Helper()
	s, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		d := Decision{Coder: "ana", PassageID: "passage-" + strings.Repeat("x", i%50), CodeID: "c", Action: Add,
			Span: &Span{i, i + 10}, Memo: strings.Repeat("memo ", 10)}
		if _, err := s.Record(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 8*4096 {
		t.Fatalf("store is %d bytes, want several pages", len(b))
	}
	return b
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	write(t, path, nil)
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(empty file) = %v, want a new store", err)
	}
	s.Close()
}
