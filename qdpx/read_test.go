package qdpx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

// entry is one file of a test archive.
type entry struct{ name, body string }

func archiveOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lyingArchive holds project.qde compressed from body but declaring
// declared bytes uncompressed.
func lyingArchive(t testing.TB, body []byte, declared uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "project.qde", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return b.Bytes()
}

const handMade = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="hand" origin="MAXQDA 2022">
  <Users><User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Maria"/></Users>
  <CodeBook><Codes>
    <Code guid="c0000000-0000-4000-8000-000000000001" name="charter" isCodable="false">
      <Code guid="c0000000-0000-4000-8000-000000000002" name="Partnerships and participation" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="50000000-0000-4000-8000-000000000001" name="pécs" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000001" startPosition="0" endPosition="4" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
        <Description>first word</Description>
        <Coding guid="c1000000-0000-4000-8000-000000000001"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000002"/><NoteRef targetGUID="a0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000002" startPosition="x" endPosition="4"/>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000003" startPosition="4" endPosition="4"/>
      <Coding guid="c1000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
    </TextSource>
    <TextSource guid="50000000-0000-4000-8000-000000000002" name="inline"><PlainTextContent>inline text</PlainTextContent></TextSource>
    <TextSource guid="50000000-0000-4000-8000-000000000003" name="missing" plainTextPath="internal://nothere.txt"/>
    <TextSource guid="50000000-0000-4000-8000-000000000004" name="outside" plainTextPath="relative://a.txt"/>
    <TextSource guid="50000000-0000-4000-8000-000000000008" name="folder in path" plainTextPath="internal://Sources/rep.txt"/>
    <PDFSource guid="50000000-0000-4000-8000-000000000006" name="book.pdf" path="internal://b.pdf">
      <PDFSelection guid="5e000000-0000-4000-8000-000000000010" page="1" firstX="0" firstY="0" secondX="1" secondY="1">
        <Coding guid="c1000000-0000-4000-8000-000000000010"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
      </PDFSelection>
      <Representation guid="50000000-0000-4000-8000-000000000007" plainTextPath="internal://rep.txt">
        <PlainTextSelection guid="5e000000-0000-4000-8000-000000000011" startPosition="0" endPosition="3">
          <Coding guid="c1000000-0000-4000-8000-000000000011"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
    <PictureSource guid="50000000-0000-4000-8000-000000000005" name="photo" path="internal://p.jpg">
      <PictureSelection guid="5e000000-0000-4000-8000-000000000009" firstX="0" firstY="0" secondX="1" secondY="1">
        <Coding guid="c1000000-0000-4000-8000-000000000009"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
      </PictureSelection>
    </PictureSource>
  </Sources>
  <Notes><Note guid="a0000000-0000-4000-8000-000000000001" name="memo"><PlainTextContent>Maria's memo ✓</PlainTextContent></Note></Notes>
</Project>`

// TestReadHandMade reads a project as another tool writes it: a Sources/
// folder, braced upper-case GUIDs, a byte-order mark, inline text, notes,
// and sources and selections that cannot be used.
func TestReadHandMade(t *testing.T) {
	data := archiveOf(t, entry{"project.qde", handMade},
		entry{"Sources/50000000-0000-4000-8000-000000000001.txt", "\ufeffPécs 杭州 🎉\nend"}, entry{"sources/rep.txt", "PDF text"})
	p, err := Read(bytes.NewReader(data), int64(len(data)), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if p.Origin != "MAXQDA 2022" || p.Users["aaaaaaaa-0000-4000-8000-000000000001"].Name != "Maria" {
		t.Errorf("origin %q, users %v", p.Origin, p.Users)
	}
	if got := strings.Join(p.Path("c0000000-0000-4000-8000-000000000002"), " / "); got != "charter / Partnerships and participation" {
		t.Errorf("Path = %q", got)
	}
	if len(p.Sources) != 7 {
		t.Fatalf("%d sources, want 7", len(p.Sources))
	}
	s := p.Sources[0]
	if s.Text != "Pécs 杭州 🎉\nend" || s.TextErr != nil {
		t.Errorf("text %q, %v", s.Text, s.TextErr)
	}
	if len(s.Selections) != 3 || len(s.Codings) != 1 {
		t.Fatalf("selections %d, whole-source codings %d", len(s.Selections), len(s.Codings))
	}
	sel := s.Selections[0]
	if sel.Err != nil || sel.Start != 0 || sel.End != 4 || sel.User != "aaaaaaaa-0000-4000-8000-000000000001" ||
		sel.Codings[0].Code != "c0000000-0000-4000-8000-000000000002" || sel.Codings[0].Notes[0] != "a0000000-0000-4000-8000-000000000001" {
		t.Errorf("selection %+v", sel)
	}
	if p.Notes["a0000000-0000-4000-8000-000000000001"] != "Maria's memo ✓" {
		t.Errorf("notes %v", p.Notes)
	}
	for i, want := range []string{"", `startPosition "x" is not an integer`, "want 0 <= startPosition < endPosition"} {
		if err := s.Selections[i].Err; (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("selection %d: err %v, want %q", i, err, want)
		}
	}
	if p.Sources[1].Text != "inline text" {
		t.Errorf("inline source %+v", p.Sources[1])
	}
	for i, want := range map[int]string{2: "no sources/nothere.txt", 3: "outside the archive", 6: "not text"} {
		if err := p.Sources[i].TextErr; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("source %d: TextErr %v, want %q", i, err, want)
		}
	}
	if p.Sources[6].Other != 1 {
		t.Errorf("picture codings = %d, want 1", p.Sources[6].Other)
	}
	if p.Sources[4].Text != "PDF text" {
		t.Errorf("a plainTextPath naming its folder: %+v", p.Sources[4])
	}
	// A PDF counts through its text representation; its page areas are
	// counted, not read.
	if pdf := p.Sources[5]; pdf.Kind != "PDFSource" || pdf.GUID != "50000000-0000-4000-8000-000000000006" || pdf.Text != "PDF text" ||
		len(pdf.Selections) != 1 || pdf.Selections[0].End != 3 || pdf.Other != 1 {
		t.Errorf("PDF source %+v", pdf)
	}
}

// TestReadRefuses: files that are not usable projects are errors wrapping
// ErrFormat that say what is wrong.
func TestReadRefuses(t *testing.T) {
	small := Limits{EntryBytes: 1 << 10, TotalBytes: 1 << 12, Entries: 10}
	big := strings.Repeat(" ", 1<<20)
	// Six sources share one 900-byte text: each read counts.
	many := []entry{{"project.qde", `<Project name="p"><Sources>` + strings.Repeat(`<TextSource guid="1" plainTextPath="internal://s.txt"/>`, 6) + `</Sources></Project>`},
		{"sources/s.txt", strings.Repeat("x", 900)}}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"not a zip", []byte("<Project/>"), DefaultLimits, "a .qdpx file is a zip archive"},
		{"empty file", nil, DefaultLimits, "a .qdpx file is a zip archive"},
		{"no project.qde", archiveOf(t, entry{"sources/a.txt", "x"}), DefaultLimits, "no project.qde"},
		{"bad XML", archiveOf(t, entry{"project.qde", "<Project><Sources></Project>"}), DefaultLimits, "project.qde: XML syntax error"},
		{"oversized entry", archiveOf(t, entry{"project.qde", "<Project name='p'>" + big + "</Project>"}), small, "over the limit of 1024"},
		{"entry lying about its size", lyingArchive(t, []byte("<Project name='p'>"+big+"</Project>"), 100), small, "project.qde"},
		{"bomb under a huge declared size", lyingArchive(t, []byte(big), 1<<40), DefaultLimits, "1099511627776 bytes uncompressed, over the limit"},
		{"total over the limit", archiveOf(t, many...), small, "decompresses to more than the limit of 4096 bytes"},
		{"too many entries", archiveOf(t, entry{"project.qde", "<Project/>"}, entry{"a", ""}, entry{"b", ""}), Limits{EntryBytes: 10, TotalBytes: 10, Entries: 2}, "3 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.data), int64(len(tt.data)), tt.lim)
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want an ErrFormat mentioning %q", err, tt.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(archiveOf(f, entry{"project.qde", handMade}, entry{"Sources/50000000-0000-4000-8000-000000000001.txt", "Pécs 杭州 🎉\nend"}))
	f.Add(archiveOf(f, entry{"project.qde", `<Project name="p"><Sources><TextSource guid="1"><PlainTextContent>a b</PlainTextContent><PlainTextSelection guid="2" startPosition="0" endPosition="1"><Coding guid="3"><CodeRef targetGUID="4"/></Coding></PlainTextSelection></TextSource></Sources></Project>`}))
	f.Add([]byte("PK\x03\x04"))
	lim := Limits{EntryBytes: 1 << 16, TotalBytes: 1 << 18, Entries: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error without ErrFormat: %v", err)
			}
			return
		}
		for _, s := range p.Sources {
			if s.TextErr == nil && int64(len(s.Text)) > lim.EntryBytes {
				t.Fatalf("source text of %d bytes over the limit", len(s.Text))
			}
			for _, sel := range s.Selections {
				if sel.Err == nil && (sel.Start < 0 || sel.End <= sel.Start) {
					t.Fatalf("accepted selection [%d, %d)", sel.Start, sel.End)
				}
			}
			// Whatever was read aligns with itself.
			if s.TextErr == nil {
				if a := Align(s.Text, s.Text, Exact); a == nil {
					t.Fatal("text does not align with itself")
				}
			}
		}
		for g := range p.Codes {
			p.Path(g)
		}
	})
}

// BenchmarkRead reads a project of 200 sources with 50 coded selections
// each (go test ./qdpx -bench Read).
func BenchmarkRead(b *testing.B) {
	var x strings.Builder
	var entries []entry
	x.WriteString(`<Project name="bench"><Sources>`)
	text := strings.Repeat("Learning in Pécs and 杭州 🎉 for everyone. ", 200)
	for i := range 200 {
		fmt.Fprintf(&x, `<TextSource guid="%08d-0000-4000-8000-000000000000" plainTextPath="internal://%d.txt">`, i, i)
		for j := range 50 {
			fmt.Fprintf(&x, `<PlainTextSelection guid="%08d-%04d-4000-8000-000000000000" startPosition="%d" endPosition="%d"><Coding guid="%08d-%04d-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>`, i, j, j*100, j*100+50, i, j)
		}
		x.WriteString("</TextSource>")
		entries = append(entries, entry{fmt.Sprintf("sources/%d.txt", i), text})
	}
	x.WriteString("</Sources></Project>")
	data := archiveOf(b, append([]entry{{"project.qde", x.String()}}, entries...)...)
	b.SetBytes(int64(len(x.String()) + 200*len(text)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), int64(len(data)), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseProject fuzzes project.qde alone (the zip layer of FuzzRead
// rarely lets mutations reach deep into the XML).
func FuzzParseProject(f *testing.F) {
	f.Add([]byte(handMade))
	f.Add([]byte(`<Project name="p"><CodeBook><Codes><Code guid="1" name="a" isCodable="true"><Code guid="2" name="b" isCodable="false"/></Code></Codes></CodeBook></Project>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProject(data)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error without ErrFormat: %v", err)
			}
			return
		}
		for g := range p.Codes {
			if len(p.Path(g)) == 0 {
				t.Fatalf("code %s has no path", g)
			}
		}
		for _, s := range p.Sources {
			for _, sel := range s.Selections {
				if sel.Err == nil && (sel.Start < 0 || sel.End <= sel.Start) {
					t.Fatalf("accepted selection [%d, %d)", sel.Start, sel.End)
				}
			}
		}
	})
}
