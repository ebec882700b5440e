package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lcity/lcity/corpus"
)

// fuzzStructured runs the extraction of one whole input of kind k (the
// reader and the passages; not the sentence spans, which
// FuzzSegmenterMatchesProse covers) on data, outside File's recovery, so
// a panic fails the fuzz test; it fails too when the extraction takes
// more than 20 seconds, or yields neither a document nor a failure with a
// reason of the vocabulary, or a passage that is not the slice of its
// document's text its offsets name.
func fuzzStructured(t *testing.T, name string, k kind, data []byte) {
	in := Input{File: name, Source: name, Entries: []corpus.Entry{{File: name, City: "Cork"}}}
	done := make(chan Result, 1)
	go func() { done <- structuredResult(bytes.NewReader(data), int64(len(data)), in, "", k) }()
	var res Result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: extraction of %d bytes still running after 20s", name, len(data))
	}
	checkResult(t, res, []string{corpus.ReasonCorrupt, corpus.ReasonNoText, corpus.ReasonTooLarge, corpus.ReasonUnsupported})
}

func addMixedSeeds(f *testing.F, exts ...string) {
	for _, ext := range exts {
		paths, _ := filepath.Glob(filepath.Join(mixedDir, "*"+ext))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// FuzzHTML feeds arbitrary bytes to the web-page reader (charset
// detection, the HTML parser, boilerplate removal, readability).
//
//	go test ./ingest -run '^$' -fuzz FuzzHTML -fuzztime 5m
func FuzzHTML(f *testing.F) {
	addMixedSeeds(f, ".html", ".htm")
	f.Add([]byte("<!doctype html><title>t</title><h1>a</h1><p>b"))
	f.Add([]byte("<html><body><table><tr><td>a<td>b<tr><th>c</table><h4>x</h4></body>"))
	f.Add([]byte("<meta charset=utf-16><p>\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzStructured(t, "in.html", kindHTML, data) })
}

// FuzzDOCX feeds arbitrary bytes to the Word reader (zip, the parts'
// XML, styles, notes).
//
//	go test ./ingest -run '^$' -fuzz FuzzDOCX -fuzztime 5m
func FuzzDOCX(f *testing.F) {
	addMixedSeeds(f, ".docx")
	f.Add(zipParts(f, map[string]string{"word/document.xml": "<w:document xmlns:w=\"" + wordNS + "\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"}))
	f.Add(zipParts(f, map[string]string{"a": "b"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzStructured(t, "in.docx", kindDOCX, data) })
}

// FuzzText feeds arbitrary bytes to the Markdown and plain-text readers.
//
//	go test ./ingest -run '^$' -fuzz FuzzText -fuzztime 5m
func FuzzText(f *testing.F) {
	addMixedSeeds(f, ".md", ".txt")
	f.Add([]byte("---\na: b\n---\n# T\n\n| a | b |\n|---|---|\n| c | d |\n"))
	f.Add([]byte("\xFF\xFEa\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzStructured(t, "in.md", kindMarkdown, data)
		fuzzStructured(t, "in.txt", kindText, data)
	})
}
