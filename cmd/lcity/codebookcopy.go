package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
)

// The workspace keeps a copy of each codebook it was coded with, under
// codebooks/<name><ext>. run.json records only a codebook's source and
// hash; once a researcher edits the file, export, analyze and eval must
// still see the codes that did the coding. They read the copy when its
// hash is the recorded one.

const codebooksDir = "codebooks"

func copyName(cb *coding.Codebook) string {
	ext := filepath.Ext(cb.Source)
	if strings.HasPrefix(cb.Source, coding.EmbeddedPrefix) || ext == "" {
		ext = ".yaml"
	}
	return cb.Name + ext
}

// writeCodebookCopies replaces codebooks/ with the codebooks cbs.
func writeCodebookCopies(out string, cbs []*coding.Codebook) error {
	dir := filepath.Join(out, codebooksDir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, cb := range cbs {
		if err := corpus.WriteFile(filepath.Join(dir, copyName(cb)), func(w io.Writer) error {
			_, err := w.Write(cb.Raw)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// recordedCodebooks loads the codebooks run.json records (those named in
// only, when only is not empty): from the workspace's copy when it matches
// the recorded hash, else from the recorded source; a source that changed
// since the coding is an error naming it.
func recordedCodebooks(out string, m *runManifest, only map[string]bool) ([]*coding.Codebook, error) {
	var cbs []*coding.Codebook
	for _, r := range m.Codebooks {
		if len(only) > 0 && !only[r.Name] {
			continue
		}
		var cb *coding.Codebook
		ext := filepath.Ext(r.Source)
		if strings.HasPrefix(r.Source, coding.EmbeddedPrefix) || ext == "" {
			ext = ".yaml"
		}
		if data, err := os.ReadFile(filepath.Join(out, codebooksDir, r.Name+ext)); err == nil {
			if c, err := coding.ParseFile(data, filepath.Join(out, codebooksDir, r.Name+ext)); err == nil && c.SHA256 == r.SHA256 {
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
				return nil, fmt.Errorf("codebook %s (%s) changed since %s was coded, and the workspace has no copy of the old one; run lcity code again", r.Name, r.Source, out)
			}
			cb = c
		}
		cbs = append(cbs, cb)
	}
	return cbs, nil
}
