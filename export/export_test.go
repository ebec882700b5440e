package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

// testWorkspace writes a small coded workspace with non-ASCII text, so
// that byte and code-point offsets differ.
func testWorkspace(t *testing.T) *Workspace {
	t.Helper()
	dir := t.TempDir()
	cbs, err := coding.LoadAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	paras := []string{
		"Câmara de Lobos runs a learning festival with families and older people 😀.",
		"The municipality works in partnership with universities, libraries and businesses.",
		"Nothing to code here.",
	}
	docs := []corpus.Document{{ID: "camara-2017", City: "Câmara de Lobos", Country: "Portugal", Region: corpus.RegionEurope, Year: 2017, Pages: 1, FirstPage: 1, LastPage: 1},
		{ID: "okayama-2017", City: "Okayama", Country: "Japan", Region: corpus.RegionAsiaPacific, Year: 2017, Pages: 1, FirstPage: 1, LastPage: 1}}
	var ps []corpus.Passage
	var cs []corpus.Coding
	os.MkdirAll(filepath.Join(dir, workspace.TextsDir), 0o755)
	for _, d := range docs {
		text := "# Title ✓\n\n"
		for k, para := range paras {
			p := corpus.Passage{ID: d.ID + "-p000" + string(rune('1'+k)), DocID: d.ID, City: d.City, Region: d.Region, Page: 1, Section: "Intro",
				Start: len(text), End: len(text) + len(para), Text: para}
			text += para + "\n\n"
			ps = append(ps, p)
			cs = append(cs, coding.CodeAll(cbs, p)...)
		}
		os.WriteFile(filepath.Join(dir, workspace.TextsDir, d.ID+".txt"), []byte(text), 0o644)
	}
	// A coding a model made without a term match, on the third passage.
	prob := 0.8
	third := ps[2]
	cs = append(cs, corpus.Coding{PassageID: third.ID, DocID: third.DocID, City: third.City, Region: third.Region, Page: 1,
		CodeID: "keyfeatures.quality", Score: prob, Source: corpus.SourceModel, Confidence: &prob})
	corpus.SortCodings(cs)
	if len(cs) == 0 {
		t.Fatal("nothing coded")
	}
	workspace.WriteFile(filepath.Join(dir, workspace.PassagesFile), func(w io.Writer) error { return workspace.WriteJSONL(w, ps) })
	workspace.WriteFile(filepath.Join(dir, workspace.CodingsFile), func(w io.Writer) error { return workspace.WriteCodings(w, cs) })
	return &Workspace{Dir: dir, Name: "test <corpus> & \"quotes\"", Origin: "lcity test", Documents: docs, Codebooks: cbs}
}

type qde struct {
	Cases []struct {
		Name    string `xml:"name,attr"`
		Sources []struct {
			Target string `xml:"targetGUID,attr"`
		} `xml:"SourceRef"`
	} `xml:"Cases>Case"`
	Sources []struct {
		GUID       string `xml:"guid,attr"`
		Name       string `xml:"name,attr"`
		Path       string `xml:"plainTextPath,attr"`
		Selections []struct {
			Name  string `xml:"name,attr"`
			Start int    `xml:"startPosition,attr"`
			End   int    `xml:"endPosition,attr"`
			Codes []struct {
				Target string `xml:"targetGUID,attr"`
			} `xml:"Coding>CodeRef"`
		} `xml:"PlainTextSelection"`
	} `xml:"Sources>TextSource"`
}

func TestQDPX(t *testing.T) {
	ws := testWorkspace(t)
	var a, b bytes.Buffer
	if err := WriteQDPX(&a, ws); err != nil {
		t.Fatal(err)
	}
	if err := WriteQDPX(&b, ws); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two exports differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
		names = append(names, f.Name)
	}
	if names[0] != "project.qde" || len(names) != 3 || !strings.HasPrefix(names[1], "sources/") {
		t.Fatalf("archive entries %v", names)
	}
	var p qde
	if err := xml.Unmarshal(files["project.qde"], &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Cases) != 2 || p.Cases[0].Name != "Câmara de Lobos" || len(p.Cases[0].Sources) != 1 {
		t.Errorf("cases = %+v", p.Cases)
	}
	texts := map[string]string{}
	selections := 0
	for _, s := range p.Sources {
		body := files["sources/"+strings.TrimPrefix(s.Path, "internal://")]
		if len(body) == 0 || bytes.HasPrefix(body, []byte("\ufeff")) || bytes.Contains(body, []byte("\r")) {
			t.Fatalf("source %s: missing, or BOM or CR in %q", s.Name, body)
		}
		runes := []rune(string(body))
		texts[s.Name] = string(body)
		for _, sel := range s.Selections {
			selections++
			if sel.Start < 0 || sel.End > len(runes) || sel.Start >= sel.End {
				t.Fatalf("selection %s [%d,%d) outside its source of %d code points", sel.Name, sel.Start, sel.End, len(runes))
			}
			got := string(runes[sel.Start:sel.End])
			id := strings.SplitN(sel.Name, ",", 2)[0]
			var want string
			workspace.ScanJSONL(filepath.Join(ws.Dir, workspace.PassagesFile), func(p corpus.Passage) error {
				if p.ID == id {
					want = p.Text
				}
				return nil
			})
			if got != want {
				t.Errorf("selection %s covers %q, want the passage %q", sel.Name, got, want)
			}
			if len(sel.Codes) == 0 {
				t.Errorf("selection %s has no coding", sel.Name)
			}
		}
	}
	if selections != 5 {
		t.Errorf("%d selections, want the 5 coded passages (4 by terms, 1 by a model alone)", selections)
	}
	validate(t, files["project.qde"])
}

// validate checks project.qde against ../shared/refi-qda/Project.xsd with
// xmllint (Debian: libxml2-utils; .ci/run installs it). Either missing
// skips the test, or fails it under CI.
func validate(t *testing.T, qde []byte) {
	t.Helper()
	xsd := testenv.Shared(t, "refi-qda/Project.xsd")
	xmllint := testenv.Tool(t, "xmllint", "libxml2-utils")
	f := filepath.Join(t.TempDir(), "project.qde")
	os.WriteFile(f, qde, 0o644)
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
		t.Errorf("project.qde does not validate: %v\n%s", err, out)
	}
}

func TestQDC(t *testing.T) {
	ws := testWorkspace(t)
	var b bytes.Buffer
	if err := WriteQDC(&b, ws.Codebooks, "lcity test"); err != nil {
		t.Fatal(err)
	}
	var cb struct {
		XMLName xml.Name
		Codes   []struct {
			Name     string `xml:"name,attr"`
			Codable  bool   `xml:"isCodable,attr"`
			Children []struct {
				Codable bool `xml:"isCodable,attr"`
			} `xml:"Code"`
		} `xml:"Codes>Code"`
	}
	if err := xml.Unmarshal(b.Bytes(), &cb); err != nil {
		t.Fatal(err)
	}
	if cb.XMLName.Space != "urn:QDA-XML:codebook:1.0" || cb.XMLName.Local != "CodeBook" || len(cb.Codes) != 3 || cb.Codes[0].Codable {
		t.Fatalf("codebook = %+v", cb)
	}
	// keyfeatures: three groups, not codable, holding the codes.
	for _, c := range cb.Codes {
		if strings.HasPrefix(c.Name, "keyfeatures") && (len(c.Children) != 3 || c.Children[0].Codable) {
			t.Errorf("keyfeatures tree = %+v", c)
		}
	}
}

func TestCSV(t *testing.T) {
	ws := testWorkspace(t)
	var b bytes.Buffer
	if err := WriteCSV(&b, ws); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") || len(rows) < 5 {
		t.Fatalf("csv = %v", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	models := 0
	defer func() {
		if models != 1 {
			t.Errorf("%d rows for the model's coding, want 1", models)
		}
	}()
	for _, r := range rows[1:] {
		raw, _ := os.ReadFile(filepath.Join(ws.Dir, workspace.TextsDir, r[col["doc_id"]]+".txt"))
		runes := []rune(string(raw))
		sc, ec := atoi(r[col["start_char"]]), atoi(r[col["end_char"]])
		sb, eb := atoi(r[col["start_byte"]]), atoi(r[col["end_byte"]])
		if r[col["rule"]] == "model" {
			if r[col["source"]] != "model" || r[col["confidence"]] != "0.800000" || string(runes[sc:ec]) != "Nothing to code here." || string(raw[sb:eb]) != "Nothing to code here." {
				t.Errorf("model row %v", r)
			}
			models++
			continue
		}
		if string(runes[sc:ec]) != r[col["matched"]] || string(raw[sb:eb]) != r[col["matched"]] {
			t.Errorf("row %v: offsets do not select %q", r, r[col["matched"]])
		}
		if !strings.Contains(r[col["code_path"]], "/") {
			t.Errorf("code path %q", r[col["code_path"]])
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestGUID(t *testing.T) {
	g := GUID("code:charter.inclusion")
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(g) {
		t.Errorf("GUID %q is not a version-5 UUID", g)
	}
	if GUID("code:charter.inclusion") != g || GUID("code:charter.celebration") == g {
		t.Error("GUIDs must be stable per name and differ between names")
	}
}
