package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

func TestParse(t *testing.T) {
	src := `%!PS-Adobe-3.0 Resource-CMap
1 begincodespacerange
  <0000> <FFFF>
endcodespacerange
2 beginbfchar
<0001> <0020>
<00e6> <0030fe00>
endbfchar
1 beginbfrange
<0010> <0012> <4e00>
endbfrange
endcmap`
	m, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]rune{1: {' '}, 0xe6: {'0'}, 0x10: {'一'}, 0x11: {'丁'}, 0x12: {'丂'}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("Parse = %v, want %v", m, want)
	}
	if _, err := Parse(strings.NewReader("1 beginbfrange\n<0012> <0010> <4e00>\nendbfrange\n")); err == nil {
		t.Error("Parse accepted a range whose start is past its end")
	}
}

// TestCIDMapsUpToDate regenerates the tables from poppler-data and
// compares them with the committed ones in ingest/cidmaps. Without
// poppler-data the test skips, or fails under CI.
func TestCIDMapsUpToDate(t *testing.T) {
	const src = "/usr/share/poppler/cMap"
	if _, err := os.Stat(filepath.Join(src, "Adobe-Japan1", "Adobe-Japan1-UCS2")); err != nil {
		if testenv.CI() {
			t.Fatalf("%v; CI requires poppler-data (apt-get install poppler-data)", err)
		}
		t.Skipf("%v; skipped (apt-get install poppler-data)", err)
	}
	dir := t.TempDir()
	if err := run(src, dir); err != nil {
		t.Fatal(err)
	}
	for _, o := range Orderings {
		got, err := os.ReadFile(filepath.Join("..", "..", "ingest", "cidmaps", o+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, o+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("ingest/cidmaps/%s.bin differs from what poppler-data's CMap gives now; run go generate ./ingest", o)
		}
		for _, name := range CMaps[o] {
			rel := filepath.Join("cmaps", name+".bin")
			got, err := os.ReadFile(filepath.Join("..", "..", "ingest", "cidmaps", rel))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("ingest/cidmaps/%s differs from what poppler-data's CMap gives now; run go generate ./ingest", rel)
			}
		}
	}
	committed, err := filepath.Glob(filepath.Join("..", "..", "ingest", "cidmaps", "cmaps", "*.bin"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, names := range CMaps {
		n += len(names)
	}
	if len(committed) != n {
		t.Errorf("ingest/cidmaps/cmaps holds %d tables, CMaps lists %d", len(committed), n)
	}
}

// TestParseCMap reads a predefined CMap with one- and two-byte codes,
// ranges, single codes and a usecmap parent that it overrides.
func TestParseCMap(t *testing.T) {
	parent := `/CIDInit /ProcSet findresource begin
2 begincodespacerange
<00> <80>
<8140> <9ffc>
endcodespacerange
1 begincidrange
<20> <7e> 231
endcidrange
1 begincidchar
<8140> 633
endcidchar
`
	child := `/Parent usecmap
1 begincidrange
<8141> <8143> 634
endcidrange
1 begincidchar
<5c> 97
endcidchar
1 beginnotdefrange
<00> <1f> 1
endnotdefrange
`
	use := func(name string) (*CMap, error) {
		if name != "Parent" {
			t.Fatalf("usecmap %q, want Parent", name)
		}
		return ParseCMap(strings.NewReader(parent), nil)
	}
	cm, err := ParseCMap(strings.NewReader(child), use)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n    int
		code uint32
		want int
		ok   bool
	}{
		{1, 0x20, 231, true},
		{1, 0x41, 264, true},
		{1, 0x5c, 97, true}, // the child's own entry wins
		{1, 0x10, 0, false}, // notdef ranges are not mappings
		{2, 0x8140, 633, true},
		{2, 0x8143, 636, true},
		{2, 0x8144, 0, false},
	}
	for _, tt := range tests {
		got, ok := cm.CIDs[tt.n][tt.code]
		if got != tt.want || ok != tt.ok {
			t.Errorf("CID of %d-byte code %X = %d, %v; want %d, %v", tt.n, tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if len(cm.Spaces) != 2 {
		t.Errorf("codespace ranges = %d, want 2 (the parent's)", len(cm.Spaces))
	}
	if _, err := ParseCMap(strings.NewReader("1 begincidrange\n<20> 231\nendcidrange\n"), nil); err == nil {
		t.Error("ParseCMap of a range without its end = nil error, want one")
	}
}
