// Command cidmapgen writes the CID → Unicode tables of the four Adobe CJK
// character collections (Adobe-Japan1, -GB1, -CNS1, -Korea1) that ingest
// embeds, from the Adobe-*-UCS2 CMaps of Debian's poppler-data package:
//
//	go run ./internal/cidmapgen [-src /usr/share/poppler/cMap] [-out ingest/cidmaps]
//
// ingest/cjk.go runs it through go generate. Each output file
// (ORDERING.bin) is zlib-compressed unsigned varints: per run of CIDs, the
// gap from the end of the previous run, the run's length, and its first
// text as a count of code points followed by the code points; each further
// CID of a run has the text of the one before with its last code point
// plus one. Variation selectors in the CMaps' destinations (a digit with
// U+FE00, an ideograph with U+E0100) are dropped: the text is searched,
// not rendered.
package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Predefined CMaps (code → CID): each of CMaps is written to
// cmaps/NAME.bin, zlib-compressed unsigned varints: the index of its
// ordering in Orderings; the number of codespace ranges and, for each, its
// byte length and its low and high bytes; then, per run of codes of one
// length mapped to consecutive CIDs, in order of length and first code,
// the length, the gap from the end of the previous run of that length
// (from 0 for the first), the run's size and its first CID. A usecmap
// parent's mappings come first and the CMap's own override them.

// CMaps are the predefined CMaps written: the non-Unicode horizontal
// CMaps of PDF 32000-1's table of predefined CJK CMaps (Table 118). The
// vertical ones (-V) differ only in the CIDs of a few punctuation marks
// set upright, which name the same characters, so a reader of text takes
// the horizontal table for them; the Unicode ones (Uni…-UCS2, -UTF16)
// need no table, their codes being the text.
var CMaps = map[string][]string{
	"Adobe-CNS1":   {"B5pc-H", "CNS-EUC-H", "ETen-B5-H", "ETenms-B5-H", "HKscs-B5-H"},
	"Adobe-GB1":    {"GB-EUC-H", "GBK-EUC-H", "GBK2K-H", "GBKp-EUC-H", "GBpc-EUC-H"},
	"Adobe-Japan1": {"83pv-RKSJ-H", "90ms-RKSJ-H", "90msp-RKSJ-H", "90pv-RKSJ-H", "Add-RKSJ-H", "EUC-H", "Ext-RKSJ-H", "H"},
	"Adobe-Korea1": {"KSC-EUC-H", "KSCms-UHC-H", "KSCms-UHC-HW-H", "KSCpc-EUC-H"},
}

// Orderings are the character collections written.
var Orderings = []string{"Adobe-CNS1", "Adobe-GB1", "Adobe-Japan1", "Adobe-Korea1"}

func main() {
	src := flag.String("src", "/usr/share/poppler/cMap", "poppler-data's cMap folder")
	out := flag.String("out", "ingest/cidmaps", "folder to write ORDERING.bin into")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "cidmapgen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	for _, o := range Orderings {
		f, err := os.Open(filepath.Join(src, o, o+"-UCS2"))
		if err != nil {
			return fmt.Errorf("%w (apt-get install poppler-data)", err)
		}
		m, err := Parse(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
		if err := writeAtomic(filepath.Join(out, o+".bin"), Encode(m)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(out, "cmaps"), 0o755); err != nil {
		return err
	}
	for oi, o := range Orderings {
		for _, name := range CMaps[o] {
			cm, err := LoadCMap(filepath.Join(src, o), name)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", o, name, err)
			}
			if err := writeAtomic(filepath.Join(out, "cmaps", name+".bin"), EncodeCMap(oi, cm)); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Parse reads the bfchar and bfrange entries of a UCS-2 CMap into CID →
// code points.
func Parse(r io.Reader) (map[int][]rune, error) {
	m := map[int][]rune{}
	sc := bufio.NewScanner(r)
	section := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && (f[1] == "beginbfchar" || f[1] == "beginbfrange"):
			section = f[1]
			continue
		case line == "endbfchar" || line == "endbfrange":
			section = ""
			continue
		case section == "":
			continue
		}
		var vals [][]byte
		for _, w := range f {
			if !strings.HasPrefix(w, "<") || !strings.HasSuffix(w, ">") {
				return nil, fmt.Errorf("unexpected %q in %s", line, section)
			}
			b, err := hexBytes(w[1 : len(w)-1])
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			vals = append(vals, b)
		}
		switch {
		case section == "beginbfchar" && len(vals) == 2:
			m[code(vals[0])] = text(vals[1])
		case section == "beginbfrange" && len(vals) == 3:
			lo, hi, dst := code(vals[0]), code(vals[1]), text(vals[2])
			if hi < lo || hi-lo > 0xffff || len(dst) == 0 {
				return nil, fmt.Errorf("bad range %q", line)
			}
			for c := lo; c <= hi; c++ {
				d := append([]rune(nil), dst...)
				d[len(d)-1] += rune(c - lo)
				m[c] = d
			}
		default:
			return nil, fmt.Errorf("unexpected %q in %s", line, section)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, errors.New("no mappings")
	}
	return m, nil
}

func hexBytes(h string) ([]byte, error) {
	if len(h)%2 != 0 {
		return nil, errors.New("odd hex string")
	}
	out := make([]byte, len(h)/2)
	for i := range out {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, err
		}
		out[i] = byte(v)
	}
	return out, nil
}

func code(b []byte) int {
	v := 0
	for _, c := range b {
		v = v<<8 | int(c)
	}
	return v
}

// text decodes a UTF-16BE destination, without variation selectors unless
// they are all there is.
func text(b []byte) []rune {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	rs := utf16.Decode(u)
	kept := rs[:0:0]
	for _, r := range rs {
		if (r >= 0xfe00 && r <= 0xfe0f) || (r >= 0xe0100 && r <= 0xe01ef) {
			continue
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		return rs
	}
	return kept
}

// Encode writes a table in the format described in the package comment.
func Encode(m map[int][]rune) []byte {
	cids := make([]int, 0, len(m))
	for c := range m {
		cids = append(cids, c)
	}
	sort.Ints(cids)
	var raw []byte
	put := func(v uint64) { raw = binary.AppendUvarint(raw, v) }
	end := 0
	for i := 0; i < len(cids); {
		j := i + 1
		for j < len(cids) && cids[j] == cids[j-1]+1 && follows(m[cids[j-1]], m[cids[j]]) {
			j++
		}
		put(uint64(cids[i] - end))
		put(uint64(j - i))
		first := m[cids[i]]
		put(uint64(len(first)))
		for _, r := range first {
			put(uint64(r))
		}
		end = cids[j-1] + 1
		i = j
	}
	return compress(raw)
}

// follows reports whether b is a with its last code point plus one.
func follows(a, b []rune) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := 0; i < len(a)-1; i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return b[len(b)-1] == a[len(a)-1]+1
}

// CMap is a predefined CMap's codespace ranges and code → CID mappings.
type CMap struct {
	Spaces [][2][]byte            // low and high bytes of each range
	CIDs   map[int]map[uint32]int // by code length, code → CID
}

// LoadCMap reads the CMap name in dir, its usecmap parent first.
func LoadCMap(dir, name string) (*CMap, error) {
	return loadCMap(dir, name, 0)
}

func loadCMap(dir, name string, depth int) (*CMap, error) {
	if depth > 4 || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("usecmap %s: too deep or not a name", name)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("%w (apt-get install poppler-data)", err)
	}
	defer f.Close()
	return ParseCMap(f, func(parent string) (*CMap, error) { return loadCMap(dir, parent, depth+1) })
}

// ParseCMap reads the codespacerange, cidrange and cidchar entries of a
// CMap; use loads the CMap its usecmap names.
func ParseCMap(r io.Reader, use func(string) (*CMap, error)) (*CMap, error) {
	cm := &CMap{CIDs: map[int]map[uint32]int{}}
	set := func(b []byte, cid int) {
		if cm.CIDs[len(b)] == nil {
			cm.CIDs[len(b)] = map[uint32]int{}
		}
		cm.CIDs[len(b)][uint32(code(b))] = cid
	}
	sc := bufio.NewScanner(r)
	section := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[1] == "usecmap":
			parent, err := use(strings.TrimPrefix(f[0], "/"))
			if err != nil {
				return nil, err
			}
			cm.Spaces = append(cm.Spaces, parent.Spaces...)
			for n, m := range parent.CIDs {
				for c, cid := range m {
					set(codeBytes(c, n), cid)
				}
			}
			continue
		case len(f) == 2 && strings.HasPrefix(f[1], "begin") && f[1] != "begincmap" && f[1] != "beginrearrangedfont":
			section = f[1]
			continue
		case strings.HasPrefix(line, "end") && section != "":
			section = ""
			continue
		case section == "" || section == "beginnotdefrange" || section == "beginnotdefchar":
			continue
		}
		var vals [][]byte
		num := -1
		for _, w := range f {
			if strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") {
				b, err := hexBytes(w[1 : len(w)-1])
				if err != nil {
					return nil, fmt.Errorf("%q: %w", line, err)
				}
				vals = append(vals, b)
				continue
			}
			n, err := strconv.Atoi(w)
			if err != nil || num >= 0 {
				return nil, fmt.Errorf("unexpected %q in %s", line, section)
			}
			num = n
		}
		switch {
		case section == "begincodespacerange" && len(vals) == 2 && num < 0 && len(vals[0]) == len(vals[1]):
			cm.Spaces = append(cm.Spaces, [2][]byte{vals[0], vals[1]})
		case section == "begincidrange" && len(vals) == 2 && num >= 0 && len(vals[0]) == len(vals[1]):
			lo, hi := code(vals[0]), code(vals[1])
			if hi < lo || hi-lo > 0xffff {
				return nil, fmt.Errorf("bad range %q", line)
			}
			for c := lo; c <= hi; c++ {
				set(codeBytes(uint32(c), len(vals[0])), num+c-lo)
			}
		case section == "begincidchar" && len(vals) == 1 && num >= 0:
			set(vals[0], num)
		default:
			return nil, fmt.Errorf("unexpected %q in %s", line, section)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(cm.Spaces) == 0 || len(cm.CIDs) == 0 {
		return nil, errors.New("no codespace or no mappings")
	}
	return cm, nil
}

func codeBytes(c uint32, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(c)
		c >>= 8
	}
	return b
}

// EncodeCMap writes a predefined CMap of Orderings[ordering] in the
// format described in the package comment.
func EncodeCMap(ordering int, cm *CMap) []byte {
	var raw []byte
	put := func(v uint64) { raw = binary.AppendUvarint(raw, v) }
	put(uint64(ordering))
	put(uint64(len(cm.Spaces)))
	for _, sp := range cm.Spaces {
		put(uint64(len(sp[0])))
		raw = append(raw, sp[0]...)
		raw = append(raw, sp[1]...)
	}
	lens := make([]int, 0, len(cm.CIDs))
	for n := range cm.CIDs {
		lens = append(lens, n)
	}
	sort.Ints(lens)
	for _, n := range lens {
		m := cm.CIDs[n]
		codes := make([]uint32, 0, len(m))
		for c := range m {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
		end := uint32(0)
		for i := 0; i < len(codes); {
			j := i + 1
			for j < len(codes) && codes[j] == codes[j-1]+1 && m[codes[j]] == m[codes[j-1]]+1 {
				j++
			}
			put(uint64(n))
			put(uint64(codes[i] - end))
			put(uint64(j - i))
			put(uint64(m[codes[i]]))
			end = codes[j-1] + 1
			i = j
		}
	}
	return compress(raw)
}

// compress is raw zlib-compressed at the best level: the form a table is
// embedded in.
func compress(raw []byte) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}
