package ingest

import (
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// glyphRunes is what an embedded TrueType font program says of its glyphs
// when the PDF does not (a CID font with no /ToUnicode): the character of
// each glyph index by the font's own cmap, as poppler reads such fonts.
// PowerPoint and Office exports set slide text this way. The cmap is
// read with golang.org/x/image/font/sfnt.
type glyphRunes struct {
	text     []string // glyph index → text ("" for none)
	cidToGID []byte   // a /CIDToGIDMap stream (two bytes per CID), nil for /Identity
}

// maxGlyphRunes bounds the glyphs read from one embedded font.
const maxGlyphRunes = 1 << 16

// newGlyphRunes reads the cmap of a TrueType font program; nil when the
// program cannot be parsed or maps no character. Each glyph gets the
// smallest code point that maps to it, private-use code points (the
// pictures of symbol fonts) left out.
func newGlyphRunes(data, cidToGID []byte) *glyphRunes {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil
	}
	n := min(f.NumGlyphs(), maxGlyphRunes)
	if n <= 1 {
		return nil
	}
	g := &glyphRunes{text: make([]string, n), cidToGID: cidToGID}
	var buf sfnt.Buffer
	found := false
	for r := rune(0x20); r <= 0xffff; r++ {
		if r >= 0xd800 && r <= 0xf8ff || !unicode.IsPrint(r) && r != ' ' { // surrogates, private use
			continue
		}
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 || int(gi) >= n || g.text[gi] != "" {
			continue
		}
		g.text[gi] = string(r)
		found = true
	}
	if !found {
		return nil
	}
	return g
}

// lookup returns the text of a CID.
func (g *glyphRunes) lookup(cid int) string {
	gid := cid
	if cid < 0 {
		return ""
	}
	if g.cidToGID != nil {
		if 2*cid+1 >= len(g.cidToGID) {
			return ""
		}
		gid = int(g.cidToGID[2*cid])<<8 | int(g.cidToGID[2*cid+1])
	}
	if gid <= 0 || gid >= len(g.text) {
		return ""
	}
	return g.text[gid]
}
