package review

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestReadLog: ReadLog never creates or changes the file, sees decisions a
// store that is still open has committed, and refuses what Open refuses.
func TestReadLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if _, err := ReadLog(ctx, path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadLog(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadLog created %s", path)
	}
	s, err := Open(path, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{Coder: "ana", PassageID: "p1", CodeID: "c", Action: Reject},
		{Coder: "bo", PassageID: "p2", CodeID: "c", Action: Add, Span: &Span{1, 4}, Memo: "m"},
	}
	for i, d := range want {
		if want[i], err = s.Record(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// Still open: the decisions may be in the write-ahead log only.
	got, err := ReadLog(ctx, path)
	if err != nil || len(got) != len(want) || Hash(got) != Hash(want) {
		t.Fatalf("ReadLog(open store) = %+v, %v; want %+v", got, err, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = ReadLog(ctx, path); err != nil || Hash(got) != Hash(want) {
		t.Fatalf("ReadLog(closed store) = %+v, %v; want %+v", got, err, want)
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("ReadLog changed %s (%v)", path, err)
	}
	// A file Open refuses is refused, and left as it is.
	junk := filepath.Join(dir, "junk.sqlite")
	write(t, junk, bytes.Repeat([]byte("not sqlite "), 100))
	var oe *OpenError
	if _, err := ReadLog(ctx, junk); !errors.As(err, &oe) || !errors.Is(err, ErrNotDatabase) {
		t.Errorf("ReadLog(junk) = %v, want an *OpenError wrapping ErrNotDatabase", err)
	}
}

// TestReadLogV1: a store of schema version 1 (before request IDs) is read
// as it is, and not migrated by reading.
func TestReadLogV1(t *testing.T) {
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
	db.Close()
	ds, err := ReadLog(context.Background(), path)
	if err != nil || len(ds) != 1 || ds[0].Coder != "ana" || ds[0].Span == nil || *ds[0].Span != (Span{2, 9}) || ds[0].Memo != "v1 memo" {
		t.Fatalf("ReadLog(v1 store) = %+v, %v", ds, err)
	}
	db = rawDB(t, path)
	if v := pragma(t, db, "user_version"); v != "1" {
		t.Errorf("user_version after ReadLog = %s, want 1 (reading does not migrate)", v)
	}
}

// FuzzReadLog: whatever bytes review.sqlite holds, ReadLog returns
// decisions that validate or an error, never panics, and leaves the file
// as it was. The seeds are a real store, the same store with bytes flipped
// across its pages, and junk.
func FuzzReadLog(f *testing.F) {
	dir := f.TempDir()
	s, err := Open(filepath.Join(dir, FileName), WithClock(fixedClock()))
	if err != nil {
		f.Fatal(err)
	}
	for i := range 20 {
		d := Decision{Coder: "ana", PassageID: "p" + string(rune('a'+i)), CodeID: "c", Action: Add, Span: &Span{i, i + 3}, Memo: "m"}
		if _, err := s.Record(context.Background(), d); err != nil {
			f.Fatal(err)
		}
	}
	s.Close()
	good, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	for _, at := range []int{100, 4096 + 8, 2*4096 + 40, len(good) - 10} {
		if at < len(good) {
			bad := bytes.Clone(good)
			bad[at] ^= 0xff
			f.Add(bad)
		}
	}
	f.Add([]byte("SQLite format 3\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, err := ReadLog(context.Background(), path)
		if err == nil {
			for _, d := range ds {
				if d.Action != Accept && d.Action != Reject && d.Action != Add && d.Action != Remove {
					t.Errorf("ReadLog returned a decision with action %q", d.Action)
				}
			}
		}
		after, rerr := os.ReadFile(path)
		if rerr != nil || !bytes.Equal(after, data) {
			t.Errorf("ReadLog changed the file (%v)", rerr)
		}
	})
}
