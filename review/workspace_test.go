package review

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestSurvivesLeftoverCleanup: a writer (run, code …) cleans the workspace
// of what a killed writer left while the web UI may hold the review store
// open; the store, its write-ahead log and shared memory are not leftovers.
func TestSurvivesLeftoverCleanup(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p1", CodeID: "c", Action: Reject}); err != nil {
		t.Fatal(err)
	}
	removed, err := workspace.RemoveLeftovers(dir)
	if err != nil || len(removed) != 0 {
		t.Fatalf("RemoveLeftovers = %v, %v; want nothing removed", removed, err)
	}
	if _, err := s.Record(ctx, Decision{Coder: "ana", PassageID: "p2", CodeID: "c", Action: Reject}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if ds, err := s2.Decisions(ctx); err != nil || len(ds) != 2 {
		t.Errorf("after RemoveLeftovers: %d decisions (%v), want 2", len(ds), err)
	}
}
