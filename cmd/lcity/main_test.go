package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
)

// lcity runs the CLI in-process and returns its exit code and output.
func lcity(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  string
)

// sampleRun runs `lcity run` on the embedded sample once for all tests.
func sampleRun(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lcity-e2e-")
		if err != nil {
			sampleErr = err.Error()
			return
		}
		sampleDir = filepath.Join(dir, "out")
		code, _, stderr := lcity(t, "run", "--out", sampleDir)
		if code != 0 {
			sampleErr = "lcity run exit " + strconv.Itoa(code) + ": " + stderr
		}
	})
	if sampleErr != "" {
		t.Fatal(sampleErr)
	}
	return sampleDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(filepath.Dir(sampleDir))
	}
	os.Exit(code)
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRunSample(t *testing.T) {
	out := sampleRun(t)
	for _, f := range []string{corpus.DocumentsFile, corpus.PassagesFile, index.DirName, corpus.CodingsFile, corpus.ProfilesFile,
		corpus.SimilarityFile, corpus.ContrastsFile, corpus.ReportMD, corpus.ReportHTML, corpus.SimilaritySVG, corpus.FailuresFile, corpus.RunFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("workspace lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, corpus.LockFile)); err == nil {
		t.Error("lock file left behind")
	}

	docs, err := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]int{}
	cities := map[string]bool{}
	for _, d := range docs {
		regions[d.Region]++
		cities[d.City] = true
		if d.Pages < 1 || d.SHA256 == "" || d.Extractor == "" || d.Publication == "" || d.Year == 0 {
			t.Errorf("document %s lacks fields: %+v", d.ID, d)
		}
	}
	if len(cities) != 17 || regions[corpus.RegionEurope] != 9 || regions[corpus.RegionAsiaPacific] != 8 {
		t.Fatalf("documents: %d cities, regions %v; want 17 cities, Europe 9, Asia-Pacific 8", len(cities), regions)
	}

	// Passages: offsets into the document text, pages inside the document.
	ps, err := corpus.ReadJSONL[corpus.Passage](filepath.Join(out, corpus.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	byDoc := map[string]corpus.Document{}
	for _, d := range docs {
		byDoc[d.ID] = d
	}
	texts := map[string]string{}
	for _, p := range ps {
		if _, ok := texts[p.DocID]; !ok {
			b, err := os.ReadFile(filepath.Join(out, corpus.TextsDir, p.DocID+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			texts[p.DocID] = string(b)
		}
		if got := texts[p.DocID][p.Start:p.End]; got != p.Text {
			t.Fatalf("passage %s: text[%d:%d] = %q, want %q", p.ID, p.Start, p.End, got, p.Text)
		}
		d := byDoc[p.DocID]
		if p.Page < d.FirstPage || p.Page > d.LastPage {
			t.Errorf("passage %s on page %d outside %s's pages %d-%d", p.ID, p.Page, d.ID, d.FirstPage, d.LastPage)
		}
		if p.Section == "" {
			t.Errorf("passage %s has no section", p.ID)
		}
		if strings.Contains(p.Text, "illustrative sample  |") || strings.Contains(p.Text, "(illustrative sample)  |") {
			t.Errorf("passage %s holds the running header: %q", p.ID, p.Text)
		}
	}

	// similarity.csv: 17 × 17 with names, symmetric, diagonal 1.
	sim := readCSV(t, filepath.Join(out, corpus.SimilarityFile))
	if len(sim) != 18 || len(sim[0]) != 18 {
		t.Fatalf("similarity.csv is %d × %d, want 18 × 18", len(sim), len(sim[0]))
	}
	for i := 1; i < 18; i++ {
		if sim[i][0] != sim[0][i] {
			t.Errorf("row %d is %s but column %d is %s", i, sim[i][0], i, sim[0][i])
		}
		if sim[i][i] != "1.000000" {
			t.Errorf("similarity[%s][%s] = %s, want 1", sim[i][0], sim[i][0], sim[i][i])
		}
		for j := 1; j < 18; j++ {
			if sim[i][j] != sim[j][i] {
				t.Errorf("similarity not symmetric at %s/%s", sim[i][0], sim[0][j])
			}
		}
	}

	// codings from all three codebooks.
	cs, err := corpus.ReadCodings(filepath.Join(out, corpus.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	books := map[string]int{}
	for _, c := range cs {
		books[strings.SplitN(c.CodeID, ".", 2)[0]]++
		for _, e := range c.Evidence {
			if e.Start < 0 || e.End > len(texts[c.DocID]) {
				t.Fatalf("coding %s/%s evidence %+v outside the text", c.PassageID, c.CodeID, e)
			}
		}
	}
	for _, b := range []string{"charter", "keyfeatures", "drivers"} {
		if books[b] == 0 {
			t.Errorf("no codings from %s", b)
		}
	}

	report, _ := os.ReadFile(filepath.Join(out, corpus.ReportMD))
	for c := range cities {
		if !strings.Contains(string(report), c) {
			t.Errorf("report.md does not name %s", c)
		}
	}
	if !strings.Contains(string(report), "Illustrative sample, not UNESCO text") {
		t.Error("report.md does not label the sample")
	}

	contrasts := readCSV(t, filepath.Join(out, corpus.ContrastsFile))
	want := []string{"code_id", "label", "europe_mean", "asia_pacific_mean", "difference", "effect_size"}
	for i, w := range want {
		if contrasts[0][i] != w {
			t.Errorf("contrasts.csv column %d = %q, want %q", i, contrasts[0][i], w)
		}
	}

	// Issue 5: 0 <= p <= p_adj <= 1 in contrasts.csv; report sections;
	// inline SVG figures.
	col := map[string]int{}
	for i, h := range contrasts[0] {
		col[h] = i
	}
	for _, row := range contrasts[1:] {
		p, err1 := strconv.ParseFloat(row[col["p"]], 64)
		padj, err2 := strconv.ParseFloat(row[col["p_adj"]], 64)
		if err1 != nil || err2 != nil || p < 0 || p > padj || padj > 1 {
			t.Errorf("contrasts.csv %s: p %s, p_adj %s; want 0 <= p <= p_adj <= 1", row[0], row[col["p"]], row[col["p_adj"]])
		}
	}
	for _, section := range []string{"## Similarity structure", "permutation test", "## Hypotheses", "Longworth", "Han, S. and Makino",
		"## Focus-table check", "## Limits", "Strongest evidence, Asia-Pacific"} {
		if !strings.Contains(string(report), section) {
			t.Errorf("report.md lacks %q", section)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, corpus.ReportHTML))
	if n := strings.Count(string(html), "<svg"); n != 4 || strings.Contains(string(html), "<?xml") {
		t.Errorf("report.html has %d inline SVG figures (want 4: heat map, similarity, dendrogram, PCA) or an XML prolog", n)
	}
	hyp := readCSV(t, filepath.Join(out, corpus.HypothesesFile))
	if len(hyp) != 3 {
		t.Errorf("hypotheses.csv has %d rows, want a header and 2 hypotheses", len(hyp))
	}
	for _, row := range hyp[1:] {
		if v := row[len(row)-2]; v != "supported" && v != "not supported" && v != "mixed" {
			t.Errorf("hypothesis %s verdict %q", row[0], v)
		}
	}
	focus := readCSV(t, filepath.Join(out, corpus.FocusFile))
	if len(focus) != 18 {
		t.Errorf("focus_check.csv has %d rows, want 17 cities", len(focus)-1)
	}

	var m runManifest
	b, _ := os.ReadFile(filepath.Join(out, corpus.RunFile))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != 2 || len(m.Codebooks) != 3 || m.Counts.Documents != 17 || m.Notice == "" {
		t.Errorf("run.json = %+v", m)
	}
	for _, o := range m.Outputs {
		if o.SHA256 == "" {
			continue
		}
		if sum, _, err := hashFile(filepath.Join(out, o.Path)); err != nil || sum != o.SHA256 {
			t.Errorf("run.json: %s hash %s, file has %s (%v)", o.Path, o.SHA256, sum, err)
		}
	}
}

func TestSearchSample(t *testing.T) {
	out := sampleRun(t)
	code, stdout, stderr := lcity(t, "search", "--out", out, "--json", "kominkan")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, stderr)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("search --json output: %v\n%s", err, stdout)
	}
	if res.Total == 0 || res.Hits[0].City != "Okayama" || res.Hits[0].Page < 2 || res.Hits[0].PassageID == "" {
		t.Fatalf("search kominkan = %+v", res)
	}
	for _, f := range []string{"region", "city", "codes", "section"} {
		if _, ok := res.Facets[f]; !ok {
			t.Errorf("facets lack %s", f)
		}
	}

	code, stdout, _ = lcity(t, "search", "--out", out, "--json", "--region", "Europe", "learn*")
	if code != 0 {
		t.Fatalf("search --region exit %d", code)
	}
	res = index.Result{}
	json.Unmarshal([]byte(stdout), &res)
	if res.Total == 0 {
		t.Fatal("no European hits for learn*")
	}
	for _, h := range res.Hits {
		if h.Region != corpus.RegionEurope {
			t.Errorf("hit %s from %s, want Europe only", h.PassageID, h.Region)
		}
	}

	code, stdout, _ = lcity(t, "search", "--out", out, "kominkan")
	if code != 0 || !strings.Contains(stdout, "Okayama") || !strings.Contains(stdout, "[kominkan]") {
		t.Errorf("search text output (exit %d):\n%s", code, stdout)
	}
	if code, stdout, _ := lcity(t, "search", "--out", out, "--kwic", "kominkan"); code != 0 || !strings.Contains(stdout, "[kominkan]") || !strings.Contains(stdout, "Okayama") {
		t.Errorf("search --kwic: exit %d\n%s", code, stdout)
	}
	if code, _, _ := lcity(t, "search", "--out", out, "a:"); code != 2 {
		t.Errorf("bad query exit %d, want 2", code)
	}
}

func TestKwic(t *testing.T) {
	out := sampleRun(t)
	code, stdout, _ := lcity(t, "kwic", "--out", out, "--json", "keyfeatures.families-communities")
	var lines []kwicLine
	if code != 0 || json.Unmarshal([]byte(stdout), &lines) != nil || len(lines) == 0 {
		t.Fatalf("kwic code exit %d: %s", code, stdout)
	}
	code, stdout, _ = lcity(t, "kwic", "--out", out, "kominkan")
	if code != 0 || !strings.Contains(stdout, "Okayama") || !strings.Contains(stdout, "[kominkan]") {
		t.Errorf("kwic term (exit %d):\n%s", code, stdout)
	}
}

// TestRunDeterministic reruns the sample with one worker and expects the
// same bytes in every output but the index.
func TestRunDeterministic(t *testing.T) {
	out8 := filepath.Join(t.TempDir(), "out8")
	out1 := filepath.Join(t.TempDir(), "out1")
	for _, r := range []struct{ out, workers string }{{out8, "8"}, {out1, "1"}} {
		if code, _, stderr := lcity(t, "run", "--out", r.out, "--workers", r.workers); code != 0 {
			t.Fatalf("run --workers %s: exit %d: %s", r.workers, code, stderr)
		}
		if code, _, stderr := lcity(t, "export", "qdpx", "--out", r.out, filepath.Join(r.out, "export.qdpx")); code != 0 {
			t.Fatalf("export: exit %d: %s", code, stderr)
		}
	}
	n := 0
	filepath.WalkDir(out8, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(out8, p)
		if d.IsDir() {
			if rel == index.DirName {
				return fs.SkipDir
			}
			return nil
		}
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(out1, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between --workers 8 and --workers 1", rel)
		}
		n++
		return nil
	})
	if n < 30 {
		t.Errorf("compared only %d files", n)
	}
}

// writeSampleCorpus copies the embedded sample into a folder.
func writeSampleCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	c := corpus.Sample()
	err := fs.WalkDir(c.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(c.FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunWithBrokenPDF(t *testing.T) {
	dir := writeSampleCorpus(t)
	good, _ := os.ReadFile(filepath.Join(dir, "learning-cities-2015-sample.pdf"))
	os.WriteFile(filepath.Join(dir, "broken.pdf"), good[:len(good)/3], 0o644)
	manifest, _ := os.ReadFile(filepath.Join(dir, corpus.ManifestName))
	manifest = append(manifest, []byte("  - {file: broken.pdf, city: Atlantis, country: Nowhere, region: Europe, year: 2017}\n")...)
	os.WriteFile(filepath.Join(dir, corpus.ManifestName), manifest, 0o644)

	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--permutations", "99")
	if code != 1 {
		t.Fatalf("run with a broken PDF: exit %d, want 1: %s", code, stderr)
	}
	fails := readCSV(t, filepath.Join(out, corpus.FailuresFile))
	if len(fails) != 2 || !strings.HasSuffix(fails[1][0], "broken.pdf") || fails[1][1] != corpus.ReasonCorrupt {
		t.Errorf("failures.csv = %v", fails)
	}
	docs, _ := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if len(docs) != 17 {
		t.Errorf("%d documents written, want the 17 good ones", len(docs))
	}
	if _, err := os.Stat(filepath.Join(out, corpus.ReportMD)); err != nil {
		t.Errorf("no report despite 17 good documents: %v", err)
	}
}

func TestFolderWithoutManifest(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "okayama.md"), []byte("# Okayama\n\n## Making learning accessible\n\nThe kominkan are community learning centres for families.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "scan.pdf"), []byte("%PDF-1.4\ngarbage"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out)
	if code != 1 {
		t.Fatalf("ingest exit %d, want 1: %s", code, stderr)
	}
	docs, _ := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if len(docs) != 1 || docs[0].City != "Okayama" || docs[0].Region != corpus.RegionUnknown {
		t.Errorf("documents = %+v", docs)
	}
	// The stages run one by one on the same workspace.
	for _, args := range [][]string{{"code"}, {"index"}, {"analyze", "--permutations", "9"}} {
		if code, _, stderr := lcity(t, append(args, "--out", out)...); code != 0 {
			t.Errorf("lcity %v: exit %d: %s", args, code, stderr)
		}
	}
	if code, stdout, _ := lcity(t, "search", "--out", out, "kominkan"); code != 0 || !strings.Contains(stdout, "Okayama") {
		t.Errorf("search after stages: exit %d\n%s", code, stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [\"\"]\n"), 0o644)
	good := filepath.Join(t.TempDir(), "good.yaml")
	os.WriteFile(good, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [kominkan]\n"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "--bogus"}, 2, "unknown flag"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"run", "--weight", "bogus", "--out", t.TempDir()}, 2, "weight"},
		{[]string{"run", "--corpus", "/no/such/dir", "--out", t.TempDir()}, 2, "no/such/dir"},
		{[]string{"ingest", "--fallback", "xpdf", "--out", t.TempDir()}, 2, "want pdftotext"},
		{[]string{"run", "--hypotheses", bad, "--out", t.TempDir()}, 2, "bad.yaml:"},
		{[]string{"codebook", "validate", bad}, 2, "bad.yaml:5: terms"},
		{[]string{"codebook", "validate", good}, 0, "ok"},
		{[]string{"codebook", "show", "charter"}, 0, "charter.partnerships"},
		{[]string{"codebook", "list"}, 0, "keyfeatures"},
		{[]string{"search", "--out", t.TempDir(), "x"}, 2, "no index"},
		{[]string{"code", "--out", t.TempDir()}, 2, "not an lcity workspace"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := lcity(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.msg) {
				t.Errorf("lcity %v = exit %d, %q%q; want exit %d mentioning %q", tt.args, code, stdout, stderr, tt.code, tt.msg)
			}
		})
	}
}

func TestWorkspaceLock(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, corpus.LockFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	code, _, stderr := lcity(t, "run", "--out", out)
	if code != 2 || !strings.Contains(stderr, "in use") {
		t.Errorf("run on a locked workspace: exit %d %q, want 2 and a clear message", code, stderr)
	}
	// A stale lock (no such process) is taken over.
	os.WriteFile(filepath.Join(out, corpus.LockFile), []byte("999999999\n"), 0o644)
	unlock, err := corpus.Lock(out)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	unlock()
}

// TestIngestSharedPDFs runs `lcity ingest` on the real-world PDFs of
// ../shared/pdfs (skipped when absent): exit 0 or 1, and every file is in
// documents.jsonl or in failures.csv, never both.
func TestIngestSharedPDFs(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "pdfs")
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) == 0 {
		t.Skip("no ../shared/pdfs; nothing to test")
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	docs, err := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if err != nil {
		t.Fatal(err)
	}
	fails, err := corpus.ReadFailures(filepath.Join(out, corpus.FailuresFile))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, d := range docs {
		seen[filepath.Base(d.Source)]++
	}
	for _, f := range fails {
		seen[filepath.Base(f.Source)]++
	}
	for _, f := range files {
		if n := seen[filepath.Base(f)]; n != 1 {
			t.Errorf("%s: in documents and failures %d times, want once", filepath.Base(f), n)
		}
	}
	if (len(fails) > 0) != (code == 1) {
		t.Errorf("exit %d with %d failures", code, len(fails))
	}
}

// TestCodeWithDictionary codes the sample with a LIWC dictionary: its
// categories become codes named <file stem>.<category>.
func TestCodeWithDictionary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "ingest", "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	dic := filepath.Join("..", "..", "coding", "testdata", "mini.dic")
	if code, _, stderr := lcity(t, "code", "--out", out, "--codebook", dic); code != 0 {
		t.Fatalf("code --codebook mini.dic: exit %d: %s", code, stderr)
	}
	cs, err := corpus.ReadCodings(filepath.Join(out, corpus.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, c := range cs {
		ids[c.CodeID]++
	}
	if len(cs) == 0 || ids["mini.family"] == 0 || ids["mini.festival"] == 0 || len(ids) != 2 {
		t.Errorf("codings by code = %v, want only mini.family and mini.festival", ids)
	}
	if code, stdout, _ := lcity(t, "codebook", "validate", dic); code != 0 || !strings.Contains(stdout, "codebook mini") {
		t.Errorf("validate mini.dic: exit %d %q", code, stdout)
	}
}

// TestEval compares the sample's codings with gold files made from them:
// the same codings agree fully (kappa 1); a copy without every third row
// agrees partly (0 < kappa < 1); bad gold files are usage errors.
func TestEval(t *testing.T) {
	out := sampleRun(t)
	cs, err := corpus.ReadCodings(filepath.Join(out, corpus.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, keep func(i int) bool) string {
		var b strings.Builder
		b.WriteString("passage_id,code_id\n")
		n := 0
		for _, c := range cs {
			if strings.HasPrefix(c.CodeID, "charter.") {
				if keep(n) {
					fmt.Fprintf(&b, "%s,%s\n", c.PassageID, c.CodeID)
				}
				n++
			}
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	kappa := func(gold string) float64 {
		t.Helper()
		code, stdout, stderr := lcity(t, "eval", "--out", out, "--gold", gold, "--json")
		if code != 0 {
			t.Fatalf("eval: exit %d: %s", code, stderr)
		}
		var rep struct {
			Codes   map[string]json.RawMessage                        `json:"codes"`
			Overall struct{ Kappa, Alpha, PercentAgreement *float64 } `json:"overall"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Codes) != 10 || rep.Overall.Kappa == nil || rep.Overall.Alpha == nil {
			t.Fatalf("eval JSON: %s", stdout)
		}
		return *rep.Overall.Kappa
	}
	if k := kappa(write("same.csv", func(int) bool { return true })); k != 1 {
		t.Errorf("kappa against its own codings = %v, want 1", k)
	}
	if k := kappa(write("thin.csv", func(i int) bool { return i%3 != 0 })); k <= 0 || k >= 1 {
		t.Errorf("kappa against a thinned copy = %v, want strictly between 0 and 1", k)
	}
	unknown := filepath.Join(dir, "unknown.csv")
	os.WriteFile(unknown, []byte("passage_id,code_id\nnowhere-p0001,charter.inclusion\n"), 0o644)
	badCode := filepath.Join(dir, "badcode.csv")
	os.WriteFile(badCode, []byte("passage_id,code_id\n"+cs[0].PassageID+",charter.nosuch\n"), 0o644)
	for _, tt := range []struct{ gold, want string }{{unknown, "unknown.csv:2"}, {badCode, "badcode.csv:2"}, {filepath.Join(dir, "missing.csv"), "missing.csv"}} {
		if code, _, stderr := lcity(t, "eval", "--out", out, "--gold", tt.gold); code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("eval --gold %s: exit %d %q, want 2 naming %s", tt.gold, code, stderr, tt.want)
		}
	}
}

// TestExport exports the sample: a .qdpx with one case per city, twice
// byte-identical; a .qdc; a tidy CSV; an unknown format is a usage error.
func TestExport(t *testing.T) {
	out := sampleRun(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.qdpx"), filepath.Join(dir, "b.qdpx")
	for _, f := range []string{a, b} {
		if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, f); code != 0 {
			t.Fatalf("export qdpx: exit %d: %s", code, stderr)
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Error("two exports of the same workspace differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := zr.File[0].Open()
	qde, _ := io.ReadAll(rc)
	if n := strings.Count(string(qde), "<Case "); n != 17 {
		t.Errorf("project.qde has %d cases, want 17", n)
	}
	if len(zr.File) != 18 {
		t.Errorf("archive has %d entries, want project.qde and 17 sources", len(zr.File))
	}
	for _, format := range []string{"qdc", "csv"} {
		f := filepath.Join(dir, "export."+format)
		if code, _, stderr := lcity(t, "export", format, "--out", out, f); code != 0 {
			t.Errorf("export %s: exit %d: %s", format, code, stderr)
		}
	}
	if code, _, _ := lcity(t, "export", "nvivo", "--out", out, filepath.Join(dir, "x")); code != 2 {
		t.Errorf("export nvivo: exit %d, want 2", code)
	}
}

// TestVerify: a fresh run verifies; after similarity.csv is edited, verify
// exits 1 naming it; a damaged run.json is a usage error.
func TestVerify(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "99"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	runJSON := filepath.Join(out, corpus.RunFile)
	if code, stdout, stderr := lcity(t, "verify", runJSON); code != 0 || !strings.Contains(stdout, "verified") {
		t.Fatalf("verify a fresh run: exit %d\n%s%s", code, stdout, stderr)
	}
	f, _ := os.OpenFile(filepath.Join(out, corpus.SimilarityFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("edited\n")
	f.Close()
	code, stdout, _ := lcity(t, "verify", runJSON)
	if code != 1 || !strings.Contains(stdout, "similarity.csv") {
		t.Errorf("verify after editing similarity.csv: exit %d\n%s", code, stdout)
	}
	bad := filepath.Join(t.TempDir(), "run.json")
	os.WriteFile(bad, []byte(`{"tool":"lcity","bogus":1}`), 0o644)
	if code, _, stderr := lcity(t, "verify", bad); code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("verify a damaged run.json: exit %d %q, want 2", code, stderr)
	}
}

// TestDiff recodes the sample with a charter that lost two terms: diff
// reports the changed codebook and the passages that lost the code.
func TestDiff(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a")
	if code, _, stderr := lcity(t, "run", "--out", a, "--permutations", "99"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := lcity(t, "diff", a, a); code != 0 || strings.Count(stdout, "unchanged") != 6 {
		t.Errorf("diff of a workspace with itself: exit %d\n%s", code, stdout)
	}
	b := filepath.Join(t.TempDir(), "b")
	if code, _, stderr := lcity(t, "ingest", "--out", b); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	edited := strings.Replace(string(orig), " fair, event,", "", 1)
	if edited == string(orig) {
		t.Fatal("charter.yaml no longer lists fair, event; update the test")
	}
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, []byte(edited), 0o644)
	for _, args := range [][]string{{"code", "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"}, {"analyze", "--permutations", "99"}} {
		if code, _, stderr := lcity(t, append(args, "--out", b)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, stdout, stderr := lcity(t, "diff", a, b, "--json")
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	var d struct {
		Codebooks []string `json:"codebooks"`
		Codings   []struct {
			CodeID  string   `json:"code_id"`
			Added   []string `json:"added"`
			Removed []string `json:"removed"`
		} `json:"codings"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Codebooks) != 1 || !strings.HasPrefix(d.Codebooks[0], "charter: changed") {
		t.Errorf("codebooks = %v", d.Codebooks)
	}
	if len(d.Codings) != 1 || d.Codings[0].CodeID != "charter.celebration" || len(d.Codings[0].Removed) == 0 || len(d.Codings[0].Added) != 0 {
		t.Errorf("codings = %+v", d.Codings)
	}
}

// TestRerun: an unchanged rerun does nothing; a forced rerun takes the
// extraction from the cache (a marked cache entry shows up in the
// output); a changed input is extracted again.
func TestRerun(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "okayama.md")
	os.WriteFile(doc, []byte("# Okayama\n\n## Intro\n\nThe kominkan are community learning centres for families.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "--corpus", dir, "--out", out, "--permutations", "9"}
	if code, _, stderr := lcity(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, corpus.RunFile))
	if code, _, stderr := lcity(t, args...); code != 0 || !strings.Contains(stderr, "up to date") {
		t.Errorf("unchanged rerun: exit %d %q, want up to date", code, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(out, corpus.RunFile))
	if !bytes.Equal(before, after) {
		t.Error("an up-to-date rerun rewrote run.json")
	}
	entries, _ := filepath.Glob(filepath.Join(out, ".cache", "extract", "*.gob"))
	if len(entries) != 1 {
		t.Fatalf("%d cache entries, want 1", len(entries))
	}
	data, _ := os.ReadFile(entries[0])
	var res ingest.Result
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&res); err != nil {
		t.Fatal(err)
	}
	res.Docs[0].Passages[0].Text += " CACHED"
	var b bytes.Buffer
	gob.NewEncoder(&b).Encode(res)
	os.WriteFile(entries[0], b.Bytes(), 0o644)
	if code, _, stderr := lcity(t, append(args, "--force", "--seed", "3")...); code != 0 {
		t.Fatalf("forced rerun: exit %d: %s", code, stderr)
	}
	if ps, _ := os.ReadFile(filepath.Join(out, corpus.PassagesFile)); !strings.Contains(string(ps), "CACHED") {
		t.Error("a rerun with unchanged inputs extracted again instead of using the cache")
	}
	os.WriteFile(doc, []byte("# Okayama\n\n## Intro\n\nThe kominkan are open to everyone.\n"), 0o644)
	if code, _, stderr := lcity(t, args...); code != 0 {
		t.Fatalf("rerun after an edit: exit %d: %s", code, stderr)
	}
	if ps, _ := os.ReadFile(filepath.Join(out, corpus.PassagesFile)); strings.Contains(string(ps), "CACHED") || !strings.Contains(string(ps), "open to everyone") {
		t.Errorf("an edited input was not extracted again:\n%s", ps)
	}
}

// TestEvalSampleGold evaluates the embedded keyfeatures codebook against
// the hand-coded gold set of 153 sample passages. The figures are pinned:
// a change to the codebook or to ingest that moves them must be noticed
// (and the README's numbers updated).
func TestEvalSampleGold(t *testing.T) {
	out := sampleRun(t)
	gold := filepath.Join("..", "..", "corpus", "sample", "gold", "keyfeatures.csv")
	code, stdout, stderr := lcity(t, "eval", "--out", out, "--gold", gold, "--listed-only", "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	var rep struct {
		Passages int `json:"passages"`
		Overall  struct {
			Kappa, Alpha *float64
		} `json:"overall"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Passages != 153 || rep.Overall.Kappa == nil || rep.Overall.Alpha == nil ||
		fmt.Sprintf("%.3f %.3f", *rep.Overall.Kappa, *rep.Overall.Alpha) != "0.495 0.445" {
		t.Errorf("gold set: %d passages, kappa %v, alpha %v; want 153, 0.495, 0.445", rep.Passages, rep.Overall.Kappa, rep.Overall.Alpha)
	}
}

// TestCodeRefreshesIndex: recoding a workspace that has an index rebuilds
// it, so the --code filter sees the new codes.
func TestCodeRefreshesIndex(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	total := func() int {
		t.Helper()
		code, stdout, stderr := lcity(t, "search", "--out", out, "--json", "--code", "charter.celebration", "event")
		if code != 0 {
			t.Fatalf("search: exit %d: %s", code, stderr)
		}
		var res struct{ Total int }
		json.Unmarshal([]byte(stdout), &res)
		return res.Total
	}
	before := total()
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, []byte(strings.Replace(string(orig), " fair, event,", "", 1)), 0o644)
	if code, _, stderr := lcity(t, "code", "--out", out, "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"); code != 0 {
		t.Fatalf("code: exit %d: %s", code, stderr)
	}
	if after := total(); before == 0 || after >= before {
		t.Errorf("passages with 'event' coded charter.celebration: %d before, %d after recoding without 'event'; the index kept the old codes", before, after)
	}
}

// TestEditedCodebookAfterCoding: after the codebook file a workspace was
// coded with is edited, export and analyze use the workspace's copy of the
// codebook as it was, not the edited file.
func TestEditedCodebookAfterCoding(t *testing.T) {
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, orig, 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "9", "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "codebooks", "charter.yaml")); err != nil {
		t.Fatalf("no codebook copy in the workspace: %v", err)
	}
	edited := strings.Replace(string(orig), "id: celebration", "id: festivals", 1)
	if edited == string(orig) {
		t.Fatal("charter.yaml has no code celebration; update the test")
	}
	os.WriteFile(cb, []byte(edited), 0o644)
	qdpx := filepath.Join(t.TempDir(), "x.qdpx")
	if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, qdpx); code != 0 {
		t.Fatalf("export after the edit: exit %d: %s", code, stderr)
	}
	x, _ := os.ReadFile(qdpx)
	zr, _ := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	rc, _ := zr.File[0].Open()
	qde, _ := io.ReadAll(rc)
	if !strings.Contains(string(qde), "charter.celebration") || strings.Contains(string(qde), "charter.festivals") {
		t.Error("export used the edited codebook instead of the one the workspace was coded with")
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out, "--permutations", "9"); code != 0 {
		t.Errorf("analyze after the edit: exit %d: %s", code, stderr)
	}
	if p, _ := os.ReadFile(filepath.Join(out, corpus.ProfilesFile)); !strings.Contains(string(p), "charter.celebration") {
		t.Error("analyze used the edited codebook")
	}
}

// TestProfileFlags: --cpuprofile and --memprofile write pprof files.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	if code, _, stderr := lcity(t, "codebook", "list", "--cpuprofile", cpu, "--memprofile", mem); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, want a profile", f, err)
		}
	}
}

// TestVerifyRelativeCorpus: a run on a corpus given as a relative path
// verifies from another working directory (documents record sources
// relative to the corpus as given).
func TestVerifyRelativeCorpus(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "corp"), 0o755)
	os.WriteFile(filepath.Join(root, "corp", "cork.md"), []byte("# Cork\n\n## Intro\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	t.Chdir(root)
	if code, _, stderr := lcity(t, "run", "--corpus", "corp", "--out", "ws", "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	t.Chdir(t.TempDir())
	if code, stdout, stderr := lcity(t, "verify", filepath.Join(root, "ws", corpus.RunFile)); code != 0 {
		t.Errorf("verify from elsewhere: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestKwicEmptyTerm: an empty term finds nothing instead of looping.
func TestKwicEmptyTerm(t *testing.T) {
	done := make(chan int, 1)
	out := sampleRun(t)
	go func() {
		code, _, _ := lcity(t, "kwic", "--out", out, "")
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("kwic '': exit %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("kwic '' did not return")
	}
}
