package ingest

import (
	"bytes"
	"compress/zlib"
	"embed"
	"encoding/binary"
	"io"
	"sort"
	"sync"
)

//go:generate go run ../internal/cidmapgen -src /usr/share/poppler/cMap -out cidmaps

// The CID → Unicode tables of the Adobe CJK character collections, made
// from poppler-data's Adobe-*-UCS2 CMaps (cidmaps/README, cidmaps/LICENSE).
// A CID font whose /CIDSystemInfo names one of these orderings and that
// has no /ToUnicode is read through them when its codes are CIDs: with the
// Identity-H or Identity-V encoding. They are not used for a TrueType CID
// font (CIDFontType2) embedded with an identity /CIDToGIDMap: its CIDs are
// then the glyph numbers of the embedded subset, whatever ordering it
// names, and reading them as collection CIDs would give wrong characters.
//
//go:embed cidmaps/*.bin
var cidmapFiles embed.FS

// cidRun maps n consecutive CIDs from cid on: the first to text, each
// further one to the text before it with its last code point plus one.
type cidRun struct {
	cid, n int
	text   []rune
}

// cidTable is the decoded table of one ordering.
type cidTable struct {
	ordering string
	once     sync.Once
	runs     []cidRun
}

var cidTables = map[string]*cidTable{
	"Japan1": {ordering: "Japan1"}, "GB1": {ordering: "GB1"},
	"CNS1": {ordering: "CNS1"}, "Korea1": {ordering: "Korea1"},
}

// cidTableFor returns the table of an Adobe ordering ("Japan1"), nil for
// other orderings.
func cidTableFor(registry, ordering string) *cidTable {
	if registry != "Adobe" {
		return nil
	}
	return cidTables[ordering]
}

// load decodes the embedded table once; a damaged table decodes to as
// many runs as it holds intact.
func (t *cidTable) load() []cidRun {
	t.once.Do(func() {
		data, err := cidmapFiles.ReadFile("cidmaps/Adobe-" + t.ordering + ".bin")
		if err != nil {
			return
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		raw, _ := io.ReadAll(zr)
		r := bytes.NewReader(raw)
		end := 0
		for {
			gap, err1 := binary.ReadUvarint(r)
			n, err2 := binary.ReadUvarint(r)
			k, err3 := binary.ReadUvarint(r)
			if err1 != nil || err2 != nil || err3 != nil || k > 16 || n > 1<<16 || gap > 1<<16 {
				return
			}
			run := cidRun{cid: end + int(gap), n: int(n), text: make([]rune, k)}
			for i := range run.text {
				v, err := binary.ReadUvarint(r)
				if err != nil {
					return
				}
				run.text[i] = rune(v)
			}
			t.runs = append(t.runs, run)
			end = run.cid + run.n
		}
	})
	return t.runs
}

// text returns the Unicode text of a CID ("" when the table has none).
func (t *cidTable) text(cid int) string {
	runs := t.load()
	i := sort.Search(len(runs), func(i int) bool { return runs[i].cid+runs[i].n > cid })
	if i == len(runs) || runs[i].cid > cid || len(runs[i].text) == 0 {
		return ""
	}
	rs := append([]rune(nil), runs[i].text...)
	rs[len(rs)-1] += rune(cid - runs[i].cid)
	return string(rs)
}
