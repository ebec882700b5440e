package corpus

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

//go:generate go run ../internal/samplegen -dir sample

//go:embed sample/corpus.yaml sample/*.pdf
var sampleFS embed.FS

//go:embed focus.csv
var focusCSV []byte

// SampleSource is the path lcity records for the embedded sample corpus.
const SampleSource = "embedded:sample"

// Corpus is a set of input files and the manifest that describes them.
type Corpus struct {
	// Source is the corpus as the user named it (a folder, a manifest file
	// or SampleSource).
	Source string
	// FS holds the files; Manifest entries' File paths are relative to it.
	FS       fs.FS
	Manifest *Manifest
	// Display turns a manifest file path into the path recorded in outputs.
	Display func(file string) string
}

// Sample returns the embedded illustrative sample corpus: two compilation
// PDFs with 17 case studies written by the lcity authors (not UNESCO text).
func Sample() *Corpus {
	sub, err := fs.Sub(sampleFS, "sample")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	m, err := readManifest(sub, ManifestName, ManifestName)
	if err != nil {
		panic(fmt.Sprintf("embedded sample manifest: %v", err))
	}
	return &Corpus{Source: SampleSource, FS: sub, Manifest: m,
		Display: func(file string) string { return SampleSource + "/" + file }}
}

// FocusCSV returns the human-coded focus table of the sample cities
// (city, focus1..focus4).
func FocusCSV() []byte { return focusCSV }

// Load opens a corpus: a manifest file, a folder with a corpus.yaml, or a
// folder of documents without a manifest, where each file is one
// document, its city taken from the file name and its region unknown
// (see ScanFolder for which files are taken; ingest picks each file's
// reader by its content). In a folder, a file whose city gives a
// document ID an earlier file (by path) has is named by its file name
// instead ("melton.txt" beside melton.pdf); two files that still give
// the same ID are an error.
func Load(p string) (*Corpus, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open corpus: %w", err)
	}
	dir, name := p, ManifestName
	if !st.IsDir() {
		dir, name = filepath.Dir(p), filepath.Base(p)
	}
	fsys := os.DirFS(dir)
	display := func(file string) string { return filepath.Join(dir, filepath.FromSlash(file)) }
	c := &Corpus{Source: p, FS: fsys, Display: display}
	if _, err := fs.Stat(fsys, name); err == nil {
		c.Manifest, err = readManifest(fsys, name, filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		return c, nil
	} else if !st.IsDir() {
		return nil, fmt.Errorf("open corpus: %w", err)
	}
	c.Manifest, err = folderManifest(fsys)
	if err != nil {
		return nil, fmt.Errorf("open corpus %s: %w", p, err)
	}
	return c, nil
}

func readManifest(fsys fs.FS, name, display string) (*Manifest, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseManifest(f, display)
}

// ErrNoInputs is a folder with no input files and no manifest.
var ErrNoInputs = errors.New("no input files and no corpus.yaml")

// ScanFolder describes the input files of a folder as Load does when it
// has no manifest (a corpus.yaml in it is ignored): one entry per file,
// city from the file name, region unknown.
//
// Every file of the folder and its subfolders is an input, whatever its
// extension: ingest reads PDF, Word (.docx), HTML and text files by their
// content and fails any other file as unsupported, so that nothing put in
// the folder is passed over in silence. Left out are only what is not a
// document of the user's: hidden files and folders (names starting with
// "."), Office's lock files ("~$report.docx"), YAML files (lcity's
// manifests and codebooks: `lcity init` writes both into the folder), the
// folder of images and scripts a browser saves beside a web page
// ("page_files" next to page.html or page.htm) and an lcity workspace
// written into the corpus folder (a subfolder with run.json and
// documents.jsonl).
func ScanFolder(dir string) (*Manifest, error) {
	return folderManifest(os.DirFS(dir))
}

// skipInput tells the files of a folder that are not inputs (see
// ScanFolder).
func skipInput(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || ext == ".yaml" || ext == ".yml"
}

// lcityWorkspace tells a folder that is lcity's output (it holds run.json
// and documents.jsonl): a workspace written into the corpus folder.
func lcityWorkspace(fsys fs.FS, dir string) bool {
	for _, f := range []string{"run.json", "documents.jsonl"} {
		if _, err := fs.Stat(fsys, dir+"/"+f); err != nil {
			return false
		}
	}
	return true
}

// savedPageAssets tells a browser's folder of a saved page's resources:
// "X_files" beside X.html or X.htm.
func savedPageAssets(fsys fs.FS, dir string) bool {
	base, ok := strings.CutSuffix(dir, "_files")
	if !ok || base == "" {
		return false
	}
	for _, ext := range []string{".html", ".htm", ".HTML", ".HTM"} {
		if _, err := fs.Stat(fsys, base+ext); err == nil {
			return true
		}
	}
	return false
}

func folderManifest(fsys fs.FS) (*Manifest, error) {
	var m Manifest
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || savedPageAssets(fsys, p) || lcityWorkspace(fsys, p)) {
				return fs.SkipDir
			}
			return nil
		}
		if !skipInput(d.Name()) {
			m.Entries = append(m.Entries, Entry{File: p, City: CityFromFile(p), Region: RegionUnknown})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(m.Entries) == 0 {
		return nil, ErrNoInputs
	}
	sort.Slice(m.Entries, func(i, j int) bool { return m.Entries[i].File < m.Entries[j].File })
	// Two files may give the same document ID (melton.pdf and melton.txt;
	// Pécs.md and pecs.md, as IDs fold accents and case): the first by path
	// keeps its city, a later one is named by its file name. Should that
	// ID be taken too, the folder cannot be described without a manifest:
	// one document would overwrite the other's outputs.
	owner := map[string]string{} // document ID → file
	for i := range m.Entries {
		e := &m.Entries[i]
		id := DocID(e.City, e.Year)
		if _, taken := owner[id]; taken {
			e.City = path.Base(e.File)
			id = DocID(e.City, e.Year)
		}
		if prev, taken := owner[id]; taken {
			return nil, fmt.Errorf("%s and %s both give the document ID %q: rename one, or describe the files in a %s", prev, e.File, id, ManifestName)
		}
		owner[id] = e.File
	}
	return &m, nil
}

// CityFromFile guesses a city name from a file name: "camara-de-lobos.pdf"
// → "Camara De Lobos", "2017_Okayama report.pdf" → "Okayama Report".
func CityFromFile(p string) string {
	base := strings.TrimSuffix(path.Base(p), path.Ext(p))
	words := strings.FieldsFunc(base, func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range words {
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	if len(words) == 0 {
		return base
	}
	return strings.Join(words, " ")
}
