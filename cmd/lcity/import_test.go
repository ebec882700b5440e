package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// copyTree copies a workspace, so that a test may write its review store.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ws")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// decisions reads a workspace's review log.
func decisions(t *testing.T, out string) []review.Decision {
	t.Helper()
	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestImportRoundTrip: lcity's own .qdpx export, imported back as a coder,
// gives that coder exactly the exported codings (each a whole passage),
// and a second import records nothing new.
func TestImportRoundTrip(t *testing.T) {
	out := copyTree(t, sampleRun(t))
	file := filepath.Join(t.TempDir(), "study.qdpx")
	if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, file); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	want := map[string]bool{}
	for _, r := range readCSV(t, filepath.Join(out, workspace.CodingsFile))[1:] {
		want[r[0]+" "+r[5]] = true
	}
	code, stdout, stderr := lcity(t, "import", "qdpx", "--out", out, "--coder", "ana", file)
	if code != 0 {
		t.Fatalf("import: exit %d: %s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d codings in %s: %d imported as %d decisions of ana (%d new, 0 recorded before), 0 not imported.", len(want), file, len(want), len(want), len(want))) {
		t.Errorf("summary:\n%s", stdout)
	}
	ds := decisions(t, out)
	got := map[string]bool{}
	for _, d := range ds {
		if d.Coder != "ana" || d.Action != review.Add || d.Span != nil || d.Memo != "" || !strings.HasPrefix(d.RequestID, "qdpx:") {
			t.Errorf("decision %+v: want a whole-passage add of ana without memo", d)
		}
		got[d.PassageID+" "+d.CodeID] = true
	}
	if len(ds) != len(want) || !mapsEqual(got, want) {
		t.Errorf("%d decisions (%d distinct), want the %d exported codings", len(ds), len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(out, "import_unmapped.csv")); !os.IsNotExist(err) {
		t.Errorf("import_unmapped.csv after a clean import: %v", err)
	}
	code, stdout, _ = lcity(t, "import", "qdpx", "--out", out, "--coder", "ana", file)
	if code != 0 || !strings.Contains(stdout, "(0 new,") || len(decisions(t, out)) != len(ds) {
		t.Errorf("second import: exit %d, %d decisions, want 0 new:\n%s", code, len(decisions(t, out)), stdout)
	}

	// ana also codes a span with a memo. The export now carries ana as a
	// User with her codings; imported with --user ana as bob, they give
	// bob the same decisions, the span and memo too.
	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	spanned := review.Decision{Coder: "ana", PassageID: ds[0].PassageID, CodeID: ds[0].CodeID, Action: review.Add,
		Span: &review.Span{Start: 2, End: 9}, Memo: "ana: check this ✓ <&>"}
	if _, err := s.Record(context.Background(), spanned); err != nil {
		t.Fatal(err)
	}
	s.Close()
	again := filepath.Join(t.TempDir(), "again.qdpx")
	if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, again); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	code, stdout, stderr = lcity(t, "import", "qdpx", "--out", out, "--coder", "bob", "--user", "ana", again)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("%d codings in %s (and %d by other users, left out)", len(want)+1, again, len(want))) {
		t.Fatalf("import --user ana: exit %d:\n%s%s", code, stdout, stderr)
	}
	bob := map[string]bool{}
	var bobSpans []review.Decision
	for _, d := range decisions(t, out) {
		if d.Coder == "bob" && d.Span == nil {
			bob[d.PassageID+" "+d.CodeID] = true
		} else if d.Coder == "bob" {
			bobSpans = append(bobSpans, d)
		}
	}
	if !mapsEqual(bob, want) {
		t.Errorf("bob has %d whole-passage codings, want ana's %d", len(bob), len(want))
	}
	if len(bobSpans) != 1 || bobSpans[0].PassageID != spanned.PassageID || bobSpans[0].CodeID != spanned.CodeID ||
		*bobSpans[0].Span != *spanned.Span || bobSpans[0].Memo != spanned.Memo {
		t.Errorf("bob's spans %+v, want ana's %+v", bobSpans, spanned)
	}

	// ana and bob coded as the auto-coder did: alpha 1 for every code
	// with variation, and overall.
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	passages := len(ps)
	code, stdout, stderr = lcity(t, "eval", "--coders", "--json", "--out", out)
	var ag pipeline.Agreement
	if code != 0 || json.Unmarshal([]byte(stdout), &ag) != nil {
		t.Fatalf("eval --coders: exit %d: %s", code, stderr)
	}
	if o := ag.Overall; o.Alpha == nil || *o.Alpha != 1 || o.HumanAlpha == nil || *o.HumanAlpha != 1 || o.Units != passages*len(ag.Codes) {
		t.Errorf("overall %+v, want alpha 1 and human alpha 1 over every passage × code", o)
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// handCorpus is a document with diacritics, CJK and emoji outside the BMP,
// so that bytes, UTF-16 units and code points all differ.
const handCorpus = "# Learning in Pécs and 杭州\n\n" +
	"The city of Pécs works in partnership with universities and libraries, and 杭州 families learn together 🎉 at the festival.\n\n" +
	"Older people in Hangzhou (杭州市) join community learning centres every week.\n\n" +
	"A third paragraph about museums and learning festivals celebrating learning 🎉🎉.\n"

// qdeSel is a selection of a hand-made project: the text selected (found
// in the source) and the project code it is coded with.
type qdeSel struct {
	text, code, note string
	start, end       int // when text is ""
}

func handProject(t *testing.T, file string, texts []string, sels [][]qdeSel, extra string) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="hand-made" origin="QualCoder 3.5">
<Users><User guid="{0A000000-0000-4000-8000-000000000001}" name="Maria"/><User guid="0a000000-0000-4000-8000-000000000002" name="Li"/></Users>
<CodeBook><Codes>
  <Code guid="0c000000-0000-4000-8000-000000000001" name="Charter" isCodable="false">
    <Code guid="0c000000-0000-4000-8000-000000000002" name="partnerships  and Participation" isCodable="true"/>
    <Code guid="0c000000-0000-4000-8000-000000000003" name="charter.celebration" isCodable="true"/>
  </Code>
  <Code guid="0c000000-0000-4000-8000-000000000004" name="Smart city" isCodable="true"/>
</Codes></CodeBook>
<Sources>
`)
	var notes strings.Builder
	n := 0
	for i, text := range texts {
		guid := fmt.Sprintf("50000000-0000-4000-8000-%012d", i+1)
		fmt.Fprintf(&x, `<TextSource guid="%s" name="source %d" plainTextPath="internal://%s.txt">`+"\n", guid, i+1, guid)
		for _, s := range sels[i] {
			n++
			start, end := s.start, s.end
			if s.text != "" {
				at := strings.Index(text, s.text)
				if at < 0 {
					t.Fatalf("%q not in source %d", s.text, i+1)
				}
				start = utf8.RuneCountInString(text[:at])
				end = start + utf8.RuneCountInString(s.text)
			}
			user := "0A000000-0000-4000-8000-000000000001"
			if strings.HasPrefix(s.note, "Li:") {
				user = "0a000000-0000-4000-8000-000000000002"
			}
			fmt.Fprintf(&x, `<PlainTextSelection guid="5e000000-0000-4000-8000-%012d" startPosition="%d" endPosition="%d" creatingUser="{%s}"><Coding guid="c0000000-0000-4000-8000-%012d"><CodeRef targetGUID="%s"/>`,
				n, start, end, user, n, s.code)
			if s.note != "" {
				fmt.Fprintf(&x, `<NoteRef targetGUID="a0000000-0000-4000-8000-%012d"/>`, n)
				fmt.Fprintf(&notes, `<Note guid="a0000000-0000-4000-8000-%012d"><PlainTextContent>%s</PlainTextContent></Note>`, n, s.note)
			}
			x.WriteString("</Coding></PlainTextSelection>\n")
		}
		x.WriteString("</TextSource>\n")
		if text != "" {
			w, _ := zw.Create("Sources/" + guid + ".txt")
			w.Write([]byte(text))
		}
	}
	x.WriteString(extra + "</Sources>\n")
	if notes.Len() > 0 {
		x.WriteString("<Notes>" + notes.String() + "</Notes>\n")
	}
	x.WriteString("</Project>\n")
	w, _ := zw.Create("project.qde")
	w.Write([]byte(x.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// handWorkspace runs lcity on handCorpus.
func handWorkspace(t *testing.T) (out, text string, passages []corpus.Passage) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pecs.txt"), []byte(handCorpus), 0o644)
	out = filepath.Join(dir, "out")
	if code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, workspace.TextFile("pecs")))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil || len(ps) != 4 {
		t.Fatalf("%d passages (%v), want 4", len(ps), err)
	}
	return out, string(b), ps
}

// TestImportHandMade imports a project as another tool would write it (a
// Sources/ folder, braced GUIDs, its own code tree) over non-ASCII text:
// exact spans, a selection across two passages, a source that matches
// only up to white space, notes as memos, and every coding that cannot be
// mapped listed with its reason.
func TestImportHandMade(t *testing.T) {
	out, text, ps := handWorkspace(t)
	partnerships := export.GUID("code:charter.partnerships") // lcity's own GUID
	byLabel := "0c000000-0000-4000-8000-000000000002"        // "partnerships  and Participation" under "Charter"
	byID := "0c000000-0000-4000-8000-000000000003"           // named charter.celebration
	unknown := "0c000000-0000-4000-8000-000000000004"
	spaced := strings.ReplaceAll(strings.ReplaceAll(text, "\n", "\r\n"), "city of", "city  of") + "\r\n"
	file := filepath.Join(t.TempDir(), "hand.qdpx")
	handProject(t, file, []string{text, spaced, "", text}, [][]qdeSel{
		{
			{text: "partnership with universities", code: partnerships, note: "Maria: the university network ✓"},
			{text: "families learn together 🎉 at the festival.\n\nOlder people", code: byLabel},
			{text: ps[2].Text, code: byID},
			{text: "museums", code: unknown},
			{code: byID, start: 300, end: 400},
			{text: "\n\n", code: byID},
		},
		{
			{text: "celebrating learning 🎉🎉", code: byID, note: "Li: twice"},
		},
		{
			{code: byID, start: 0, end: 5},
		},
		{
			// Counted in UTF-16 units, as a tool might: past the end in
			// code points (the text has three emoji outside the BMP).
			{code: byID, start: 0, end: utf8.RuneCountInString(text) + 2},
		},
	}, `<TextSource guid="50000000-0000-4000-8000-000000000009" name="unrelated"><PlainTextContent>Another text</PlainTextContent></TextSource>
<PictureSource guid="50000000-0000-4000-8000-000000000010" name="photo"><PictureSelection guid="5e000000-0000-4000-8000-000000000099" firstX="0" firstY="0" secondX="1" secondY="1"><Coding guid="c0000000-0000-4000-8000-000000000099"><CodeRef targetGUID="`+byID+`"/></Coding></PictureSelection></PictureSource>
`)
	code, stdout, stderr := lcity(t, "import", "qdpx", "--out", out, "--coder", "maria", file)
	if code != 1 {
		t.Fatalf("import: exit %d, want 1 (some codings not imported): %s%s", code, stdout, stderr)
	}
	flat := strings.Join(strings.Fields(stdout), " ")
	for _, want := range []string{"source 1 pecs exact 6 3", "source 2 pecs whitespace 1 1", "source 3 - unmatched 1 0", "unrelated - unmatched 0 0", "photo - unmatched 1 0", "source 4 pecs exact 1 0",
		"10 codings in " + file + ": 4 imported as 5 decisions of maria (5 new, 0 recorded before), 6 not imported"} {
		if !strings.Contains(flat, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	cpIn := func(p corpus.Passage, sub string) *review.Span {
		at := strings.Index(p.Text, sub)
		if at < 0 {
			t.Fatalf("%q not in %s", sub, p.ID)
		}
		s := utf8.RuneCountInString(p.Text[:at])
		return &review.Span{Start: s, End: s + utf8.RuneCountInString(sub)}
	}
	type dec struct {
		passage, code string
		span          *review.Span
		memo          string
	}
	want := []dec{
		{ps[1].ID, "charter.partnerships", cpIn(ps[1], "partnership with universities"), "Maria: the university network ✓"},
		{ps[1].ID, "charter.partnerships", cpIn(ps[1], "families learn together 🎉 at the festival."), ""},
		{ps[2].ID, "charter.partnerships", cpIn(ps[2], "Older people"), ""},
		{ps[2].ID, "charter.celebration", nil, ""},
		{ps[3].ID, "charter.celebration", cpIn(ps[3], "celebrating learning 🎉🎉"), "Li: twice"},
	}
	ds := decisions(t, out)
	var got []dec
	for _, d := range ds {
		if d.Coder != "maria" || d.Action != review.Add {
			t.Errorf("decision %+v", d)
		}
		got = append(got, dec{d.PassageID, d.CodeID, d.Span, d.Memo})
	}
	same := func(a, b dec) bool {
		return a.passage == b.passage && a.code == b.code && a.memo == b.memo && (a.span == nil) == (b.span == nil) && (a.span == nil || *a.span == *b.span)
	}
	if len(got) != len(want) {
		t.Errorf("%d decisions, want %d: %+v", len(got), len(want), got)
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g dec) bool { return same(g, w) }) {
			t.Errorf("no decision %+v (span %v) among %+v", w, w.span, got)
		}
	}
	rows := readCSV(t, filepath.Join(out, "import_unmapped.csv"))
	if strings.Join(rows[0], ",") != "coder,file,source,source_guid,selection_guid,start,end,code,code_guid,reason,detail" {
		t.Errorf("header %v", rows[0])
	}
	var reasons []string
	for _, r := range rows[1:] {
		reasons = append(reasons, r[9])
		if r[0] != "maria" || r[1] != file || r[10] == "" {
			t.Errorf("row %v", r)
		}
	}
	if w := []string{"unknown-code", "bad-offsets", "outside-passages", "source-unreadable", "bad-offsets", "source-unmatched", "source-unreadable"}; !slices.Equal(reasons, w) {
		t.Errorf("reasons %v, want %v\n%v", reasons, w, rows)
	}

	if d := rows[5][10]; !strings.Contains(d, "within its 307 UTF-16 units: the tool seems to count UTF-16 units") {
		t.Errorf("the UTF-16 selection's detail: %q", d)
	}

	// Again: nothing new, and the report's rows for maria and this file
	// are replaced, not repeated; another coder's rows are added beside.
	code, stdout, _ = lcity(t, "import", "qdpx", "--out", out, "--coder", "maria", file)
	if code != 1 || !strings.Contains(stdout, "(0 new, 5 recorded before)") || len(decisions(t, out)) != len(want) {
		t.Errorf("second import: exit %d, %d decisions:\n%s", code, len(decisions(t, out)), stdout)
	}
	if again := readCSV(t, filepath.Join(out, "import_unmapped.csv")); len(again) != len(rows) {
		t.Errorf("after a second import %d rows, want %d", len(again), len(rows))
	}
	lcity(t, "import", "qdpx", "--out", out, "--coder", "ana", file)
	both := readCSV(t, filepath.Join(out, "import_unmapped.csv"))
	if len(both) != 2*len(rows)-1 || both[1][0] != "ana" || both[len(both)-1][0] != "maria" {
		t.Errorf("after ana's import %d rows (want %d), first %v, last %v", len(both), 2*len(rows)-1, both[1], both[len(both)-1])
	}
}

// TestImportOneUser: --user imports only the codings one of the project's
// users made.
func TestImportOneUser(t *testing.T) {
	out, text, ps := handWorkspace(t)
	celebration := export.GUID("code:charter.celebration")
	file := filepath.Join(t.TempDir(), "two.qdpx")
	handProject(t, file, []string{text}, [][]qdeSel{{
		{text: "partnership", code: celebration, note: "Maria: one"},
		{text: "museums", code: celebration, note: "Li: two"},
	}}, "")
	code, stdout, stderr := lcity(t, "import", "qdpx", "--out", out, "--coder", "li", "--user", "Li", file)
	if code != 0 || !strings.Contains(stdout, "1 codings in "+file+" (and 1 by other users, left out): 1 imported") {
		t.Fatalf("import --user Li: exit %d:\n%s%s", code, stdout, stderr)
	}
	ds := decisions(t, out)
	if len(ds) != 1 || ds[0].Coder != "li" || ds[0].PassageID != ps[3].ID || ds[0].Memo != "Li: two" {
		t.Errorf("decisions %+v, want Li's one coding on %s", ds, ps[3].ID)
	}
}

// TestImportRefuses: files that are not usable projects, and bad command
// lines, are the user's errors (exit 2) that say what is wrong, and record
// nothing.
func TestImportRefuses(t *testing.T) {
	out := copyTree(t, sampleRun(t))
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	zipOf := func(name, body string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create(name)
		w.Write([]byte(body))
		zw.Close()
		return b.Bytes()
	}
	// A zip bomb: a small entry whose header declares 1 TiB.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "project.qde", Method: zip.Store, CompressedSize64: 3, UncompressedSize64: 1 << 40})
	w.Write([]byte("<P/"))
	zw.Close()
	good := filepath.Join(dir, "good.qdpx")
	handProject(t, good, []string{"x"}, [][]qdeSel{{}}, "")
	checkCommands(t, []commandCase{
		{[]string{"import", "qdpx", "--out", out, good}, 2, "--coder NAME is required"},
		{[]string{"import", "qdpx", "--out", out, "--coder", " ana", good}, 2, "surrounding white space"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana", filepath.Join(dir, "none.qdpx")}, 2, "no such file"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana", write("text.qdpx", []byte("just text"))}, 2, "a .qdpx file is a zip archive"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana", write("bomb.qdpx", bomb.Bytes())}, 2, "1099511627776 bytes uncompressed, over the limit"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana", write("noqde.qdpx", zipOf("sources/a.txt", "a"))}, 2, "no project.qde in the archive"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana", write("badxml.qdpx", zipOf("project.qde", "<Project><Sources>"))}, 2, "project.qde: XML syntax error"},
		{[]string{"import", "qdpx", "--out", filepath.Join(dir, "nowhere"), "--coder", "ana", good}, 2, "is not an lcity workspace"},
		{[]string{"import", "qdpx", "--out", out, "--coder", "ana"}, 2, "accepts 1 arg"},
		{[]string{"import"}, 2, "import what?"},
		{[]string{"import", "nvivo", "x"}, 2, "unknown command"},
	})
	if _, err := os.Stat(filepath.Join(out, review.FileName)); !os.IsNotExist(err) {
		t.Errorf("a refused import made the review store: %v", err)
	}
}
