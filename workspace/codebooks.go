package workspace

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcity/lcity/coding"
)

// The workspace keeps a copy of each codebook it was coded with, under
// codebooks/<name><ext>. run.json records only a codebook's source and
// hash; once a researcher edits the file, export, analyze and eval must
// still see the codes that did the coding. They read the copy when its
// hash is the recorded one.

// codebookCopy is the path of a codebook's copy inside the workspace.
func codebookCopy(name, source string) string {
	ext := filepath.Ext(source)
	if strings.HasPrefix(source, coding.EmbeddedPrefix) || ext == "" {
		ext = ".yaml"
	}
	return CodebooksDir + "/" + name + ext
}

// CodebookRecords are the run.json records of codebooks.
func CodebookRecords(cbs []*coding.Codebook) []Codebook {
	var out []Codebook
	for _, cb := range cbs {
		out = append(out, Codebook{Name: cb.Name, Source: cb.Source, SHA256: cb.SHA256, Codes: cb.NumCodable()})
	}
	return out
}

// WriteCodebooks replaces codebooks/ in dir with copies of cbs and returns
// their output records.
func WriteCodebooks(dir string, cbs []*coding.Codebook) ([]Output, error) {
	if err := os.RemoveAll(filepath.Join(dir, CodebooksDir)); err != nil {
		return nil, err
	}
	var outs []Output
	for _, cb := range cbs {
		rel := codebookCopy(cb.Name, cb.Source)
		d, err := WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), func(w io.Writer) error {
			_, err := w.Write(cb.Raw)
			return err
		})
		if err != nil {
			return nil, err
		}
		outs = append(outs, NewOutput(rel, d))
	}
	return outs, nil
}

// RecordedCodebooks loads the codebooks run.json records (those named in
// only, when only is not empty): from the workspace's copy when it matches
// the recorded hash, else from the recorded source; a source that changed
// since the coding is an error naming it.
func RecordedCodebooks(dir string, m *Manifest, only map[string]bool) ([]*coding.Codebook, error) {
	var cbs []*coding.Codebook
	for _, r := range m.Codebooks {
		if len(only) > 0 && !only[r.Name] {
			continue
		}
		var cb *coding.Codebook
		name := filepath.Join(dir, filepath.FromSlash(codebookCopy(r.Name, r.Source)))
		if data, err := os.ReadFile(name); err == nil {
			if c, err := coding.ParseFile(data, name); err == nil && c.SHA256 == r.SHA256 {
				c.Source = r.Source
				cb = c
			}
		}
		if cb == nil {
			c, err := coding.Load(strings.TrimPrefix(r.Source, coding.EmbeddedPrefix))
			if err != nil {
				return nil, err
			}
			if c.SHA256 != r.SHA256 {
				return nil, fmt.Errorf("codebook %s (%s) changed since %s was coded, and the workspace has no copy of the old one; run lcity code again", r.Name, r.Source, dir)
			}
			cb = c
		}
		cbs = append(cbs, cb)
	}
	return cbs, nil
}
