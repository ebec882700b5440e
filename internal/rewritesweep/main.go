// Command rewritesweep rewrites PDFs with the tools at hand, in ways that
// keep each page's text (qpdf: normalised, with object streams, linearised,
// uncompressed, encrypted; pdfunite and pdftocairo from poppler; mutool
// clean and convert; Ghostscript's pdfwrite; PyMuPDF's clean save), and
// compares lcity's text of each rewrite with its text of the original:
// token F1 (ingest.TokenF1) of lcity on the rewrite against lcity on the
// original ("lcity"), the same for pdftotext ("pdftotext"), and lcity
// against pdftotext on the rewrite ("agree"). A rewrite where lcity loses
// text that pdftotext keeps is a defect of lcity's; one where both lose it
// is the rewriting tool's (pdftocairo and Ghostscript drop a font's
// /ToUnicode at times). It prints the rewrites below F1 0.99 and a
// summary; scripts/rewritesweep.sh runs it. A tool that is not installed
// is skipped and named.
//
//	go run ./internal/rewritesweep [-pdftotext PATH] FILE|DIR...
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lcity/lcity/ingest"
)

// rewrite is one way to rewrite a PDF: the tool and its arguments, IN and
// OUT standing for the two files.
type rewrite struct {
	name string
	tool string
	args []string
}

var rewrites = []rewrite{
	{"qpdf-qdf", "qpdf", []string{"--qdf", "IN", "OUT"}},
	{"qpdf-objstm", "qpdf", []string{"--object-streams=generate", "IN", "OUT"}},
	{"qpdf-linearize", "qpdf", []string{"--linearize", "IN", "OUT"}},
	{"qpdf-uncompress", "qpdf", []string{"--stream-data=uncompress", "IN", "OUT"}},
	{"qpdf-rc4-40", "qpdf", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--", "IN", "OUT"}},
	{"qpdf-rc4-128", "qpdf", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--", "IN", "OUT"}},
	{"qpdf-aes-128", "qpdf", []string{"--encrypt", "", "owner", "128", "--use-aes=y", "--", "IN", "OUT"}},
	{"qpdf-aes-256", "qpdf", []string{"--encrypt", "", "owner", "256", "--", "IN", "OUT"}},
	{"qpdf-rotate", "qpdf", []string{"--rotate=90", "IN", "OUT"}},
	{"pdfunite", "pdfunite", []string{"IN", "OUT"}},
	{"pdftocairo", "pdftocairo", []string{"-pdf", "IN", "OUT"}},
	{"mutool-clean", "mutool", []string{"clean", "-gggg", "-z", "IN", "OUT"}},
	{"mutool-ascii", "mutool", []string{"clean", "-d", "-a", "IN", "OUT"}},
	{"mutool-convert", "mutool", []string{"convert", "-o", "OUT", "IN"}},
	{"gs", "gs", []string{"-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", "OUT", "IN"}},
	{"gs-1.4", "gs", []string{"-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.4", "-dPDFSETTINGS=/screen", "-o", "OUT", "IN"}},
	{"gs-pdfa", "gs", []string{"-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFA=2", "-dPDFACompatibilityPolicy=1", "-o", "OUT", "IN"}},
	{"pymupdf-clean", "python3", []string{"-c", "import fitz,sys; fitz.open(sys.argv[1]).save(sys.argv[2], clean=True, garbage=4, deflate=True)", "IN", "OUT"}},
}

func main() {
	tool := flag.String("pdftotext", "pdftotext", "pdftotext binary")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: rewritesweep [-pdftotext PATH] FILE|DIR...")
		os.Exit(2)
	}
	if _, err := exec.LookPath(*tool); err != nil {
		fmt.Fprintf(os.Stderr, "rewritesweep: %s not found; install poppler-utils\n", *tool)
		os.Exit(1)
	}
	files, err := pdfs(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "rewritesweep:", err)
		os.Exit(1)
	}
	if err := sweep(os.Stdout, files, *tool, rewrites); err != nil {
		fmt.Fprintln(os.Stderr, "rewritesweep:", err)
		os.Exit(1)
	}
}

// pdfs lists the PDFs named or in the folders named, sorted.
func pdfs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.pdf"))
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	return out, nil
}

// outcome is the comparison of one rewrite of one file.
type outcome struct {
	file, rewrite          string
	lcity, pdftotext, both float64
	note                   string
}

// sweep rewrites each file by each of rws whose tool is installed and
// writes the table and the summary to out.
func sweep(out io.Writer, files []string, pdftotext string, rws []rewrite) error {
	tmp, err := os.MkdirTemp("", "rewritesweep-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var missing []string
	have := map[string]bool{}
	for _, rw := range rws {
		if _, seen := have[rw.tool]; seen {
			continue
		}
		_, err := exec.LookPath(rw.tool)
		have[rw.tool] = err == nil
		if rw.tool == "python3" && err == nil {
			have[rw.tool] = exec.Command("python3", "-c", "import fitz").Run() == nil
		}
		if !have[rw.tool] {
			missing = append(missing, rw.tool)
		}
	}
	var all, shown []outcome
	made, withText := 0, 0
	for _, f := range files {
		orig, err := lcityText(f)
		if err != nil || strings.TrimSpace(orig) == "" {
			continue // nothing to keep: an image-only, encrypted or broken file
		}
		withText++
		ptOrig, _ := popplerText(pdftotext, f)
		for _, rw := range rws {
			if !have[rw.tool] {
				continue
			}
			dst := filepath.Join(tmp, "out.pdf")
			os.Remove(dst)
			args := make([]string, len(rw.args))
			for i, a := range rw.args {
				switch a {
				case "IN":
					a = f
				case "OUT":
					a = dst
				}
				args[i] = a
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			exec.CommandContext(ctx, rw.tool, args...).Run() // qpdf exits 3 on warnings; the file counts
			cancel()
			if st, err := os.Stat(dst); err != nil || st.Size() == 0 {
				continue // the tool refused the file
			}
			made++
			o := outcome{file: filepath.Base(f), rewrite: rw.name}
			text, err := lcityText(dst)
			if err != nil {
				o.note = "lcity: " + firstLine(err.Error())
			}
			pt, _ := popplerText(pdftotext, dst)
			o.lcity = ingest.TokenF1(orig, text)
			o.pdftotext = ingest.TokenF1(ptOrig, pt)
			o.both = ingest.TokenF1(pt, text)
			all = append(all, o)
			if o.lcity < 0.99 {
				shown = append(shown, o)
			}
		}
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "file\trewrite\tlcity\tpdftotext\tagree\tnote")
	for _, o := range shown {
		fmt.Fprintf(w, "%s\t%s\t%.3f\t%.3f\t%.3f\t%s\n", o.file, o.rewrite, o.lcity, o.pdftotext, o.both, o.note)
	}
	w.Flush()
	lcityKept, ptKept, worse := 0, 0, 0
	for _, o := range all {
		if o.lcity >= 0.99 {
			lcityKept++
		}
		if o.pdftotext >= 0.99 {
			ptKept++
		}
		if o.lcity < 0.99 && o.lcity < o.pdftotext-0.01 && o.both < 0.99 {
			worse++
		}
	}
	fmt.Fprintf(out, "\n%d files with text, %d rewrites made", withText, made)
	if len(missing) > 0 {
		fmt.Fprintf(out, " (not installed, skipped: %s)", strings.Join(missing, ", "))
	}
	fmt.Fprintf(out, "\nlcity reads %d of %d rewrites as the original (F1 >= 0.99), pdftotext %d\n", lcityKept, len(all), ptKept)
	fmt.Fprintf(out, "rewrites where lcity loses text that pdftotext keeps: %d\n", worse)
	return nil
}

func lcityText(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	texts, err := ingest.PageTexts(ctx, bytes.NewReader(data), int64(len(data)), 1)
	return strings.Join(texts, "\f"), err
}

func popplerText(tool, file string) (string, error) {
	out, err := exec.Command(tool, "-q", file, "-").Output()
	return string(out), err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
