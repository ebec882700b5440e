// Command pdfagree compares lcity's PDF text extraction with poppler's
// pdftotext on every PDF of a folder: pages per second of both and the
// token agreement (F1 of word counts, see ingest.TokenF1) per file. It
// prints a tab-separated table and summary lines; scripts/pdfagree.sh
// runs it. A file where pdftotext writes right-to-left words with their
// letters reversed (logicalRTL) is counted apart: pdftotext is no
// reference there.
//
// Speed is measured on whole processes, as a user meets them: `lcity
// ingest --workers 1` on a folder holding only the file, into a new
// workspace each run, against `pdftotext FILE -`, the two alternated (lcity
// first on even runs, pdftotext first on odd ones) so that a change in the
// machine's load falls on both. Each side's median wall time counts, and
// its median CPU time (user + system of the process and the worker
// processes it waited for), which a shared machine disturbs less. The
// agreement compares the page texts of ingest.PageTexts, in process.
//
//	go run ./internal/pdfagree -lcity PATH [-pdftotext PATH] [-runs N] DIR
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	lcity := flag.String("lcity", "", "lcity binary to time (go build -o PATH ./cmd/lcity)")
	runs := flag.Int("runs", 5, "timed runs per file and extractor, alternated (the median counts)")
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
	if flag.NArg() != 1 || *lcity == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: pdfagree -lcity PATH [-pdftotext PATH] [-runs N] DIR")
		os.Exit(2)
	}
	if err := compare(flag.Arg(0), *lcity, *tool, *runs, *goal); err != nil {
		fmt.Fprintln(os.Stderr, "pdfagree:", err)
		os.Exit(1)
	}
}

type row struct {
	file           string
	pages          int
	words, ptWords int
	lcity, poppler timing
	f1             float64
	note           string
	// ptWrong says why pdftotext's own text is wrong (the file is then
	// left out of the agreement count), f1Fixed the F1 once that is
	// undone.
	ptWrong string
	f1Fixed float64
}

// timing is the median wall and CPU time of one side's runs on a file.
type timing struct {
	wall, cpu time.Duration
}

func compare(dir, lcity, tool string, runs int, goal float64) error {
	if _, err := exec.LookPath(tool); err != nil {
		return fmt.Errorf("%s not found; install poppler-utils", tool)
	}
	if _, err := exec.LookPath(lcity); err != nil {
		return fmt.Errorf("lcity binary: %w", err)
	}
	tmp, err := os.MkdirTemp("", "pdfagree-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var rows []row
	for _, f := range files {
		rows = append(rows, measure(f, lcity, tool, tmp, runs))
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "file\tpages\tlcity words\tpdftotext words\tF1\tlcity pages/s\tpdftotext pages/s\tnote\t")
	var lcityTime, popplerTime, lcityCPU, popplerCPU time.Duration
	pages := 0
	for _, r := range rows {
		note := r.note
		if r.ptWrong != "" {
			note = strings.TrimPrefix(note+"; ", "; ") + fmt.Sprintf("%s (F1 %.3f once undone)", r.ptWrong, r.f1Fixed)
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.3f\t%s\t%s\t%s\t\n", r.file, r.pages, r.words, r.ptWords, r.f1,
			rate(r.pages, r.lcity.wall), rate(r.pages, r.poppler.wall), note)
		if r.ptWords == 0 {
			continue
		}
		pages += r.pages
		lcityTime += r.lcity.wall
		popplerTime += r.poppler.wall
		lcityCPU += r.lcity.cpu
		popplerCPU += r.poppler.cpu
	}
	w.Flush()
	sum := summarize(rows, goal)
	fmt.Printf("\nfiles where pdftotext extracts text: %d; its text is wrong in %d (see the notes); F1 >= %.2f on %d of the other %d (%.0f%%)\n",
		sum.withText, sum.ptWrong, goal, sum.agree, sum.withText-sum.ptWrong, sum.percent())
	fmt.Printf("pages/s over those files (whole processes, median of %d alternated runs): lcity %s, pdftotext %s, ratio %.2f\n",
		runs, rate(pages, lcityTime), rate(pages, popplerTime), popplerTime.Seconds()/lcityTime.Seconds())
	fmt.Printf("CPU seconds over those files (user + system, medians): lcity %.2f, pdftotext %.2f, lcity/pdftotext %.2f\n",
		lcityCPU.Seconds(), popplerCPU.Seconds(), lcityCPU.Seconds()/popplerCPU.Seconds())
	lf, pf := folder(dir, files, lcity, tool, tmp, runs)
	fmt.Printf("whole folder, %d files (one lcity ingest against a pdftotext process per file, medians): lcity %.2f s (CPU %.2f), pdftotext %.2f s (CPU %.2f), lcity/pdftotext %.2f\n",
		len(files), lf.wall.Seconds(), lf.cpu.Seconds(), pf.wall.Seconds(), pf.cpu.Seconds(), lf.wall.Seconds()/pf.wall.Seconds())
	return nil
}

// folder times what a researcher runs on the whole folder: one `lcity
// ingest` over it against pdftotext started once per file, alternated as
// in measure. Failures (an encrypted or unreadable file) count as they
// come, on both sides.
func folder(dir string, files []string, lcity, tool, tmp string, runs int) (lc, pt timing) {
	var lw, lcpu, pw, pcpu []time.Duration
	lcityRun := func(i int) {
		ws := filepath.Join(tmp, fmt.Sprintf("folder%d", i))
		wall, cpu, _ := run(exec.Command(lcity, "ingest", "--workers", "1", "--corpus", dir, "--out", ws))
		os.RemoveAll(ws)
		lw, lcpu = append(lw, wall), append(lcpu, cpu)
	}
	popplerRun := func() {
		var wall, cpu time.Duration
		for _, f := range files {
			w, c, _ := run(exec.Command(tool, "-q", "-enc", "UTF-8", f, os.DevNull))
			wall, cpu = wall+w, cpu+c
		}
		pw, pcpu = append(pw, wall), append(pcpu, cpu)
	}
	for i := range runs {
		if i%2 == 0 {
			lcityRun(i)
			popplerRun()
		} else {
			popplerRun()
			lcityRun(i)
		}
	}
	return timing{median(lw), median(lcpu)}, timing{median(pw), median(pcpu)}
}

// run starts cmd, waits for it and returns its wall time and the CPU
// time of it and of the children it waited for.
func run(cmd *exec.Cmd) (wall, cpu time.Duration, err error) {
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return wall, cpu, err
}

// median returns the median of ds (the mean of the middle two for an
// even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// measure compares lcity's text of file with pdftotext's and times both
// as whole processes over runs alternated runs; with lcity "" it only
// compares (the agreement test has no lcity binary to time).
func measure(file, lcity, tool, tmp string, runs int) row {
	r := row{file: filepath.Base(file)}
	data, err := os.ReadFile(file)
	if err != nil {
		r.note = err.Error()
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	texts, err := ingest.PageTexts(ctx, bytes.NewReader(data), int64(len(data)), runtime.GOMAXPROCS(0))
	cancel()
	if err != nil {
		r.note = "lcity: " + firstLine(err.Error())
	}
	r.pages = len(texts)
	lc := strings.Join(texts, "\f")

	// lcity ingest reads a folder: one holding a copy of only this file.
	in := filepath.Join(tmp, "in")
	if err := os.RemoveAll(in); err != nil {
		r.note = err.Error()
		return r
	}
	if err := os.MkdirAll(in, 0o755); err != nil {
		r.note = err.Error()
		return r
	}
	if err := os.WriteFile(filepath.Join(in, r.file), data, 0o644); err != nil {
		r.note = err.Error()
		return r
	}
	var pt []byte
	var lw, lc2, pw, pc []time.Duration
	lcityRun := func(i int) {
		if lcity == "" {
			return
		}
		ws := filepath.Join(tmp, fmt.Sprintf("ws%d", i))
		cmd := exec.Command(lcity, "ingest", "--workers", "1", "--corpus", in, "--out", ws)
		wall, cpu, err := run(cmd)
		os.RemoveAll(ws)
		lw, lc2 = append(lw, wall), append(lc2, cpu)
		// Exit 1 is a document that failed, recorded in failures.csv:
		// the run is complete and its time counts.
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) && i == 0 {
			r.note = addNote(r.note, "lcity ingest: "+firstLine(err.Error()))
		}
	}
	popplerRun := func(i int) {
		cmd := exec.Command(tool, "-q", "-enc", "UTF-8", file, "-")
		var out bytes.Buffer
		cmd.Stdout = &out
		wall, cpu, err := run(cmd)
		pw, pc = append(pw, wall), append(pc, cpu)
		if err != nil && i == 0 {
			r.note = addNote(r.note, "pdftotext: "+firstLine(err.Error()))
		}
		if err == nil {
			pt = out.Bytes()
		}
	}
	for i := range runs {
		if i%2 == 0 {
			lcityRun(i)
			popplerRun(i)
		} else {
			popplerRun(i)
			lcityRun(i)
		}
	}
	r.lcity = timing{wall: median(lw), cpu: median(lc2)}
	r.poppler = timing{wall: median(pw), cpu: median(pc)}
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

func addNote(note, s string) string {
	if note != "" {
		return note + "; " + s
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
	texts, err := ingest.PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	for i, t := range texts {
		fmt.Printf("\f--- %s page %d\n%s", filepath.Base(file), i+1, t)
	}
	return nil
}
