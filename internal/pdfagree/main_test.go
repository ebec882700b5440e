package main

import (
	"path/filepath"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

func TestLogicalRTL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"learning cities", "learning cities"},
		// pdftotext's visual order: yeh beh yeh beh fatha hah.
		{"\u202b يبيبَح\u202c", "\u202b حَبيبي\u202c"},
		{"habibi يبيبَح habibi", "habibi حَبيبي habibi"},
		{"םולש city", "שלום city"},
	}
	for _, tt := range tests {
		if got := logicalRTL(tt.in); got != tt.want {
			t.Errorf("logicalRTL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSharedAgreement is what scripts/pdfagree.sh reports, as a test: on
// the PDFs of ../shared/pdfs where pdftotext extracts text and its text
// is right, lcity's words agree with pdftotext's (F1 >= 0.9) on at least
// 95 % of them, and the files where pdftotext is found wrong are exactly
// the three Arabic ones (pdftotext reverses their words).
func TestSharedAgreement(t *testing.T) {
	dir := testenv.Shared(t, "pdfs")
	tool := testenv.Tool(t, "pdftotext", "poppler-utils")
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PDFs in %s (%v)", dir, err)
	}
	var rows []row
	wrong := map[string]bool{}
	for _, f := range files {
		r := measure(f, "", tool, t.TempDir(), 1)
		rows = append(rows, r)
		if r.ptWrong != "" {
			wrong[r.file] = true
		}
		if r.ptWords > 0 && r.ptWrong == "" && r.f1 < 0.9 {
			t.Logf("%s: F1 %.3f", r.file, r.f1)
		}
	}
	s := summarize(rows, 0.9)
	t.Logf("%d files with text, pdftotext wrong in %d, F1 >= 0.9 on %d (%.0f%%)", s.withText, s.ptWrong, s.agree, s.percent())
	if s.withText < 23 {
		t.Errorf("pdftotext extracts text from %d files, want at least the 23 of the pinned folder", s.withText)
	}
	if s.percent() < 95 {
		t.Errorf("F1 >= 0.9 on %.0f%% of the files where pdftotext is right, want >= 95%%", s.percent())
	}
	for _, f := range []string{"habibi.pdf", "habibi-oneline-cmap.pdf", "habibi-rotated.pdf"} {
		if !wrong[f] {
			t.Errorf("%s: pdftotext's reversed Arabic not recognised", f)
		}
	}
	if len(wrong) != 3 {
		t.Errorf("pdftotext found wrong in %d files %v, want the 3 Arabic ones", len(wrong), wrong)
	}
}
