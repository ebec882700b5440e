//go:build unix

package index

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// TestIndexModes checks that a committed index has the modes of the other
// outputs (folders 0755, files 0644), not Bleve's 0700 and 0600, with a
// umask that would let 0755 and 0644 through, in one shard and in several.
func TestIndexModes(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	var ps []corpus.Passage
	for i := range 5 {
		ps = append(ps, corpus.Passage{ID: fmt.Sprintf("cork-2015-p%04d", i+1), DocID: "cork-2015", City: "Cork",
			Region: corpus.RegionEurope, Text: fmt.Sprintf("Passage %d of the learning festival.", i+1)})
	}
	for _, shardSize := range []int{50000, 2} {
		t.Run(fmt.Sprintf("shards of %d", shardSize), func(t *testing.T) {
			oldSize := ShardSize
			ShardSize = shardSize
			t.Cleanup(func() { ShardSize = oldSize })
			dir := filepath.Join(t.TempDir(), DirName)
			// The second build replaces the first.
			for range 2 {
				if err := Build(context.Background(), dir, ps, nil); err != nil {
					t.Fatal(err)
				}
			}
			files, dirs := 0, 0
			err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				want := fs.FileMode(0o644)
				if d.IsDir() {
					want = 0o755
					dirs++
				} else {
					files++
				}
				if got := info.Mode().Perm(); got != want {
					rel, _ := filepath.Rel(dir, p)
					t.Errorf("mode of %s = %v, want %v", rel, got, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if files == 0 || dirs < 2 {
				t.Fatalf("walked %d files and %d folders, want an index", files, dirs)
			}
			x, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			if res, err := x.Search(context.Background(), Query{Q: "festival", Limit: 10}); err != nil || res.Total != uint64(len(ps)) {
				t.Errorf("Search(festival) after setting modes = %v, %v, want %d hits", res, err, len(ps))
			}
		})
	}
}
