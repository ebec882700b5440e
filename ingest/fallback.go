package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"

	"github.com/lcity/lcity/corpus"
)

// FallbackPdftotext names poppler's pdftotext as the fallback extractor.
const FallbackPdftotext = "pdftotext"

// CheckFallback reports whether the named fallback extractor can be used:
// "" (none) always, "pdftotext" when it is on PATH.
func CheckFallback(name string) error {
	switch name {
	case "":
		return nil
	case FallbackPdftotext:
		if _, err := exec.LookPath("pdftotext"); err != nil {
			return fmt.Errorf("--fallback pdftotext: pdftotext is not on PATH (Debian: apt-get install poppler-utils)")
		}
		return nil
	}
	return fmt.Errorf("--fallback %q: want pdftotext or nothing", name)
}

var (
	pdftotextOnce    sync.Once
	pdftotextVersion string
)

// ExtractorPdftotext is the extractor name recorded for documents read by
// pdftotext, with its version ("pdftotext/22.12.0").
func ExtractorPdftotext() string {
	pdftotextOnce.Do(func() {
		pdftotextVersion = "pdftotext"
		out, _ := exec.Command("pdftotext", "-v").CombinedOutput()
		if m := regexp.MustCompile(`version ([0-9][0-9.]*)`).FindSubmatch(out); m != nil {
			pdftotextVersion += "/" + string(m[1])
		}
	})
	return pdftotextVersion
}

// maxFallbackOutput bounds what pdftotext may write for one file.
const maxFallbackOutput = 512 << 20

// pdftotextPages runs pdftotext on the PDF held in r, feeding it on
// standard input, and returns its pages (split at form feeds) with one
// line per paragraph. The process is killed when ctx ends, so a file that
// makes pdftotext hang costs no more than the time limit.
func pdftotextPages(ctx context.Context, r io.ReaderAt, size int64) ([]page, error) {
	cmd := exec.CommandContext(ctx, "pdftotext", "-q", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = io.NewSectionReader(r, 0, size)
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: maxFallbackOutput}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: pdftotext: %v", corpus.ErrTimeout, ctx.Err())
		}
		return nil, fmt.Errorf("%w: pdftotext: %v", corpus.ErrCorrupt, err)
	}
	text := strings.TrimSuffix(out.String(), "\f")
	return textPages(text, false), nil
}

type limitedWriter struct {
	w io.Writer
	n int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.n {
		return 0, fmt.Errorf("%w: more than %d bytes of text", corpus.ErrTooLarge, maxFallbackOutput)
	}
	l.n -= int64(len(p))
	return l.w.Write(p)
}

func hasText(pages []page) bool {
	for _, p := range pages {
		if len(p.lines) > 0 {
			return true
		}
	}
	return false
}
