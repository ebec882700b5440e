package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// mixedCorpus is the test corpus of ingest: three saved web pages, two
// Word files, a Markdown and a text file (illustrative, written for
// lcity's tests).
const mixedCorpus = "../../ingest/testdata/mixed"

// pageFurniture are strings of the test pages' navigation, footers,
// cookie banners, share widgets and asides, and of the Word files'
// running header and tracked deletions.
var pageFurniture = []string{
	"cookie", "Cookie", "consent", "Accept all", "Got it", "Member cities", "Events calendar",
	"Services A to Z", "Press room", "Map of hubs", "Copyright", "All rights reserved",
	"newsletter", "Accessibility statement", "Sitemap", "Town Hall Square", "Website by",
	"Share this", "Facebook", "Related stories", "tracking snippet", "CONFIDENTIAL DRAFT",
	"REMOVED DRAFT", "author: lcity",
	"remember your preferences", "Share this story", "social channels",
}

// copyMixed writes the two sample PDFs (without their manifest) and the
// mixed test corpus into a new folder, with what a folder scan passes
// over: a hidden file, an Office lock file and a browser's folder of a
// saved page's resources.
func copyMixed(t *testing.T) string {
	t.Helper()
	dir := writeSampleCorpus(t)
	if err := os.Remove(filepath.Join(dir, corpus.ManifestName)); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(mixedCorpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(mixedCorpus, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	assets := filepath.Join(dir, "harbourtown-festival_files")
	os.Mkdir(assets, 0o755)
	for name, data := range map[string]string{
		filepath.Join(assets, "analytics.js"):         "var tracking = 1;",
		filepath.Join(assets, "logo.png"):             "\x89PNG\r\n\x1a\n",
		filepath.Join(dir, ".DS_Store"):               "\x00\x00\x00\x01Bud1",
		filepath.Join(dir, "~$verton-interview.docx"): "\x0cRiverton lock",
	} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRunMixedFolder is the done-when test of the new inputs: a folder
// of web pages, Word files, Markdown, text and the two sample PDFs, with
// no manifest, runs through `lcity run`; each file is read by the reader
// its content calls for, no page furniture reaches a passage, and
// sections come from headings.
func TestRunMixedFolder(t *testing.T) {
	dir := copyMixed(t)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--permutations", "99")
	if code != 0 {
		t.Fatalf("lcity run --corpus MIXED = exit %d, want 0: %s", code, stderr)
	}
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil {
		t.Fatal(err)
	}
	extractors := map[string]string{}
	for _, d := range docs {
		extractors[filepath.Base(d.Source)] = d.Extractor
	}
	want := map[string]string{
		"learning-cities-2015-sample.pdf": ingest.ExtractorPDF,
		"learning-cities-2017-sample.pdf": ingest.ExtractorPDF,
		"harbourtown-festival.html":       ingest.ExtractorHTML,
		"greenvale-study-circles.htm":     ingest.ExtractorHTML,
		"northfield-libraries.html":       ingest.ExtractorHTML,
		"riverton-interview.docx":         ingest.ExtractorDOCX,
		"lakeside-report.docx":            ingest.ExtractorDOCX,
		"eastbrook-notes.md":              ingest.ExtractorText,
		"westmoor-transcript.txt":         ingest.ExtractorText,
	}
	if len(extractors) != len(want) || len(docs) != len(want) {
		t.Errorf("documents by source = %v, want %v", extractors, want)
	}
	for src, ex := range want {
		if extractors[src] != ex {
			t.Errorf("%s: extractor %q, want %q", src, extractors[src], ex)
		}
	}
	passages, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]map[string]bool{} // doc → its sections
	for _, p := range passages {
		for _, s := range pageFurniture {
			if strings.Contains(p.Text, s) {
				t.Errorf("passage %s of %s holds page furniture %q: %q", p.ID, p.DocID, s, p.Text)
			}
		}
		if sections[p.DocID] == nil {
			sections[p.DocID] = map[string]bool{}
		}
		sections[p.DocID][p.Section] = true
	}
	for doc, secs := range map[string][]string{
		"harbourtown-festival":    {"Harbourtown Learning Festival", "Partnerships behind the festival", "Measuring participation"},
		"greenvale-study-circles": {"How a circle works", "Results after two years"},
		"northfield-libraries":    {"Intergenerational learning"},
		"riverton-interview":      {"Background", "Partnerships and funding", "Notes"},
		"lakeside-report":         {"Digital inclusion", "Celebrating learning"},
		"eastbrook-notes":         {"Learning in families"},
		"westmoor-transcript":     {"Opening Questions", "Closing Remarks"},
	} {
		for _, s := range secs {
			if !sections[doc][s] {
				t.Errorf("%s: no passage in section %q (sections %v)", doc, s, sections[doc])
			}
		}
		for s := range sections[doc] {
			if s == "" {
				t.Errorf("%s: a passage without a section", doc)
			}
		}
	}
	if fails := readCSV(t, filepath.Join(out, workspace.FailuresFile)); len(fails) != 1 {
		t.Errorf("failures.csv = %v, want only its header", fails)
	}
}

// TestIngestMixedManifest: corpus.yaml entries name web pages and Word
// files like PDFs; a file lcity cannot read, in a manifest or in a
// folder, is a failure row saying what the file seems to be.
func TestIngestMixedManifest(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"harbourtown-festival.html", "riverton-interview.docx"} {
		b, err := os.ReadFile(filepath.Join(mixedCorpus, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "site-photo.jpg"), []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), 0o644)
	os.WriteFile(filepath.Join(dir, "renamed-page.pdf"), []byte("<!DOCTYPE html><html><head><title>Saved as PDF by mistake</title></head><body><article><h1>Renamed Page</h1><p>A web page saved under a PDF name is still read as a web page, since the reader is chosen by the content.</p></article></body></html>"), 0o644)
	manifest := `documents:
  - {file: harbourtown-festival.html, city: Harbourtown, country: Nowhere, region: Europe, year: 2017}
  - {file: riverton-interview.docx, city: Riverton, country: Nowhere, region: Asia-Pacific, year: 2015}
  - {file: site-photo.jpg, city: Photoville, country: Nowhere, region: Europe, year: 2015}
  - {file: renamed-page.pdf, city: Renamed, country: Nowhere, region: Europe, year: 2015}
`
	os.WriteFile(filepath.Join(dir, corpus.ManifestName), []byte(manifest), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out)
	if code != 1 {
		t.Fatalf("lcity ingest with a photo = exit %d, want 1: %s", code, stderr)
	}
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range docs {
		got[d.City] = d.Region + " " + d.Extractor + " " + d.URL
	}
	want := map[string]string{
		"Harbourtown": "Europe " + ingest.ExtractorHTML + " https://example.org/learning-cities/harbourtown-festival",
		"Riverton":    "Asia-Pacific " + ingest.ExtractorDOCX + " ",
		"Renamed":     "Europe " + ingest.ExtractorHTML + " ",
	}
	if len(got) != len(want) {
		t.Errorf("documents = %v, want %v", got, want)
	}
	for city, w := range want {
		if got[city] != w {
			t.Errorf("%s = %q, want %q", city, got[city], w)
		}
	}
	fails := readCSV(t, filepath.Join(out, workspace.FailuresFile))
	if len(fails) != 2 || !strings.HasSuffix(fails[1][0], "site-photo.jpg") || fails[1][1] != corpus.ReasonUnsupported || !strings.Contains(fails[1][2], "a JPEG image") {
		t.Errorf("failures.csv = %q, want one unsupported row for site-photo.jpg naming a JPEG image", fails)
	}
}
