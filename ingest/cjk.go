package ingest

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"embed"
	"encoding/binary"
	"io"
	"slices"
	"sort"
	"strings"
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

// Predefined CMaps. A Type0 font's /Encoding may name one of the CJK
// CMaps every PDF reader knows (PDF 32000-1, Table 118) instead of giving
// its own. Of these, lcity reads:
//
//   - the Unicode ones (Uni…-UCS2-H/V, Uni…-UTF16-H/V, with -HW- too),
//     whose codes are the text in UTF-16 (unicodeCMap);
//   - the others of that table (Shift-JIS, EUC, GBK, Big Five, UHC… in
//     cidmaps/cmaps, made by internal/cidmapgen from poppler-data): the
//     code gives a CID of the CMap's Adobe collection, whose text is in
//     that collection's table above. A vertical CMap (-V) is read with its
//     horizontal table: it differs only in the CIDs of a few punctuation
//     marks set upright, which name the same characters.
//
// Other predefined CMaps (the 78-, Hojo-, HK… and UTF-8/UTF-32 families)
// are not read: no text comes out of fonts that use them, unless they
// carry a /ToUnicode.
//
//go:embed cidmaps/cmaps/*.bin
var cmapFiles embed.FS

// cmapRun maps n consecutive codes of one length from code on to
// consecutive CIDs from cid on.
type cmapRun struct {
	code, n, cid uint32
}

// predefinedCMap is a decoded predefined CMap.
type predefinedCMap struct {
	cids   *cidTable    // the CID → Unicode table of its collection
	spaces [][2][]byte  // codespace ranges
	runs   [5][]cmapRun // by code length (1 to 4), in order of code
}

var (
	predefinedMu    sync.Mutex
	predefinedCMaps = map[string]*predefinedCMap{}
)

// predefinedCMapFor returns the predefined CMap an /Encoding names, nil
// when lcity has no table of it (see above).
func predefinedCMapFor(name string) *predefinedCMap {
	if strings.HasSuffix(name, "-V") {
		name = strings.TrimSuffix(name, "V") + "H"
	} else if name == "V" {
		name = "H"
	}
	if name == "" || strings.ContainsAny(name, "/.") {
		return nil
	}
	predefinedMu.Lock()
	defer predefinedMu.Unlock()
	if m, ok := predefinedCMaps[name]; ok {
		return m
	}
	m := loadPredefinedCMap(name)
	predefinedCMaps[name] = m
	return m
}

// cmapOrderings are the collections in the order internal/cidmapgen
// numbers them.
var cmapOrderings = []string{"CNS1", "GB1", "Japan1", "Korea1"}

func loadPredefinedCMap(name string) *predefinedCMap {
	data, err := cmapFiles.ReadFile("cidmaps/cmaps/" + name + ".bin")
	if err != nil {
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	r := bytes.NewReader(raw)
	ord, err := binary.ReadUvarint(r)
	if err != nil || ord >= uint64(len(cmapOrderings)) {
		return nil
	}
	m := &predefinedCMap{cids: cidTables[cmapOrderings[ord]]}
	nsp, err := binary.ReadUvarint(r)
	if err != nil || nsp > 64 {
		return nil
	}
	for range nsp {
		n, err := binary.ReadUvarint(r)
		if err != nil || n < 1 || n > 4 {
			return nil
		}
		b := make([]byte, 2*n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil
		}
		m.spaces = append(m.spaces, [2][]byte{b[:n], b[n:]})
	}
	ends := [5]uint32{}
	for r.Len() > 0 {
		var v [4]uint64
		for i := range v {
			if v[i], err = binary.ReadUvarint(r); err != nil {
				return nil
			}
		}
		n := v[0]
		if n < 1 || n > 4 {
			return nil
		}
		run := cmapRun{code: ends[n] + uint32(v[1]), n: uint32(v[2]), cid: uint32(v[3])}
		m.runs[n] = append(m.runs[n], run)
		ends[n] = run.code + run.n
	}
	return m
}

// embeddedCMap is the CMap of a Type0 font's /Encoding stream as a
// predefinedCMap without a collection (the caller sets it): its codespace
// ranges and its cidchar and cidrange entries, sorted by code, a run that
// overlaps an earlier one dropped. nil when it maps no code.
func embeddedCMap(data []byte) *predefinedCMap {
	c := parseCMap(data)
	m := &predefinedCMap{spaces: c.spaces}
	empty := true
	for n, runs := range c.cids {
		slices.SortStableFunc(runs, func(a, b cmapRun) int { return cmp.Compare(a.code, b.code) })
		end := uint32(0)
		for i, r := range runs {
			if i > 0 && r.code < end {
				continue
			}
			m.runs[n] = append(m.runs[n], r)
			end = r.code + r.n
			empty = false
		}
	}
	if empty {
		return nil
	}
	return m
}

// codeLen is the length of the code at the start of s by the CMap's
// codespace ranges; a byte in none of them is a code of its own.
func (m *predefinedCMap) codeLen(s string) int {
	return codespaceLen(m.spaces, s, 1)
}

// cid returns the CID of a code, false when the CMap does not map it.
func (m *predefinedCMap) cid(code string) (int, bool) {
	if len(code) < 1 || len(code) > 4 {
		return 0, false
	}
	c := uint32(0)
	for i := 0; i < len(code); i++ {
		c = c<<8 | uint32(code[i])
	}
	runs := m.runs[len(code)]
	i := sort.Search(len(runs), func(i int) bool { return runs[i].code+runs[i].n > c })
	if i == len(runs) || runs[i].code > c {
		return 0, false
	}
	return int(runs[i].cid + c - runs[i].code), true
}

// text returns the text of a code ("" when the CMap or the collection's
// table has none).
func (m *predefinedCMap) text(code string) string {
	cid, ok := m.cid(code)
	if !ok || m.cids == nil {
		return ""
	}
	return m.cids.text(cid)
}

// unicodeCMap reports whether a predefined CMap's codes are UTF-16BE
// text: Uni…-UCS2-… and Uni…-UTF16-… (horizontal or vertical, -HW- too).
func unicodeCMap(name string) bool {
	return strings.HasPrefix(name, "Uni") && (strings.Contains(name, "-UCS2-") || strings.Contains(name, "-UTF16-")) &&
		(strings.HasSuffix(name, "-H") || strings.HasSuffix(name, "-V"))
}

// utf16CodeLen is the length of the UTF-16BE code at the start of s: 4
// for a high surrogate followed by a low one, else 2.
func utf16CodeLen(s string) int {
	if len(s) >= 4 && s[0] >= 0xd8 && s[0] <= 0xdb && s[2] >= 0xdc && s[2] <= 0xdf {
		return 4
	}
	return 2
}
