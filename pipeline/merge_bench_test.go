package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// BenchmarkMerge merges the sample's 3 partial workspaces (the parts are
// made once): copying the parts' lines and texts, the index and the
// analysis. Bytes are those of the merged passages.jsonl, codings.csv and
// texts. Run: go test ./pipeline -run '^$' -bench Merge -benchtime 5x
func BenchmarkMerge(b *testing.B) {
	dir := b.TempDir()
	var parts []string
	for i := 1; i <= 3; i++ {
		cfg := testConfig(filepath.Join(dir, fmt.Sprintf("p%d", i)))
		cfg.Shard = Shard{i, 3}
		if _, err := Run(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
		parts = append(parts, cfg.Out)
	}
	var size int64
	n := 0
	for b.Loop() {
		n++
		cfg := testConfig(filepath.Join(dir, fmt.Sprintf("out%d", n)))
		if _, err := Merge(context.Background(), cfg, parts); err != nil {
			b.Fatal(err)
		}
		if size == 0 {
			m, err := workspace.ReadManifest(cfg.Out)
			if err != nil {
				b.Fatal(err)
			}
			for _, o := range m.StageOutputs(workspace.StageIngest) {
				size += o.Bytes
			}
			for _, o := range m.StageOutputs(workspace.StageCode) {
				size += o.Bytes
			}
		}
		os.RemoveAll(cfg.Out)
	}
	b.SetBytes(size)
}
