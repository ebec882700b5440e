package pipeline

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

//go:embed starter/corpus-head.yaml
var starterCorpusHead []byte

//go:embed starter/codebook.yaml
var starterCodebook []byte

// StarterCodebook is the file name Init gives the starter codebook.
const StarterCodebook = "codebook.yaml"

// InitResult says what Init wrote.
type InitResult struct {
	Dir string
	// Files are the files written, relative to Dir.
	Files []string
	// Documents is the number of input files the manifest lists; 0 means
	// its entries are examples in comments, to be filled in.
	Documents int
}

// Init prepares a corpus folder: a commented corpus.yaml listing the PDF,
// TXT and MD files already in dir (city guessed from the file name, region
// unknown, to be corrected), and a starter codebook to edit. Existing
// files are not overwritten unless force is set. Both files are checked
// with the parsers lcity uses, so what Init writes is always valid.
func Init(dir string, force bool) (*InitResult, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, usage(fmt.Errorf("init: %w", err))
	}
	manifest := filepath.Join(dir, corpus.ManifestName)
	book := filepath.Join(dir, StarterCodebook)
	if !force {
		for _, p := range []string{manifest, book} {
			if _, err := os.Stat(p); err == nil {
				return nil, Usagef("init: %s exists; edit it, or use --force to replace it", p)
			}
		}
	}
	data, n, err := starterManifest(dir)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		if _, err := corpus.ParseManifest(bytes.NewReader(data), manifest); err != nil {
			return nil, fmt.Errorf("init: the manifest written is invalid (a bug): %w", err)
		}
	}
	if _, err := coding.ParseFile(starterCodebook, book); err != nil {
		return nil, fmt.Errorf("init: the starter codebook is invalid (a bug): %w", err)
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{manifest, data}, {book, starterCodebook}} {
		if _, err := workspace.WriteFile(f.path, func(w io.Writer) error { _, err := w.Write(f.data); return err }); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	return &InitResult{Dir: dir, Files: []string{corpus.ManifestName, StarterCodebook}, Documents: n}, nil
}

// starterManifest lists the input files in dir under the commented
// header; with none, it lists commented examples.
func starterManifest(dir string) ([]byte, int, error) {
	var b bytes.Buffer
	b.Write(starterCorpusHead)
	m, err := corpus.ScanFolder(dir)
	if err != nil && !errors.Is(err, corpus.ErrNoInputs) {
		return nil, 0, usage(fmt.Errorf("init: %w", err))
	}
	var entries []corpus.Entry
	if m != nil {
		entries = m.Entries
	}
	if len(entries) == 0 {
		b.WriteString("#\n# No documents (PDF, Word, HTML or text files) were found here: copy them into this folder and run\n" +
			"# `lcity init --force` again, or write the entries yourself, e.g.\n" +
			"#   - {file: cork.pdf, city: Cork, country: Ireland, region: Europe, year: 2015}\n" +
			"documents: []\n")
		return b.Bytes(), 0, nil
	}
	b.WriteString("#\n# The cities below were guessed from the file names and every region is\n" +
		"# \"unknown\": correct them before you run the analysis.\ndocuments:\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "  - file: %s\n    city: %s\n    country: \"\"\n    region: unknown\n    # year: 2015\n", strconv.Quote(e.File), strconv.Quote(e.City))
	}
	return b.Bytes(), len(entries), nil
}
