package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// reviewCase is a workspace of the sample with three decisions picked from
// its own coding: one auto coding rejected, another removed, and a code
// added by hand on a span of a passage the auto-coder did not give it.
type reviewCase struct {
	out                string
	rejected, removed  corpus.Coding
	added              corpus.Passage
	addedCode          string
	span               review.Span
	passages           map[string]corpus.Passage
	codings            []corpus.Coding
	before             map[[2]string]int // profiles.csv passages per city and code, before the review
	profilesBeforeHash string
}

// newReviewCase runs the sample into a fresh workspace and picks the
// decisions (recorded by record).
func newReviewCase(t *testing.T) *reviewCase {
	t.Helper()
	rc := &reviewCase{out: filepath.Join(t.TempDir(), "out"), passages: map[string]corpus.Passage{}}
	if code, _, stderr := lcity(t, "run", "--out", rc.out, "--permutations", "99"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(rc.out, workspace.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		rc.passages[p.ID] = p
	}
	if rc.codings, err = workspace.ReadCodings(filepath.Join(rc.out, workspace.CodingsFile)); err != nil {
		t.Fatal(err)
	}
	coded := map[[2]string]bool{}
	for _, c := range rc.codings {
		coded[[2]string{c.PassageID, c.CodeID}] = true
	}
	rc.rejected = rc.codings[0]
	for _, c := range rc.codings[1:] {
		if c.City != rc.rejected.City && len(c.Evidence) > 0 {
			rc.removed = c
			break
		}
	}
	// The code to add: one the auto-coder gave somewhere, on a passage of
	// yet another city that it did not give it to.
	rc.addedCode = rc.rejected.CodeID
	for _, p := range ps {
		if p.City != rc.rejected.City && p.City != rc.removed.City && !coded[[2]string{p.ID, rc.addedCode}] && len([]rune(p.Text)) > 40 {
			rc.added = p
			break
		}
	}
	if rc.removed.PassageID == "" || rc.added.ID == "" {
		t.Fatal("the sample has no codings to pick decisions from")
	}
	rc.span = review.Span{Start: 5, End: 30}
	rc.before = profilePassages(t, rc.out)
	return rc
}

// record records ds in the workspace's review store.
func (rc *reviewCase) record(t *testing.T, ds ...review.Decision) {
	t.Helper()
	s, err := review.Open(filepath.Join(rc.out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, d := range ds {
		if d.Coder == "" {
			d.Coder = "ana"
		}
		if _, err := s.Record(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
}

// decisions are the three decisions of the case.
func (rc *reviewCase) decisions() []review.Decision {
	return []review.Decision{
		{PassageID: rc.rejected.PassageID, CodeID: rc.rejected.CodeID, Action: review.Reject, Memo: "not about this"},
		{PassageID: rc.removed.PassageID, CodeID: rc.removed.CodeID, Action: review.Remove},
		{PassageID: rc.added.ID, CodeID: rc.addedCode, Action: review.Add, Span: &rc.span, Memo: "the auto-coder missed it"},
	}
}

// profilePassages reads profiles.csv: passages per city and code.
func profilePassages(t *testing.T, out string) map[[2]string]int {
	t.Helper()
	rows := readCSV(t, filepath.Join(out, workspace.ProfilesFile))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	m := map[[2]string]int{}
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r[col["passages"]])
		if err != nil {
			t.Fatalf("profiles.csv: passages %q", r[col["passages"]])
		}
		m[[2]string{r[col["city"]], r[col["code_id"]]}] = n
	}
	return m
}

func readManifest(t *testing.T, out string) *workspace.Manifest {
	t.Helper()
	m, err := workspace.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReviewedCodingEverywhere: decisions recorded in review.sqlite change
// what analyze, the report, export csv and qdpx, the index (search's codes
// and facets) and kwic say, while codings.csv stays the auto-coder's.
func TestReviewedCodingEverywhere(t *testing.T) {
	rc := newReviewCase(t)
	codingsBefore, err := os.ReadFile(filepath.Join(rc.out, workspace.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	if m := readManifest(t, rc.out); m.Review != nil {
		t.Fatalf("run.json of an unreviewed workspace records a review: %+v", m.Review)
	}
	rc.record(t, rc.decisions()...)
	rc.record(t, review.Decision{PassageID: "no-such-passage", CodeID: rc.addedCode, Action: review.Add})

	if code, _, stderr := lcity(t, "search", "--out", rc.out, "--json", "learning"); code != 0 || !strings.Contains(stderr, "predate 4 review decision") {
		t.Errorf("search before analyze: exit %d, stderr %q; want a note that the index predates 4 decisions", code, stderr)
	}
	if code, _, stderr := lcity(t, "analyze", "--out", rc.out, "--permutations", "99"); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	codingsAfter, _ := os.ReadFile(filepath.Join(rc.out, workspace.CodingsFile))
	if !bytes.Equal(codingsBefore, codingsAfter) {
		t.Error("analyze changed codings.csv, the auto-coder's output")
	}

	// run.json records the review both the analysis and the index used.
	m := readManifest(t, rc.out)
	for _, st := range []string{workspace.StageAnalyze, workspace.StageIndex} {
		r := m.Review[st]
		if r.Decisions != 4 || r.LastSeq != 4 || len(r.SHA256) != 64 || r.Orphans != 1 {
			t.Errorf("run.json review[%s] = %+v, want 4 decisions up to 4, a SHA-256, 1 orphan", st, r)
		}
	}

	// profiles.csv: one passage fewer for each rejected or removed coding,
	// one more for the added code.
	after := profilePassages(t, rc.out)
	for _, tc := range []struct {
		city, code string
		delta      int
	}{
		{rc.rejected.City, rc.rejected.CodeID, -1},
		{rc.removed.City, rc.removed.CodeID, -1},
		{rc.added.City, rc.addedCode, +1},
	} {
		k := [2]string{tc.city, tc.code}
		if after[k]-rc.before[k] != tc.delta {
			t.Errorf("profiles.csv passages of %s × %s: %d before, %d after; want a change of %+d", tc.city, tc.code, rc.before[k], after[k], tc.delta)
		}
	}

	// The report: per-code tallies and the orphan.
	report, _ := os.ReadFile(filepath.Join(rc.out, workspace.ReportMD))
	for _, want := range []string{"## Human review", "4 decisions in review.sqlite", "`no-such-passage`", "passage not found",
		"`" + rc.rejected.CodeID + "`"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}

	// export csv: the rejected and removed codings are gone, the added one
	// is there with status added and its span's text.
	csvFile := filepath.Join(t.TempDir(), "export.csv")
	if code, _, stderr := lcity(t, "export", "csv", "--out", rc.out, csvFile); code != 0 {
		t.Fatalf("export csv: exit %d: %s", code, stderr)
	}
	rows := readCSV(t, csvFile)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	spanText := string([]rune(rc.added.Text)[rc.span.Start:rc.span.End])
	var gotAdded bool
	for _, r := range rows[1:] {
		key := [2]string{r[col["passage_id"]], r[col["code_id"]]}
		switch key {
		case [2]string{rc.rejected.PassageID, rc.rejected.CodeID}, [2]string{rc.removed.PassageID, rc.removed.CodeID}:
			t.Errorf("export csv still has the rejected or removed coding %v", key)
		case [2]string{rc.added.ID, rc.addedCode}:
			gotAdded = true
			if r[col["status"]] != pipeline.StatusAdded || r[col["source"]] != corpus.SourceHuman || r[col["matched"]] != spanText ||
				r[col["rule"]] != "human" {
				t.Errorf("export csv row of the added coding = %v; want status added, source human, rule human, matched %q", r, spanText)
			}
		}
	}
	if !gotAdded {
		t.Errorf("export csv lacks the added coding %s × %s", rc.added.ID, rc.addedCode)
	}

	// export qdpx: the codings are the reviewed ones.
	qdpx := filepath.Join(t.TempDir(), "study.qdpx")
	if code, _, stderr := lcity(t, "export", "qdpx", "--out", rc.out, qdpx); code != 0 {
		t.Fatalf("export qdpx: exit %d: %s", code, stderr)
	}
	qde := projectQDE(t, qdpx)
	for _, tc := range []struct {
		passage, code string
		want          bool
	}{
		{rc.rejected.PassageID, rc.rejected.CodeID, false},
		{rc.removed.PassageID, rc.removed.CodeID, false},
		{rc.added.ID, rc.addedCode, true},
	} {
		guid := export.GUID("coding:" + tc.passage + ":" + tc.code)
		if got := strings.Contains(qde, guid); got != tc.want {
			t.Errorf("project.qde has the coding of %s × %s: %v, want %v", tc.passage, tc.code, got, tc.want)
		}
	}

	// The index: the added code is a code of its passage, in the hits and
	// the facets; the rejected one is not.
	if code, stdout, stderr := lcity(t, "search", "--out", rc.out, "--json", "--code", rc.addedCode, "--limit", "1000", "learning city"); code != 0 || stderr != "" {
		t.Errorf("search --code %s: exit %d: %s", rc.addedCode, code, stderr)
	} else {
		var res index.Result
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || h.PassageID == rc.added.ID
			if h.PassageID == rc.rejected.PassageID {
				t.Errorf("search --code %s finds %s, whose coding was rejected", rc.addedCode, h.PassageID)
			}
		}
		facet := 0
		for _, c := range res.Facets["codes"] {
			if c.Term == rc.addedCode {
				facet = c.Count
			}
		}
		if !found || uint64(facet) != res.Total {
			t.Errorf("search --code %s: hit %s found %v, code facet %d of %d hits", rc.addedCode, rc.added.ID, found, facet, res.Total)
		}
	}

	// kwic: the added span is a line, the rejected coding's evidence is not.
	code, stdout, stderr := lcity(t, "kwic", "--out", rc.out, "--json", rc.addedCode)
	if code != 0 {
		t.Fatalf("kwic: exit %d: %s", code, stderr)
	}
	var lines []pipeline.KWICLine
	if err := json.Unmarshal([]byte(stdout), &lines); err != nil {
		t.Fatal(err)
	}
	var sawAdded bool
	for _, l := range lines {
		sawAdded = sawAdded || (l.PassageID == rc.added.ID && l.Match == strings.Join(strings.Fields(spanText), " "))
		if l.PassageID == rc.rejected.PassageID {
			t.Errorf("kwic %s has a line of %s, whose coding was rejected", rc.addedCode, l.PassageID)
		}
	}
	if !sawAdded {
		t.Errorf("kwic %s has no line %q of %s", rc.addedCode, spanText, rc.added.ID)
	}

	// verify reruns the whole pipeline in one stream (the review applied
	// in the sink) and must reproduce what analyze wrote from the files.
	if code, stdout, stderr := lcity(t, "verify", filepath.Join(rc.out, workspace.RunFile)); code != 0 {
		t.Errorf("verify after analyze: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestEvalGoldReview: eval --gold review counts, per code, the passage ×
// code pairs people decided on: a rejected or removed auto coding is a
// false positive of the auto-coder, a code added by hand a false negative;
// a workspace without decisions is the user's error.
func TestEvalGoldReview(t *testing.T) {
	if code, _, stderr := lcity(t, "eval", "--gold", "review", "--out", sampleRun(t)); code != 2 || !strings.Contains(stderr, "no review decisions") {
		t.Errorf("eval --gold review without decisions: exit %d %q, want 2", code, stderr)
	}
	rc := newReviewCase(t)
	rc.record(t, rc.decisions()...)
	// An accepted coding is a true positive.
	var accepted corpus.Coding
	for _, c := range rc.codings {
		if c.PassageID != rc.rejected.PassageID && c.PassageID != rc.removed.PassageID && c.PassageID != rc.added.ID {
			accepted = c
			break
		}
	}
	rc.record(t, review.Decision{PassageID: accepted.PassageID, CodeID: accepted.CodeID, Action: review.Accept})
	want := map[string]pipeline.EvalCode{}
	count := func(code string, f func(*pipeline.EvalCode)) {
		c := want[code]
		f(&c)
		want[code] = c
	}
	count(rc.rejected.CodeID, func(c *pipeline.EvalCode) { c.FP++ })
	count(rc.removed.CodeID, func(c *pipeline.EvalCode) { c.FP++ })
	count(rc.addedCode, func(c *pipeline.EvalCode) { c.FN++ })
	count(accepted.CodeID, func(c *pipeline.EvalCode) { c.TP++ })
	code, stdout, stderr := lcity(t, "eval", "--gold", "review", "--json", "--out", rc.out)
	if code != 0 {
		t.Fatalf("eval --gold review: exit %d: %s", code, stderr)
	}
	var ev pipeline.Evaluation
	if err := json.Unmarshal([]byte(stdout), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Passages != 4 || len(ev.Codes) != len(want) {
		t.Errorf("eval --gold review: %d passages, codes %v; want 4 passages, codes %v", ev.Passages, ev.Codes, want)
	}
	for code, w := range want {
		g := ev.Codes[code]
		if g.TP != w.TP || g.FP != w.FP || g.FN != w.FN || g.TN != 0 {
			t.Errorf("eval --gold review, %s: TP %d FP %d FN %d TN %d; want TP %d FP %d FN %d TN 0", code, g.TP, g.FP, g.FN, g.TN, w.TP, w.FP, w.FN)
		}
	}
	if code, _, stderr := lcity(t, "eval", "--gold", "review", "--cv", "5", "--out", rc.out); code != 2 {
		t.Errorf("eval --gold review --cv 5: exit %d %q, want 2", code, stderr)
	}
}

func projectQDE(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "project.qde" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			qde, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(qde)
		}
	}
	t.Fatal("no project.qde in the archive")
	return ""
}

// TestReviewVerifyAndRerun: verify reproduces an analysis made from the
// review and passes while the log is unchanged; decisions recorded later
// are a note, not a difference; a replaced log is a difference that says
// so. run after new decisions is not up to date, and run --force leaves
// review.sqlite byte for byte as it was.
func TestReviewVerifyAndRerun(t *testing.T) {
	rc := newReviewCase(t)
	rc.record(t, rc.decisions()...)
	store := filepath.Join(rc.out, review.FileName)
	runJSON := filepath.Join(rc.out, workspace.RunFile)

	code, stdout, stderr := lcity(t, "run", "--out", rc.out, "--permutations", "99")
	if code != 0 || strings.Contains(stdout+stderr, "up to date") {
		t.Fatalf("run after 3 decisions: exit %d, %q %q; want a new run", code, stdout, stderr)
	}
	m := readManifest(t, rc.out)
	hash3 := m.Review[workspace.StageAnalyze].SHA256
	if m.Review[workspace.StageAnalyze].LastSeq != 3 || hash3 == "" {
		t.Fatalf("run.json review = %+v, want 3 decisions", m.Review)
	}
	if code, stdout, stderr := lcity(t, "verify", runJSON); code != 0 || strings.Contains(stdout, "note:") {
		t.Fatalf("verify with the log unchanged: exit %d\n%s%s", code, stdout, stderr)
	}

	// A decision after the run: verify still reproduces the run, and says
	// how many decisions it left out.
	rc.record(t, review.Decision{PassageID: rc.rejected.PassageID, CodeID: rc.rejected.CodeID, Action: review.Accept})
	code, stdout, stderr = lcity(t, "verify", runJSON)
	if code != 0 || !strings.Contains(stdout, "note: the review has 1 decision(s) newer than the run (after decision 3)") {
		t.Errorf("verify with a newer decision: exit %d\n%s%s", code, stdout, stderr)
	}

	// run --force takes the new decision in and leaves the store alone.
	before, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := lcity(t, "run", "--force", "--out", rc.out, "--permutations", "99"); code != 0 {
		t.Fatalf("run --force: exit %d: %s", code, stderr)
	}
	if after, err := os.ReadFile(store); err != nil || !bytes.Equal(before, after) {
		t.Errorf("run --force changed %s (%v)", store, err)
	}
	m = readManifest(t, rc.out)
	if r := m.Review[workspace.StageAnalyze]; r.LastSeq != 4 || r.SHA256 == hash3 {
		t.Errorf("run.json review after run --force = %+v; want 4 decisions and a new hash", r)
	}
	if code, stdout, stderr := lcity(t, "run", "--out", rc.out, "--permutations", "99"); code != 0 || !strings.Contains(stdout+stderr, "up to date") {
		t.Errorf("run with nothing changed: exit %d %q %q, want up to date", code, stdout, stderr)
	}

	// A store replaced by another with other decisions: a difference that
	// names the review, before any rerun.
	if err := os.Remove(store); err != nil {
		t.Fatal(err)
	}
	os.Remove(store + "-wal")
	os.Remove(store + "-shm")
	rc.record(t, review.Decision{PassageID: rc.added.ID, CodeID: rc.addedCode, Action: review.Add})
	code, stdout, _ = lcity(t, "verify", "--no-rerun", runJSON)
	if code != 1 || !strings.Contains(stdout, "review.sqlite: the decisions up to 4 are not those the run used") {
		t.Errorf("verify with a replaced review store: exit %d\n%s", code, stdout)
	}
	os.Remove(store)
	code, stdout, _ = lcity(t, "verify", "--no-rerun", runJSON)
	if code != 1 || !strings.Contains(stdout, "the workspace has none") {
		t.Errorf("verify without the review store: exit %d\n%s", code, stdout)
	}

	// A store that is not one stops the analysis with a message naming
	// it, and is left as it was: never a silent reset.
	junk := bytes.Repeat([]byte("not a database "), 400)
	if err := os.WriteFile(store, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"analyze", "--out", rc.out}, {"run", "--out", rc.out}, {"export", "csv", "--out", rc.out, filepath.Join(t.TempDir(), "x.csv")}} {
		code, _, stderr := lcity(t, args...)
		if code != 3 || !strings.Contains(stderr, store) || !strings.Contains(stderr, "not an SQLite database") {
			t.Errorf("%s with a junk review store: exit %d %q; want 3 naming the file", args[0], code, stderr)
		}
	}
	if got, _ := os.ReadFile(store); !bytes.Equal(got, junk) {
		t.Error("the junk review store was changed")
	}
}
