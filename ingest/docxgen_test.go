package ingest

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file generates the Word files of testdata/mixed. They are
// committed; TestDOCXFixtures checks that they are what the generator
// writes, and rewrites them with
//
//	go test ./ingest -run TestDOCXFixtures -update
//
// The text is illustrative, written for lcity's tests (not UNESCO text).

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

const wordNSDecl = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"`

// zipParts writes a zip archive of parts, sorted by name, with a fixed
// time, so the same parts give the same bytes.
func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxParts are the parts of a Word file with body as the content of
// w:body; extra parts are added (styles, notes, properties, headers).
func docxParts(body string, extra map[string]string) map[string]string {
	parts := map[string]string{
		"[Content_Types].xml": docxContentTypes,
		"_rels/.rels":         docxRels,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:document ` + wordNSDecl + `><w:body>` + body + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`,
	}
	for k, v := range extra {
		parts[k] = v
	}
	return parts
}

// wp is a paragraph of the style (none if "") with runs of text.
func wp(style string, runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, r := range runs {
		b.WriteString(r)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// wr is a run of text.
func wr(text string) string {
	return `<w:r><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
}

func wtable(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
	for _, row := range rows {
		b.WriteString("<w:tr>")
		for _, c := range row {
			b.WriteString("<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/></w:tcPr>" + wp("", wr(c)) + "</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Kop2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Kop4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="CaseSection"><w:name w:val="Case section"/><w:basedOn w:val="Kop2"/></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/></w:style>
</w:styles>`

// rivertonDOCX is an interview write-up: localised heading style IDs
// (Kop1 named "heading 1"), a style based on a heading, a footnote, a
// table, a minor heading, a tracked deletion and insertion, a field, and
// a running header that is not the document's text.
func rivertonDOCX(t testing.TB) []byte {
	body := wp("Title", wr("Riverton interview notes")) +
		wp("Kop1", wr("Background")) +
		wp("", wr("Riverton is an invented inland city whose adult education centre has worked with the public library for a decade."),
			`<w:r><w:footnoteReference w:id="2"/></w:r>`,
			wr(" The interview took place in the library's reading room.")) +
		wp("", wr("The director described how the city "),
			`<w:del w:id="9" w:author="Editor"><w:r><w:delText>REMOVED DRAFT WORDING</w:delText></w:r></w:del>`,
			`<w:ins w:id="10" w:author="Editor">`+wr("brought schools, employers and volunteers together")+`</w:ins>`,
			wr(" in a learning partnership board.")) +
		wp("CaseSection", wr("Partnerships and funding")) +
		wp("", wr("Partners meet four times a year; the council chairs the board and the university hosts its secretariat."),
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/board" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`,
			wr(" See the board's page."),
			`<w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
		wtable([]string{"Partner", "Contribution"}, []string{"City council", "Rooms and staff"}, []string{"University", "Research and evaluation"}) +
		wp("Kop4", wr("Volunteers")) +
		wp("", wr("Volunteer tutors are trained by the centre and mentor newcomers in reading and digital skills.")) +
		wp("Quote", wr("\u201cThe library is where people dare to start again,\u201d the director said."))
	parts := docxParts(body, map[string]string{
		"word/styles.xml": docxStyles,
		"word/footnotes.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:footnotes ` + wordNSDecl + `>` +
			`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
			`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` +
			`<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>` + wr(" Interview recorded in spring; names withheld at the director's request.") + `</w:p></w:footnote>` +
			`</w:footnotes>`,
		"word/header1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:hdr ` + wordNSDecl + `>` + wp("", wr("CONFIDENTIAL DRAFT HEADER")) + `</w:hdr>`,
	})
	return zipParts(t, parts)
}

// lakesideDOCX is a short report whose headings are direct outline
// levels on plain paragraphs, with a text box (mc:AlternateContent with
// its VML fallback), an endnote and a title in the document properties.
func lakesideDOCX(t testing.TB) []byte {
	outlined := func(level, text string) string {
		return `<w:p><w:pPr><w:outlineLvl w:val="` + level + `"/></w:pPr>` + wr(text) + `</w:p>`
	}
	textbox := `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
		wp("", wr("Call-out: one in three residents joined a course last year.")) +
		`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` +
		wp("", wr("Call-out: one in three residents joined a course last year.")) +
		`</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`
	body := outlined("0", "Lakeside learning neighbourhoods") +
		wp("", wr("The fictional lakeside town divided itself into six learning neighbourhoods, each with a coordinator and a small budget.")) +
		outlined("1", "Digital inclusion") +
		wp("", textbox, wr("Coordinators lend tablets and run weekly help desks for older residents who want to use online public services."),
			`<w:r><w:endnoteReference w:id="1"/></w:r>`) +
		wp("", wr("Line one of an address"), `<w:r><w:br/></w:r>`, wr("line two"), `<w:r><w:tab/></w:r>`, wr("after a tab.")) +
		outlined("1", "Celebrating learning") +
		wp("", wr("An annual awards evening honours learners of all ages, nominated by their neighbours."))
	parts := docxParts(body, map[string]string{
		"word/endnotes.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:endnotes ` + wordNSDecl + `>` +
			`<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>` +
			`<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>` + wr(" Figures from the town's own survey of residents.") + `</w:p></w:endnote>` +
			`</w:endnotes>`,
		"docProps/core.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Lakeside: learning neighbourhoods (illustrative)</dc:title><dc:creator>lcity tests</dc:creator></cp:coreProperties>`,
	})
	return zipParts(t, parts)
}

func TestDOCXFixtures(t *testing.T) {
	for name, gen := range map[string]func(testing.TB) []byte{
		"riverton-interview.docx": rivertonDOCX,
		"lakeside-report.docx":    lakesideDOCX,
	} {
		t.Run(name, func(t *testing.T) {
			want := gen(t)
			p := filepath.Join("testdata", "mixed", name)
			if *update {
				if err := os.WriteFile(p, want, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v (generate it with go test ./ingest -run TestDOCXFixtures -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what the generator writes; run go test ./ingest -run TestDOCXFixtures -update", p)
			}
		})
	}
}
