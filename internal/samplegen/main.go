// Command samplegen writes the illustrative sample PDFs of lcity's embedded
// corpus from the Markdown case studies in corpus/sample/text and the
// manifest corpus/sample/corpus.yaml.
//
// Each file named in the manifest becomes one book-like compilation PDF: a
// title page, then one chapter per city in manifest order, with an outline
// entry (bookmark) per city and per section, a running header and page
// numbers, so that ingest meets the same structure as in the real UIL books.
// Output is deterministic (fixed dates, sorted catalog).
//
// Run it with `go generate ./corpus` from the repository root.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lcity/lcity/corpus"
)

// Notice is printed on every page and in the PDF metadata.
const Notice = "Illustrative sample written for lcity - not UNESCO text"

func main() {
	dir := flag.String("dir", "sample", "folder holding corpus.yaml and text/")
	flag.Parse()
	if err := generate(*dir); err != nil {
		log.Fatal(err)
	}
}

func generate(dir string) error {
	f, err := os.Open(filepath.Join(dir, corpus.ManifestName))
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := corpus.ParseManifest(f, corpus.ManifestName)
	if err != nil {
		return err
	}
	var files []string
	byFile := map[string][]corpus.Entry{}
	for _, e := range m.Entries {
		if _, ok := byFile[e.File]; !ok {
			files = append(files, e.File)
		}
		byFile[e.File] = append(byFile[e.File], e)
	}
	for _, file := range files {
		if err := book(dir, file, byFile[file]); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

type section struct {
	heading string
	paras   []string
}

// readCase reads a case study: "# City", then "## Section" headings, then
// one paragraph per non-empty line.
func readCase(path string) ([]section, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var secs []section
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "# "):
		case strings.HasPrefix(line, "## "):
			secs = append(secs, section{heading: strings.TrimPrefix(line, "## ")})
		default:
			if len(secs) == 0 {
				return nil, fmt.Errorf("%s: text before the first section", path)
			}
			secs[len(secs)-1].paras = append(secs[len(secs)-1].paras, line)
		}
	}
	return secs, sc.Err()
}

func book(dir, file string, entries []corpus.Entry) error {
	year := entries[0].Year
	pub := entries[0].Publication
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	stamp := time.Date(year, time.December, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetTitle(pub+" (illustrative sample)", true)
	pdf.SetSubject(Notice, true)
	pdf.SetAuthor("lcity authors", true)
	pdf.SetCreator("lcity samplegen", true)
	pdf.SetKeywords("learning cities; illustrative sample; not UNESCO text", true)
	pdf.SetMargins(22, 24, 22)
	pdf.SetAutoPageBreak(true, 22)
	tr := pdf.UnicodeTranslatorFromDescriptor("")

	header := tr(fmt.Sprintf("%s  |  %s", pub, "illustrative sample"))
	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() == 1 {
			return
		}
		pdf.SetY(10)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(0, 5, header, "", 0, "C", false, 0, "")
		pdf.SetY(24)
	})
	pdf.SetFooterFunc(func() {
		if pdf.PageNo() == 1 {
			return
		}
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, fmt.Sprint(pdf.PageNo()), "", 0, "C", false, 0, "")
	})

	// Title page.
	pdf.AddPage()
	pdf.SetY(70)
	pdf.SetFont("Helvetica", "B", 20)
	pdf.MultiCell(0, 10, tr(pub), "", "C", false)
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "", 12)
	pdf.MultiCell(0, 6, tr(fmt.Sprintf("Case studies of %d learning cities, award year %d", len(entries), year)), "", "C", false)
	pdf.Ln(10)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.MultiCell(0, 6, tr(Notice+". Written by the lcity authors in their own words from public facts about each city, for testing and teaching."), "", "C", false)

	for _, e := range entries {
		secs, err := readCase(filepath.Join(dir, "text", corpus.Slug(e.City)+".md"))
		if err != nil {
			return err
		}
		pdf.AddPage()
		title := tr(e.City + ", " + e.Country)
		pdf.Bookmark(title, 0, -1)
		pdf.SetFont("Helvetica", "B", 18)
		pdf.MultiCell(0, 9, title, "", "L", false)
		pdf.Ln(4)
		for _, s := range secs {
			if pdf.GetY() > 240 {
				pdf.AddPage()
			}
			pdf.Ln(2)
			pdf.Bookmark(tr(s.heading), 1, -1)
			pdf.SetFont("Helvetica", "B", 13)
			pdf.MultiCell(0, 7, tr(s.heading), "", "L", false)
			pdf.Ln(1)
			pdf.SetFont("Helvetica", "", 10.5)
			for _, p := range s.paras {
				pdf.MultiCell(0, 5, tr(p), "", "L", false)
				pdf.Ln(3)
			}
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	out := filepath.Join(dir, file)
	tmp := out + ".tmp"
	if err := pdf.OutputFileAndClose(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
