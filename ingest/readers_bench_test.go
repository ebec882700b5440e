package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchReader measures one reader on the files of the test corpus with
// the given extension, passages included (no sentence spans), reporting
// MB/s of input:
//
//	go test ./ingest -run '^$' -bench 'BenchmarkRead(HTML|DOCX|Text)' -benchtime 2s
func benchReader(b *testing.B, k kind, exts ...string) {
	var files [][]byte
	var names []string
	total := 0
	for _, ext := range exts {
		paths, _ := filepath.Glob(filepath.Join(mixedDir, "*"+ext))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, data)
			names = append(names, filepath.Base(p))
			total += len(data)
		}
	}
	if len(files) == 0 {
		b.Fatalf("no %v files in %s", exts, mixedDir)
	}
	entries := mixedInputs(b)[0].Entries
	b.SetBytes(int64(total))
	for b.Loop() {
		for i, data := range files {
			in := Input{File: names[i], Source: names[i], Entries: entries}
			res := structuredResult(bytes.NewReader(data), int64(len(data)), in, "", k)
			if len(res.Docs) != 1 {
				b.Fatalf("%s: %v", names[i], res.Failures)
			}
		}
	}
}

func BenchmarkReadHTML(b *testing.B) { benchReader(b, kindHTML, ".html", ".htm") }
func BenchmarkReadDOCX(b *testing.B) { benchReader(b, kindDOCX, ".docx") }
func BenchmarkReadText(b *testing.B) { benchReader(b, kindMarkdown, ".md") }
