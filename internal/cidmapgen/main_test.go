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
	}
}
