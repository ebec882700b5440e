package main

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

func TestRunSample(t *testing.T) {
	out := sampleRun(t)
	for _, f := range []string{workspace.DocumentsFile, workspace.PassagesFile, index.DirName, workspace.CodingsFile, workspace.ProfilesFile,
		workspace.SimilarityFile, workspace.ContrastsFile, workspace.ReportMD, workspace.ReportHTML, workspace.SimilaritySVG, workspace.FailuresFile, workspace.RunFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("workspace lacks %s: %v", f, err)
		}
	}
	// The lock file stays (deleting a flock'd file is a race); no run holds it.
	if l, err := workspace.Acquire(out, workspace.Exclusive, 0); err != nil {
		t.Errorf("workspace still locked after the run: %v", err)
	} else {
		l.Release()
	}

	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
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
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
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
			b, err := os.ReadFile(filepath.Join(out, workspace.TextsDir, p.DocID+".txt"))
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
	sim := readCSV(t, filepath.Join(out, workspace.SimilarityFile))
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
	cs, err := workspace.ReadCodings(filepath.Join(out, workspace.CodingsFile))
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

	report, _ := os.ReadFile(filepath.Join(out, workspace.ReportMD))
	for c := range cities {
		if !strings.Contains(string(report), c) {
			t.Errorf("report.md does not name %s", c)
		}
	}
	if !strings.Contains(string(report), "Illustrative sample, not UNESCO text") {
		t.Error("report.md does not label the sample")
	}

	contrasts := readCSV(t, filepath.Join(out, workspace.ContrastsFile))
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
	html, _ := os.ReadFile(filepath.Join(out, workspace.ReportHTML))
	if n := strings.Count(string(html), "<svg"); n != 4 || strings.Contains(string(html), "<?xml") {
		t.Errorf("report.html has %d inline SVG figures (want 4: heat map, similarity, dendrogram, PCA) or an XML prolog", n)
	}
	hyp := readCSV(t, filepath.Join(out, workspace.HypothesesFile))
	if len(hyp) != 3 {
		t.Errorf("hypotheses.csv has %d rows, want a header and 2 hypotheses", len(hyp))
	}
	for _, row := range hyp[1:] {
		if v := row[len(row)-2]; v != "supported" && v != "not supported" && v != "mixed" {
			t.Errorf("hypothesis %s verdict %q", row[0], v)
		}
	}
	focus := readCSV(t, filepath.Join(out, workspace.FocusFile))
	if len(focus) != 19 {
		t.Errorf("focus_check.csv has %d rows, want a header, 17 cities and the (all) row", len(focus))
	}

	var m workspace.Manifest
	b, _ := os.ReadFile(filepath.Join(out, workspace.RunFile))
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
		if d, err := workspace.HashFile(filepath.Join(out, o.Path)); err != nil || d.SHA256 != o.SHA256 {
			t.Errorf("run.json: %s hash %s, file has %s (%v)", o.Path, o.SHA256, d.SHA256, err)
		}
		if o.Stage == "" {
			t.Errorf("run.json: output %s names no stage", o.Path)
		}
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
	fails := readCSV(t, filepath.Join(out, workspace.FailuresFile))
	if len(fails) != 2 || !strings.HasSuffix(fails[1][0], "broken.pdf") || fails[1][1] != corpus.ReasonCorrupt {
		t.Errorf("failures.csv = %v", fails)
	}
	docs, _ := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if len(docs) != 17 {
		t.Errorf("%d documents written, want the 17 good ones", len(docs))
	}
	if _, err := os.Stat(filepath.Join(out, workspace.ReportMD)); err != nil {
		t.Errorf("no report despite 17 good documents: %v", err)
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
	before, _ := os.ReadFile(filepath.Join(out, workspace.RunFile))
	if code, _, stderr := lcity(t, args...); code != 0 || !strings.Contains(stderr, "up to date") {
		t.Errorf("unchanged rerun: exit %d %q, want up to date", code, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(out, workspace.RunFile))
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
	if ps, _ := os.ReadFile(filepath.Join(out, workspace.PassagesFile)); !strings.Contains(string(ps), "CACHED") {
		t.Error("a rerun with unchanged inputs extracted again instead of using the cache")
	}
	os.WriteFile(doc, []byte("# Okayama\n\n## Intro\n\nThe kominkan are open to everyone.\n"), 0o644)
	if code, _, stderr := lcity(t, args...); code != 0 {
		t.Fatalf("rerun after an edit: exit %d: %s", code, stderr)
	}
	if ps, _ := os.ReadFile(filepath.Join(out, workspace.PassagesFile)); strings.Contains(string(ps), "CACHED") || !strings.Contains(string(ps), "open to everyone") {
		t.Errorf("an edited input was not extracted again:\n%s", ps)
	}
}

func TestWorkspaceLock(t *testing.T) {
	out := t.TempDir()
	l, err := workspace.Acquire(out, workspace.Shared, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A writer waits for readers a while, then gives up with exit 3.
	code, _, stderr := lcity(t, "ingest", "--out", out, "--lock-wait", "50ms")
	if code != exitEnv || !strings.Contains(stderr, "in use") {
		t.Errorf("ingest on a workspace being read: exit %d %q, want %d and a clear message", code, stderr, exitEnv)
	}
	l.Release()
	// A lock file left by a process that is gone does not block: the
	// kernel released its lock.
	os.WriteFile(filepath.Join(out, workspace.LockFile), []byte("pid 999999999\n"), 0o644)
	if code, _, stderr := lcity(t, "ingest", "--out", out); code != 0 {
		t.Errorf("ingest after a stale lock file: exit %d: %s", code, stderr)
	}
}
