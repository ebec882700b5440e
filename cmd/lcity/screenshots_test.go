package main

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screenshotDir holds the README's screenshots, relative to this package.
var screenshotDir = filepath.Join("..", "..", "docs", "screenshots")

// Screenshots are this wide (CSS pixels at scale 1) and at most this big.
const (
	screenshotWidth     = 1200
	screenshotMaxHeight = 1200
	screenshotMaxBytes  = 300 << 10
)

// TestScreenshots drives headless Chromium through report.html (its top
// and its first figures) and four
// pages of the web UI served from the sample workspace, and checks that
// each page shows what its screenshot in the README is there for. With
// -update it writes the screenshots (PNG, 1200 px wide) to
// docs/screenshots; without it, it checks that they exist and are PNGs of
// that width under 300 KB:
//
//	go test ./cmd/lcity -run TestScreenshots -update
func TestScreenshots(t *testing.T) {
	out := sampleCopy(t)
	base := startServer(t, out)
	ctx := newBrowser(t, 3*time.Minute)

	// The first kominkan hit's passage, for the page with the evidence legend.
	var passage string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search?q=kominkan"),
		chromedp.WaitVisible("a.passage", chromedp.ByQuery),
		chromedp.AttributeValue("a.passage", "href", &passage, nil, chromedp.ByQuery),
	); err != nil || passage == "" {
		t.Fatalf("browser, search: %v (first hit %q)", err, passage)
	}
	tests := []struct {
		file, url string
		// check is a script that returns the number of elements showing
		// the point of the screenshot; it must be at least min.
		check string
		min   int
		// height is how much of the page to show, in CSS pixels (at most
		// the page's height); dense pages show less to stay under 300 KB.
		height int
		// scroll, when set, is the element to scroll to near the top first.
		scroll string
	}{
		{"report.png", "file://" + filepath.Join(out, "report.html"), `document.querySelectorAll('figure svg').length`, 4, 1400, ""},
		{"report-figures.png", "file://" + filepath.Join(out, "report.html"), `document.querySelectorAll('figure svg').length`, 4, 1300, "figure"},
		{"search.png", base + "/search?q=" + url.QueryEscape("festival"),
			`document.querySelectorAll('#facets a.facet[data-field="codes"] .swatch').length`, 5, 1000, ""},
		{"passage.png", base + passage, `document.querySelectorAll('#legend .key').length * (document.querySelectorAll('#text mark').length > 0)`, 2, 1200, ""},
		{"city.png", base + "/cities/Okayama", `document.querySelectorAll('#profile a.coded').length`, 5, 1200, ""},
		{"cities.png", base + "/cities", `document.querySelectorAll('#cities tr[data-city] a').length`, 17, 1200, ""},
	}
	if *update {
		if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var n int
			var shot []byte
			err := chromedp.Run(ctx,
				emulation.SetDeviceMetricsOverride(screenshotWidth, 900, 1, false),
				chromedp.Navigate(tt.url),
				chromedp.WaitVisible("body", chromedp.ByQuery),
				chromedp.Evaluate(tt.check, &n),
				chromedp.ActionFunc(func(ctx context.Context) error {
					if !*update {
						return nil
					}
					var h float64
					if err := chromedp.Evaluate(`document.documentElement.scrollHeight`, &h).Do(ctx); err != nil {
						return err
					}
					h = min(h, float64(tt.height))
					if err := emulation.SetDeviceMetricsOverride(screenshotWidth, int64(h), 1, false).Do(ctx); err != nil {
						return err
					}
					if tt.scroll != "" {
						// Scrolled to the element's top, less room for a heading above it.
						if err := chromedp.Evaluate(`document.querySelector(`+strconv.Quote(tt.scroll)+`).scrollIntoView(true); window.scrollBy(0, -70)`, nil).Do(ctx); err != nil {
							return err
						}
					}
					return chromedp.CaptureScreenshot(&shot).Do(ctx)
				}),
			)
			if err != nil {
				t.Fatalf("browser, %s: %v", tt.url, err)
			}
			if n < tt.min {
				t.Errorf("%s: %s = %d, want at least %d", tt.url, tt.check, n, tt.min)
			}
			file := filepath.Join(screenshotDir, tt.file)
			if *update {
				if err := os.WriteFile(file, shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (write the screenshots with go test ./cmd/lcity -run TestScreenshots -update)", err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != screenshotWidth || len(data) > screenshotMaxBytes {
				t.Errorf("%s: %d bytes, %d px wide (%v); want a PNG %d px wide under %d bytes", file, len(data), cfg.Width, err, screenshotWidth, screenshotMaxBytes)
			}
		})
	}
}
