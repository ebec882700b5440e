package ingest

import (
	"bytes"
	"cmp"
	"fmt"
	nurl "net/url"
	"regexp"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/lcity/lcity/corpus"
)

// maxHTMLNodes bounds the elements of a web page given to readability,
// whose scoring walks the tree several times.
const maxHTMLNodes = 200_000

// readHTML reads a web page: its main content as readability finds it
// (see the package documentation), after the page's navigation, header,
// footer, asides, forms, dialogs, cookie and consent banners and share
// widgets are removed. Headings h1-h3 start sections, a heading h4-h6
// leads into the paragraph after it, a table row is a paragraph with its
// cells parted by tabs. The page's first h1 (else its title) heads the
// first section when readability took it out of the content, as it does
// when the heading repeats the title. The page's title and canonical
// address are the document's. A web page is one page.
func readHTML(raw []byte) (structured, error) {
	r, err := charset.NewReader(bytes.NewReader(raw), "")
	if err != nil {
		return structured{}, fmt.Errorf("%w: HTML: %v", corpus.ErrCorrupt, err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return structured{}, fmt.Errorf("%w: HTML: %v", corpus.ErrCorrupt, err)
	}
	if n := countElements(doc, maxHTMLNodes+1); n > maxHTMLNodes {
		return structured{}, fmt.Errorf("%w: HTML page of more than %d elements", corpus.ErrTooLarge, maxHTMLNodes)
	}
	st := structured{pages: 1, url: canonicalURL(doc, raw)}
	pageTitle := ""
	if t := findFirst(doc, atom.Title); t != nil {
		pageTitle = cleanLine(textOf(t))
	}
	removeBoilerplate(doc)
	h1 := ""
	if h := findFirst(doc, atom.H1); h != nil {
		h1 = cleanLine(textOf(h))
	}
	var base *nurl.URL
	if st.url != "" {
		base, _ = nurl.Parse(st.url)
	}
	p := readability.NewParser()
	art, err := p.ParseAndMutate(doc, base)
	content := art.Node
	if err != nil || content == nil {
		// Nothing readability takes for an article: the page's body,
		// boilerplate removed, is the text.
		content = findFirst(doc, atom.Body)
	}
	st.title = cleanLine(art.Title())
	if st.title == "" {
		st.title = pageTitle
	}
	w := htmlWalker{}
	if content != nil {
		w.walk(content)
		w.flush()
	}
	if w.lead != "" {
		w.out = append(w.out, block{kind: paragraph, text: w.lead, page: 1, lastPage: 1})
	}
	bs := w.out
	if len(bs) == 0 || bs[0].kind != heading {
		// readability takes the page's heading out of the content when
		// it repeats the title: it heads the first section again.
		if h := cmp.Or(h1, st.title); h != "" {
			bs = append([]block{{kind: heading, text: h, page: 1, lastPage: 1}}, bs...)
		}
	}
	st.blocks = bs
	return st, nil
}

// boilerplateTokens are words of class names and IDs that mark page
// furniture readability may keep when it holds enough text (a long
// cookie notice, a share bar in the article).
var boilerplateTokens = map[string]bool{
	"cookie": true, "cookies": true, "consent": true, "gdpr": true, "cc-banner": true,
	"share": true, "sharing": true, "social": true, "newsletter": true,
	"breadcrumb": true, "breadcrumbs": true, "skip-link": true, "navbar": true,
}

var boilerplateRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"dialog": true, "alertdialog": true, "search": true, "menu": true, "menubar": true,
}

var tokenSplit = regexp.MustCompile(`[\s_]+`)

// removeBoilerplate takes out what is page furniture by its HTML5 element
// or ARIA role (nav, footer, aside, form, dialog, a header outside the
// article) or by a class or ID word (cookie, consent, share, social…).
func removeBoilerplate(doc *html.Node) {
	var drop []*html.Node
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		if n.Type == html.ElementNode {
			if isBoilerplate(n, inArticle) {
				drop = append(drop, n)
				return
			}
			if n.DataAtom == atom.Article || n.DataAtom == atom.Main {
				inArticle = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inArticle)
		}
	}
	walk(doc, false)
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
}

func isBoilerplate(n *html.Node, inArticle bool) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Footer, atom.Aside, atom.Form, atom.Dialog, atom.Button,
		atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
		return true
	case atom.Header:
		if !inArticle {
			return true
		}
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			if boilerplateRoles[strings.ToLower(strings.TrimSpace(a.Val))] {
				return true
			}
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(a.Val, "true") {
				return true
			}
		case "class", "id":
			for _, tok := range tokenSplit.Split(strings.ToLower(a.Val), -1) {
				if boilerplateTokens[tok] {
					return true
				}
				for _, part := range strings.Split(tok, "-") {
					if boilerplateTokens[part] {
						return true
					}
				}
			}
		}
	}
	return false
}

// canonicalURL is the page's address: its <link rel="canonical">, else
// its og:url, else the address a browser wrote when it saved the page
// ("<!-- saved from url=(0042)https://… -->").
func canonicalURL(doc *html.Node, raw []byte) string {
	var canon, og string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if canon == "" && hasToken(attr(n, "rel"), "canonical") {
					canon = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Meta:
				if og == "" && attr(n, "property") == "og:url" {
					og = strings.TrimSpace(attr(n, "content"))
				}
			case atom.Body:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	switch {
	case canon != "":
		return canon
	case og != "":
		return og
	}
	if m := savedFromRE.FindSubmatch(raw[:min(len(raw), sniffLen)]); m != nil {
		return string(m[1])
	}
	return ""
}

var savedFromRE = regexp.MustCompile(`<!-- saved from url=\(\d+\)(\S+?) -->`)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

func findFirst(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findFirst(c, a); f != nil {
			return f
		}
	}
	return nil
}

// countElements counts the elements of the tree, stopping at limit.
func countElements(n *html.Node, limit int) int {
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if count >= limit {
			return
		}
		if n.Type == html.ElementNode {
			count++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return count
}

// textOf is the text of a subtree, line breaks and blocks as spaces.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipElement(n) {
				return
			}
			if n.DataAtom == atom.Br || blockElement(n) {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func skipElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math,
		atom.Button, atom.Select, atom.Textarea, atom.Input, atom.Iframe, atom.Object:
		return true
	}
	return false
}

func blockElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Li,
		atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre, atom.Figure,
		atom.Figcaption, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Caption,
		atom.Tr, atom.Td, atom.Th, atom.Address, atom.Details, atom.Summary, atom.Hr,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Body, atom.Html:
		return true
	}
	return false
}

// htmlWalker turns the content tree into blocks.
type htmlWalker struct {
	blockList
	buf strings.Builder
}

// blockList collects the blocks of a document without pages (a web page, a
// Word file): every block is on page 1, and a minor heading (lead) is
// joined to the front of the paragraph after it.
type blockList struct {
	out  []block
	lead string // minor headings waiting for the paragraph they lead into
}

func (b *blockList) add(k blockKind, t string) {
	t = cleanLine(t)
	if t == "" {
		return
	}
	if k == paragraph && b.lead != "" {
		t, b.lead = b.lead+" "+t, ""
	}
	b.out = append(b.out, block{kind: k, text: t, page: 1, lastPage: 1})
}

func (w *htmlWalker) flush() {
	w.add(paragraph, w.buf.String())
	w.buf.Reset()
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.buf.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipElement(n) {
			return
		}
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3:
			w.flush()
			w.add(heading, textOf(n))
			return
		case atom.H4, atom.H5, atom.H6:
			w.flush()
			if t := cleanLine(textOf(n)); t != "" {
				w.lead = strings.TrimSpace(w.lead + " " + leadIn(t))
			}
			return
		case atom.Tr:
			w.flush()
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					cells = append(cells, cleanLine(textOf(c)))
				}
			}
			if row := tableRow(cells); row != "" {
				if w.lead != "" {
					row, w.lead = w.lead+" "+row, ""
				}
				w.out = append(w.out, block{kind: paragraph, text: row, page: 1, lastPage: 1})
			}
			return
		case atom.Br:
			w.buf.WriteByte(' ')
			return
		}
		if blockElement(n) {
			w.flush()
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				w.walk(c)
			}
			w.flush()
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}
