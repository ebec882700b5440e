// Command pdfagree compares lcity's PDF text extraction with poppler's
// pdftotext on every PDF of a folder: pages per second of both and the
// token agreement (F1 of word counts, see ingest.TokenF1) per file. It
// prints a tab-separated table and a summary line; scripts/pdfagree.sh
// runs it. A file where pdftotext writes right-to-left words with their
// letters reversed (logicalRTL) is counted apart: pdftotext is no
// reference there.
//
//	go run ./internal/pdfagree [-pdftotext PATH] [-runs N] DIR
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/lcity/lcity/ingest"
)

func main() {
	tool := flag.String("pdftotext", "pdftotext", "pdftotext binary")
	runs := flag.Int("runs", 3, "timed runs per file and extractor (the fastest counts)")
	goal := flag.Float64("goal", 0.9, "F1 a file must reach to count as agreeing")
	dump := flag.Bool("dump", false, "print lcity's page texts of the files given instead of comparing")
	flag.Parse()
	if *dump {
		for _, f := range flag.Args() {
			if err := dumpPages(f); err != nil {
				fmt.Fprintln(os.Stderr, "pdfagree:", err)
				os.Exit(1)
			}
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pdfagree [-pdftotext PATH] [-runs N] DIR")
		os.Exit(2)
	}
	if err := compare(flag.Arg(0), *tool, *runs, *goal); err != nil {
		fmt.Fprintln(os.Stderr, "pdfagree:", err)
		os.Exit(1)
	}
}

type row struct {
	file           string
	pages          int
	words, ptWords int
	lcity, poppler time.Duration
	f1             float64
	note           string
	// ptWrong says why pdftotext's own text is wrong (the file is then
	// left out of the agreement count), f1Fixed the F1 once that is
	// undone.
	ptWrong string
	f1Fixed float64
}

func compare(dir, tool string, runs int, goal float64) error {
	if _, err := exec.LookPath(tool); err != nil {
		return fmt.Errorf("%s not found; install poppler-utils", tool)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var rows []row
	for _, f := range files {
		rows = append(rows, measure(f, tool, runs))
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "file\tpages\tlcity words\tpdftotext words\tF1\tlcity pages/s\tpdftotext pages/s\tnote\t")
	var lcityTime, popplerTime time.Duration
	pages := 0
	for _, r := range rows {
		note := r.note
		if r.ptWrong != "" {
			note = strings.TrimPrefix(note+"; ", "; ") + fmt.Sprintf("%s (F1 %.3f once undone)", r.ptWrong, r.f1Fixed)
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.3f\t%s\t%s\t%s\t\n", r.file, r.pages, r.words, r.ptWords, r.f1,
			rate(r.pages, r.lcity), rate(r.pages, r.poppler), note)
		if r.ptWords == 0 {
			continue
		}
		pages += r.pages
		lcityTime += r.lcity
		popplerTime += r.poppler
	}
	w.Flush()
	sum := summarize(rows, goal)
	fmt.Printf("\nfiles where pdftotext extracts text: %d; its text is wrong in %d (see the notes); F1 >= %.2f on %d of the other %d (%.0f%%)\n",
		sum.withText, sum.ptWrong, goal, sum.agree, sum.withText-sum.ptWrong, sum.percent())
	fmt.Printf("pages/s over those files (fastest of %d runs, one process at a time): lcity %s, pdftotext %s, ratio %.2f\n",
		runs, rate(pages, lcityTime), rate(pages, popplerTime), popplerTime.Seconds()/lcityTime.Seconds())
	return nil
}

func measure(file, tool string, runs int) row {
	r := row{file: filepath.Base(file)}
	data, err := os.ReadFile(file)
	if err != nil {
		r.note = err.Error()
		return r
	}
	var texts []string
	for i := 0; i < runs; i++ {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		texts, err = ingest.PageTexts(ctx, bytes.NewReader(data), int64(len(data)))
		cancel()
		if d := time.Since(start); i == 0 || d < r.lcity {
			r.lcity = d
		}
		if err != nil {
			r.note = "lcity: " + firstLine(err.Error())
			break
		}
	}
	r.pages = len(texts)
	lc := strings.Join(texts, "\f")
	var pt []byte
	for i := 0; i < runs; i++ {
		start := time.Now()
		pt, err = exec.Command(tool, "-q", "-enc", "UTF-8", file, "-").Output()
		if d := time.Since(start); i == 0 || d < r.poppler {
			r.poppler = d
		}
		if err != nil {
			if r.note != "" {
				r.note += "; "
			}
			r.note += "pdftotext: " + firstLine(err.Error())
			pt = nil
			break
		}
	}
	if r.pages == 0 {
		r.pages = bytes.Count(pt, []byte("\f"))
	}
	r.words, r.ptWords = len(ingest.Words(lc)), len(ingest.Words(string(pt)))
	r.f1 = ingest.TokenF1(string(pt), lc)
	if logical := logicalRTL(string(pt)); logical != string(pt) {
		if f1 := ingest.TokenF1(logical, lc); f1 > r.f1 {
			r.ptWrong, r.f1Fixed = "pdftotext writes right-to-left words with their letters reversed", f1
		}
	}
	return r
}

// summary counts the files of a comparison: those where pdftotext extracts
// text, those among them where its text is known wrong, and those of the
// others where lcity agrees with it.
type summary struct{ withText, ptWrong, agree int }

func (s summary) percent() float64 { return pct(s.agree, s.withText-s.ptWrong) }

func summarize(rows []row, goal float64) summary {
	var s summary
	for _, r := range rows {
		switch {
		case r.ptWords == 0:
		case r.ptWrong != "":
			s.withText++
			s.ptWrong++
		default:
			s.withText++
			if r.f1 >= goal {
				s.agree++
			}
		}
	}
	return s
}

// logicalRTL puts the right-to-left words of pdftotext's output back in
// reading order. pdftotext 22.12 writes Arabic and Hebrew in visual
// order, letters reversed ("يبيبَح" for حَبيبي, between U+202B and U+202C
// marks); each run of right-to-left letters and the marks on them is
// reversed, so a reversed word is not counted as lcity's error.
func logicalRTL(s string) string {
	rs := []rune(s)
	rtl := func(r rune) bool {
		return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana)
	}
	for i := 0; i < len(rs); {
		if !rtl(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (rtl(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
			j++
		}
		slices.Reverse(rs[i:j])
		i = j
	}
	return string(rs)
}

func rate(pages int, d time.Duration) string {
	if d <= 0 || pages == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(pages)/d.Seconds())
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func dumpPages(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	texts, err := ingest.PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for i, t := range texts {
		fmt.Printf("\f--- %s page %d\n%s", filepath.Base(file), i+1, t)
	}
	return nil
}
