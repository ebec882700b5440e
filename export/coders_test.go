package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestQDPXCoders: each coder is a User; their codings are selections they
// made, over exactly the coded range in code points, a Coding per code,
// and a memo is a Note the coding refers to. The project still validates.
func TestQDPXCoders(t *testing.T) {
	ws := testWorkspace(t)
	raw, err := os.ReadFile(filepath.Join(ws.Dir, workspace.TextFile("camara-2017")))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	p1 := "camara-2017-p0001"
	start := len("# Title ✓\n\n")
	span := strings.Index(text, "older people 😀")
	ws.Coders = []Coder{
		{Name: "zoë", Codings: []CoderCoding{
			{DocID: "camara-2017", PassageID: p1, CodeID: "charter.inclusion", Start: span, End: span + len("older people 😀"), Memo: "older learners <b>&"},
			{DocID: "camara-2017", PassageID: p1, CodeID: "charter.celebration", Start: span, End: span + len("older people 😀")},
		}},
		{Name: "ana", Codings: []CoderCoding{
			{DocID: "camara-2017", PassageID: p1, CodeID: "charter.celebration", Start: start, End: start + len("Câmara de Lobos runs a learning festival with families and older people 😀.")},
		}},
		{Name: "rejects-only"},
	}
	var b bytes.Buffer
	if err := WriteQDPX(&b, ws); err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	rc, _ := zr.File[0].Open()
	qdeBytes, _ := io.ReadAll(rc)
	var p struct {
		Users []struct {
			GUID string `xml:"guid,attr"`
			Name string `xml:"name,attr"`
		} `xml:"Users>User"`
		Sources []struct {
			Name       string `xml:"name,attr"`
			Selections []struct {
				User    string `xml:"creatingUser,attr"`
				Start   int    `xml:"startPosition,attr"`
				End     int    `xml:"endPosition,attr"`
				Codings []struct {
					User string `xml:"creatingUser,attr"`
					Code struct {
						Target string `xml:"targetGUID,attr"`
					} `xml:"CodeRef"`
					Notes []struct {
						Target string `xml:"targetGUID,attr"`
					} `xml:"NoteRef"`
				} `xml:"Coding"`
			} `xml:"PlainTextSelection"`
		} `xml:"Sources>TextSource"`
		Notes []struct {
			GUID string `xml:"guid,attr"`
			Text string `xml:"PlainTextContent"`
		} `xml:"Notes>Note"`
	}
	if err := xml.Unmarshal(qdeBytes, &p); err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, u := range p.Users {
		users = append(users, u.Name)
	}
	if strings.Join(users, ",") != "lcity automatic coder,ana,rejects-only,zoë" {
		t.Errorf("users %v", users)
	}
	runes := []rune(text)
	byUser := map[string]string{}
	notes := map[string]string{}
	for _, n := range p.Notes {
		notes[n.GUID] = n.Text
	}
	for _, s := range p.Sources {
		if s.Name != "camara-2017" {
			continue
		}
		for _, sel := range s.Selections {
			for _, c := range sel.Codings {
				if c.User != sel.User {
					t.Errorf("coding by %s in a selection by %s", c.User, sel.User)
				}
				memo := ""
				if len(c.Notes) == 1 {
					memo = notes[c.Notes[0].Target]
				}
				byUser[sel.User] += string(runes[sel.Start:sel.End]) + "|" + c.Code.Target + "|" + memo + "\n"
			}
		}
	}
	wantZoe := "older people 😀|" + GUID("code:charter.celebration") + "|\n" + "older people 😀|" + GUID("code:charter.inclusion") + "|older learners <b>&\n"
	if got := byUser[GUID("user:coder:zoë")]; got != wantZoe {
		t.Errorf("zoë's codings:\n%s\nwant\n%s", got, wantZoe)
	}
	if got := byUser[GUID("user:coder:ana")]; !strings.HasPrefix(got, "Câmara de Lobos runs") || strings.Count(got, "\n") != 1 {
		t.Errorf("ana's codings: %q", got)
	}
	validate(t, qdeBytes)
}
