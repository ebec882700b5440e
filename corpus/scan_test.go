package corpus

import (
	"errors"
	"strings"
	"testing"
)

// TestScanFolderFiles: a folder scan takes every file, whatever its
// extension (ingest reads each by its content and fails what it cannot
// read), except hidden files and folders, Office lock files, YAML
// (manifests, codebooks), a browser's folder of a saved page's resources
// and an lcity workspace.
func TestScanFolderFiles(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"every document type",
			[]string{"a.pdf", "b.docx", "c.html", "d.htm", "e.md", "f.txt", "g", "h.jpg", "i.csv", "j.PDF"},
			[]string{"a.pdf", "b.docx", "c.html", "d.htm", "e.md", "f.txt", "g", "h.jpg", "i.csv", "j.PDF"}},
		{"left out",
			[]string{"a.pdf", ".DS_Store", ".git/config", "~$report.docx", "codebook.yaml", "other.yml", "sub/b.docx"},
			[]string{"a.pdf", "sub/b.docx"}},
		{"a workspace inside the corpus",
			[]string{"a.pdf", "out/run.json", "out/documents.jsonl", "out/texts/a.txt", "notes/run.json"},
			[]string{"a.pdf", "notes/run.json"}},
		{"saved page resources",
			[]string{"page.html", "page_files/app.js", "page_files/logo.png", "other_files/notes.txt", "old.htm", "old_files/x.css"},
			[]string{"old.htm", "other_files/notes.txt", "page.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ScanFolder(writeFolder(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range m.Entries {
				got = append(got, e.File)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("ScanFolder(%q) = %q, want %q", tt.files, got, tt.want)
			}
		})
	}
	if _, err := ScanFolder(writeFolder(t, []string{".hidden", "codebook.yaml"})); !errors.Is(err, ErrNoInputs) {
		t.Errorf("ScanFolder(only left-out files) = %v, want ErrNoInputs", err)
	}
}
