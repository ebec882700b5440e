package corpus

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// ManifestName is the file name lcity looks for in a corpus folder.
const ManifestName = "corpus.yaml"

// Manifest describes a corpus: which file holds which city. Several entries
// may name the same file: it is then a compilation (a book) that is split
// into one document per entry, by the entry's Pages or else by the PDF
// outline.
type Manifest struct {
	Entries []Entry `yaml:"documents"`
}

// Entry is one city's case study in a manifest.
type Entry struct {
	File        string `yaml:"file"`
	City        string `yaml:"city"`
	Country     string `yaml:"country"`
	Region      string `yaml:"region"`
	Year        int    `yaml:"year"`
	Publication string `yaml:"publication"`
	// Pages is an optional 1-based inclusive page range "first-last" of
	// File. It overrides the outline.
	Pages string `yaml:"pages"`
	// Outline is an optional outline (bookmark) title to match instead of
	// the city name.
	Outline string `yaml:"outline"`
	// Password is an optional password of an encrypted PDF (the user or
	// the owner password); without it, the empty user password is tried.
	// Entries naming the same file must not give different passwords.
	Password string `yaml:"password"`

	line int
}

// PageRange parses e.Pages. ok is false when no range is given.
func (e Entry) PageRange() (first, last int, ok bool, err error) {
	if strings.TrimSpace(e.Pages) == "" {
		return 0, 0, false, nil
	}
	a, b, found := strings.Cut(e.Pages, "-")
	if !found {
		b = a
	}
	first, err1 := strconv.Atoi(strings.TrimSpace(a))
	last, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || first < 1 || last < first {
		return 0, 0, false, fmt.Errorf("pages %q: want first-last with 1 <= first <= last", e.Pages)
	}
	return first, last, true, nil
}

// ManifestError is a manifest problem at a line of the file.
type ManifestError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *ManifestError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *ManifestError) Unwrap() error { return e.Err }

// ParseManifest decodes and validates a manifest strictly: unknown keys,
// missing files or cities, unknown regions and bad page ranges are errors
// naming name:line and the field.
func ParseManifest(r io.Reader, name string) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", name, err)
	}
	var m Manifest
	root, err := DecodeYAML(data, &m)
	if err != nil {
		var ye *YAMLError
		if errors.As(err, &ye) {
			return nil, &ManifestError{File: name, Line: ye.Line, Field: ye.Field, Err: ye.Err}
		}
		return nil, &ManifestError{File: name, Line: 1, Err: err}
	}
	lines := YAMLSequenceLines(root, "documents")
	for i := range m.Entries {
		if i < len(lines) {
			m.Entries[i].line = lines[i]
		}
	}
	if len(m.Entries) == 0 {
		return nil, &ManifestError{File: name, Line: 1, Field: "documents", Err: errors.New("no documents listed")}
	}
	seen := map[string]int{}
	passwords := map[string]struct {
		pw   string
		line int
	}{}
	for i := range m.Entries {
		e := &m.Entries[i]
		fail := func(field string, err error) error {
			return &ManifestError{File: name, Line: e.line, Field: field, Err: err}
		}
		e.City = strings.TrimSpace(e.City)
		e.File = strings.TrimSpace(e.File)
		switch {
		case e.File == "":
			return nil, fail("file", errors.New("required"))
		case e.City == "":
			return nil, fail("city", errors.New("required"))
		}
		if e.Region == "" {
			e.Region = RegionUnknown
		}
		if e.Region != RegionEurope && e.Region != RegionAsiaPacific && e.Region != RegionUnknown {
			return nil, fail("region", fmt.Errorf("%q: want %s, %s or %s", e.Region, RegionEurope, RegionAsiaPacific, RegionUnknown))
		}
		if e.Year != 0 && (e.Year < 1900 || e.Year > 2100) {
			return nil, fail("year", fmt.Errorf("%d out of range", e.Year))
		}
		if _, _, _, err := e.PageRange(); err != nil {
			return nil, fail("pages", err)
		}
		if e.Password != "" {
			if prev, ok := passwords[e.File]; ok && prev.pw != e.Password {
				return nil, fail("password", fmt.Errorf("differs from the password of %s on line %d", e.File, prev.line))
			}
			passwords[e.File] = struct {
				pw   string
				line int
			}{e.Password, e.line}
		}
		key := DocID(e.City, e.Year)
		if prev, dup := seen[key]; dup {
			return nil, fail("city", fmt.Errorf("%s %d listed twice (also line %d)", e.City, e.Year, prev))
		}
		seen[key] = e.line
	}
	return &m, nil
}

// Line returns the line of the manifest the entry was read from (0 if unknown).
func (e Entry) Line() int { return e.line }

// DocID returns the document ID of a city's case study of a year:
// "melton-2015", or "melton" without a year.
func DocID(city string, year int) string {
	s := Slug(city)
	if s == "" {
		s = "untitled" // a name of punctuation alone
	}
	if year != 0 {
		s += "-" + strconv.Itoa(year)
	}
	return s
}

// Slug lower-cases s, folds accents and replaces every run of other
// characters with one hyphen: "Câmara de Lobos" → "camara-de-lobos".
// Letters and digits of other scripts are kept ("Łódź" → "łodz",
// "北京" → "北京"), so that no city name gives an empty ID.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(Fold(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
