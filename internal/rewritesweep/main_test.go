package main

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

// TestSweepSample runs the qpdf rewrites over the sample books and a
// real-world file: lcity must read every rewrite as the original, and the
// summary must say so.
func TestSweepSample(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext", "poppler-utils")
	testenv.Tool(t, "qpdf", "qpdf")
	files, err := pdfs([]string{filepath.Join("..", "..", "corpus", "sample")})
	if err != nil || len(files) != 2 {
		t.Fatalf("sample PDFs %v, %v", files, err)
	}
	var qpdfOnly []rewrite
	for _, rw := range rewrites {
		if rw.tool == "qpdf" {
			qpdfOnly = append(qpdfOnly, rw)
		}
	}
	var out bytes.Buffer
	if err := sweep(&out, files, pdftotext, qpdfOnly); err != nil {
		t.Fatal(err)
	}
	n := 2 * len(qpdfOnly)
	for _, want := range []string{
		"2 files with text, " + strconv.Itoa(n) + " rewrites made",
		"lcity reads " + strconv.Itoa(n) + " of " + strconv.Itoa(n) + " rewrites as the original",
		"rewrites where lcity loses text that pdftotext keeps: 0",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
