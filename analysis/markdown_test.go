package analysis

import (
	"html"
	"strings"
	"testing"
)

// renderedText renders md(s) as a Markdown list item and a table cell and
// returns what each shows.
func renderedText(t *testing.T, s string) (item, cell string) {
	t.Helper()
	out := markdownToHTML("- "+md(s)+"\n\n| a |\n|---|\n| "+md(s)+" |\n", nil)
	_, after, ok := strings.Cut(out, "<li>")
	if !ok {
		t.Fatalf("no list item in %q", out)
	}
	item, _, _ = strings.Cut(after, "</li>")
	_, after, ok = strings.Cut(out, "<td>")
	if !ok {
		t.Fatalf("no table cell in %q", out)
	}
	cell, _, _ = strings.Cut(after, "</td>")
	return item, cell
}

// TestMarkdownEscape: text from the corpus or a codebook shows as written
// in report.html, whatever Markdown or HTML it contains.
func TestMarkdownEscape(t *testing.T) {
	for _, s := range []string{
		"Câmara de Lobos",
		"a | `code` and *stars* **bold** _under_",
		"<script>alert(1)</script> & <b>x</b> &amp;",
		"# not a heading",
		"- not a list",
		"+ not a list",
		"1. not a list",
		"2015) not a list",
		"[a link](http://example.org) ![img](x.svg)",
		`back\slash \* ~~strike~~`,
		"Bristol: \"learning\" city's pledge — 50%",
	} {
		item, cell := renderedText(t, s)
		if !showsAsWritten(item, s) {
			t.Errorf("list item for %q is %q", s, item)
		}
		if !showsAsWritten(cell, s) {
			t.Errorf("table cell for %q is %q", s, cell)
		}
	}
}

// showsAsWritten reports whether the HTML fragment h is the text s: no
// element in it, and its entities decoding to s.
func showsAsWritten(h, s string) bool {
	return !strings.ContainsAny(h, "<>") && html.UnescapeString(h) == s
}

func FuzzMarkdownEscape(f *testing.F) {
	for _, s := range []string{"a *b* c", "| x |", "1. y", "<i>z</i>", "&#42;", "`a`` b`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The report collapses runs of white space in what it quotes;
		// control characters do not occur in extracted text.
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\uFFFD' }) {
			return
		}
		if item, cell := renderedText(t, s); !showsAsWritten(item, s) || !showsAsWritten(cell, s) {
			t.Errorf("md(%q) is %q in a list and %q in a table", s, item, cell)
		}
	})
}
