package ingest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

// TestRewrittenPDFs rewrites PDFs with qpdf in ways that keep every page
// as it was (the structure inside the file changes: uncompressed and
// normalised content, object streams, a linearised file, AES encryption)
// and checks that lcity reads each rewrite exactly as the original. It is
// the repository's part of a sweep that found seven defects at once
// (scripts/rewritesweep.sh, BENCHMARKS.md "Rewritten PDFs"): \b and \f in
// strings read as letters after qpdf --qdf and AES-128 strings left
// padded, which this test covers, and, with other tools, a trailer /Size
// too small, filters the PDF library lacks, a font's own CMap, a CMap's
// collection, and word gaps in condensed fonts, each covered by a test of
// its own.
func TestRewrittenPDFs(t *testing.T) {
	qpdf := testenv.Tool(t, "qpdf", "qpdf")
	files := map[string][]byte{}
	for _, s := range samplePDFs(t) {
		files[s.name] = s.data
	}
	shared := filepath.Dir(sharedPDFs(t)[0])
	for _, p := range []string{
		filepath.Join(shared, "002-trivial-libre-office-writer.pdf"),
		filepath.Join(shared, "libreoffice-form.pdf"),
		filepath.Join(shared, "pdflatex-outline.pdf"),
		"testdata/fonts/cid-japan1.pdf",
		"testdata/fonts/word-gaps-ligatures.pdf",
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	rewrites := map[string][]string{
		"qdf":            {"--qdf"},
		"object streams": {"--object-streams=generate"},
		"linearized":     {"--linearize"},
		"uncompressed":   {"--stream-data=uncompress"},
		"AES-128":        {"--encrypt", "", "owner", "128", "--use-aes=y", "--"},
		"AES-256":        {"--encrypt", "", "owner", "256", "--"},
		"RC4-128":        {"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"},
	}
	tmp := t.TempDir()
	for name, data := range files {
		want := strings.Join(readAll(t, data), "\f")
		if strings.TrimSpace(want) == "" {
			t.Fatalf("%s: no text", name)
		}
		src := filepath.Join(tmp, "src.pdf")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for rw, args := range rewrites {
			out := filepath.Join(tmp, "out.pdf")
			cmd := exec.Command(qpdf, append(append([]string{"--static-id"}, args...), src, out)...)
			if msg, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != 3 { // 3: warnings
				t.Fatalf("%s, %s: qpdf: %v\n%s", name, rw, err, msg)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(readAll(t, b), "\f"); got != want {
				t.Errorf("%s rewritten (%s) reads otherwise:\n%.400s\nwant:\n%.400s", name, rw, got, want)
			}
		}
	}
}

func readAll(t *testing.T, data []byte) []string {
	t.Helper()
	texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
	if err != nil {
		t.Fatal(err)
	}
	return texts
}
