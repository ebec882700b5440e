package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFolder creates the named files (slash-separated paths) under a new
// temporary folder, in the order given, and returns the folder.
func writeFolder(t *testing.T, files []string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("Some text about "+f+".\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// folderIDs loads a folder corpus and returns each file's document ID.
func folderIDs(dir string) (map[string]string, error) {
	c, err := Load(dir)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, e := range c.Manifest.Entries {
		ids[e.File] = DocID(e.City, e.Year)
	}
	return ids, nil
}

func TestLoadFolderIDs(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		want    map[string]string // file → document ID
		wantErr []string          // substrings of the error
	}{
		{name: "distinct cities", files: []string{"cork.pdf", "espoo.txt"},
			want: map[string]string{"cork.pdf": "cork", "espoo.txt": "espoo"}},
		{name: "same stem, two formats", files: []string{"melton.txt", "melton.pdf"},
			want: map[string]string{"melton.pdf": "melton", "melton.txt": "melton-txt"}},
		// Pécs.md sorts before pecs.md ('P' < 'p'), keeps the city and the
		// ID; pecs.md falls back to its file name.
		{name: "accent and case", files: []string{"pecs.md", "Pécs.md"},
			want: map[string]string{"Pécs.md": "pecs", "pecs.md": "pecs-md"}},
		{name: "same name in two folders", files: []string{"b/pecs.md", "a/pecs.md"},
			want: map[string]string{"a/pecs.md": "pecs", "b/pecs.md": "pecs-md"}},
		{name: "fallback taken by accent and case", files: []string{"pecs.md", "Pécs.md", "PECS.md"},
			wantErr: []string{"Pécs.md", "pecs.md", `"pecs-md"`, "rename one", ManifestName}},
		{name: "fallback taken by a third folder", files: []string{"a/pecs.md", "b/pecs.md", "c/pecs.md"},
			wantErr: []string{"b/pecs.md", "c/pecs.md", `"pecs-md"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := folderIDs(writeFolder(t, tt.files))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Load(%q) = %v, want an error", tt.files, got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("Load(%q) error = %q, want it to contain %q", tt.files, err, s)
					}
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Load(%q) = %v, %v, want %v", tt.files, got, err, tt.want)
			}
		})
	}
}

// TestLoadFolderNearDuplicates loads folders of about 30 names that differ
// in case, accents, punctuation and extension: every document ID must be
// distinct, or Load must fail naming two of the files, the same way on
// every load and whatever order the files were created in.
func TestLoadFolderNearDuplicates(t *testing.T) {
	// Stems that the file-name fallback cannot keep apart.
	var clash []string
	for _, stem := range []string{
		"Pécs", "pecs", "PECS", "pécs_", "Pe-cs", "p e c s",
		"Câmara de Lobos", "camara-de-lobos", "Camara_de_Lobos", "CAMARA DE LOBOS", "câmara.de.lobos",
		"melton", "Melton", "mélton", "melton-txt", "melton (1)",
	} {
		clash = append(clash, stem+".pdf")
		if len(clash)%3 != 0 {
			clash = append(clash, stem+".txt")
		}
		if len(clash)%4 == 0 {
			clash = append(clash, stem+".md")
		}
	}
	// Each city once per extension, spelt differently each time: the
	// fallback keeps them apart.
	var apart []string
	for _, city := range []string{"Pécs", "Cork", "Espoo", "Melton", "Câmara de Lobos", "Suwon", "Okayama", "Limerick", "Larissa", "Bristol"} {
		apart = append(apart, city+".pdf", strings.ToLower(Fold(city))+".txt", strings.ToUpper(city)+".md")
	}
	tests := []struct {
		name    string
		files   []string
		wantErr bool
	}{
		{"fallback cannot separate", clash, true},
		{"fallback separates", apart, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.files) < 30 {
				t.Fatalf("only %d files", len(tt.files))
			}
			load := func(dir string) string {
				c, err := Load(dir)
				if err != nil {
					return "error: " + strings.ReplaceAll(err.Error(), dir, "DIR")
				}
				var b strings.Builder
				ids := map[string]string{}
				for _, e := range c.Manifest.Entries {
					id := DocID(e.City, e.Year)
					if prev, dup := ids[id]; dup {
						t.Errorf("Load: %s and %s both have the document ID %q", prev, e.File, id)
					}
					ids[id] = e.File
					fmt.Fprintf(&b, "%s\t%s\t%s\n", e.File, e.City, id)
				}
				if len(ids) != len(tt.files) {
					t.Errorf("Load gave %d documents of %d files", len(ids), len(tt.files))
				}
				return b.String()
			}
			dir := writeFolder(t, tt.files)
			first := load(dir)
			t.Logf("%d files:\n%s", len(tt.files), first)
			if isErr := strings.HasPrefix(first, "error: "); isErr != tt.wantErr {
				t.Fatalf("Load = %s, want an error: %v", first, tt.wantErr)
			}
			if tt.wantErr && strings.Count(first, ".pdf")+strings.Count(first, ".txt")+strings.Count(first, ".md") < 2 {
				t.Errorf("Load error = %s, want two files named", first)
			}
			for i := range 5 {
				if got := load(dir); got != first {
					t.Fatalf("load %d differs from the first:\n%s\nwant:\n%s", i+2, got, first)
				}
			}
			reversed := make([]string, len(tt.files))
			for i, f := range tt.files {
				reversed[len(tt.files)-1-i] = f
			}
			if got := load(writeFolder(t, reversed)); got != first {
				t.Errorf("load of the files created in reverse order:\n%s\nwant:\n%s", got, first)
			}
		})
	}
}
