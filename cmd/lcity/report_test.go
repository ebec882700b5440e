package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/lcity/lcity/internal/testenv"
)

// TestReportPrintsToPDF prints the sample's report.html with headless
// Chromium, as a researcher's "Save as PDF" would, and checks the print
// stylesheet: every figure fits the page width, and the PDF holds the
// report's text (read back with pdftotext).
func TestReportPrintsToPDF(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext", "poppler-utils")
	out := sampleRun(t)
	ctx := newBrowser(t, 90*time.Second)

	var figures, overflowing int
	var pdf []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+filepath.Join(out, "report.html")),
		chromedp.WaitVisible("h1", chromedp.ByQuery),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`document.querySelectorAll('figure svg').length`, &figures),
		// A4 at 18 mm margins leaves 174 mm = 657.6 CSS px of width.
		emulation.SetDeviceMetricsOverride(658, 900, 1, false),
		chromedp.Evaluate(`[...document.querySelectorAll('figure svg')].filter(s => s.getBoundingClientRect().width > document.documentElement.clientWidth + 1).length`, &overflowing),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if figures != 4 || overflowing != 0 {
		t.Errorf("printed report: %d figures, %d wider than the page; want 4 and 0", figures, overflowing)
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Learning cities compared", "Illustrative sample, not UNESCO text", "Differences between the regions",
		"matches per 1,000 words", "Similarity structure", "Limits"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the printed report lacks %q", want)
		}
	}
	if pages := strings.Count(string(text), "\f"); pages < 3 {
		t.Errorf("the printed report has %d pages, want several", pages)
	}
}
