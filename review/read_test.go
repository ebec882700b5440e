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
