package qdpx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrFormat is wrapped by every error about the archive or its XML: not a
// zip, no project.qde, XML that does not parse, an entry over the limits.
var ErrFormat = errors.New("not a readable REFI-QDA project")

// Limits bound what Read decompresses, whatever the archive's headers
// claim, so that a zip bomb fails instead of filling memory.
type Limits struct {
	EntryBytes int64 // one entry (project.qde, a source's or a note's text)
	TotalBytes int64 // all entries read together
	Entries    int   // entries in the archive's directory
}

// DefaultLimits are generous for text projects: a 256 MiB project.qde or
// source, 1 GiB in all, 100,000 entries.
var DefaultLimits = Limits{EntryBytes: 256 << 20, TotalBytes: 1 << 30, Entries: 100_000}

// Project is what Read returns of a project: its users, codes, notes and
// sources. GUIDs are lower-case without braces.
type Project struct {
	Name    string
	Origin  string
	Users   map[string]User
	Codes   map[string]Code
	Sources []Source
	// Notes maps a note's GUID to its text ("" when it has none or its
	// text could not be read).
	Notes map[string]string
}

// User is a person (or program) named in the project.
type User struct {
	GUID, Name, ID string
}

// Code is one code of the project's codebook; Parent is the GUID of the
// code it sits under ("" at the top).
type Code struct {
	GUID, Name, Description string
	Codable                 bool
	Parent                  string
}

// Path returns the names of the code's ancestors and the code itself, from
// the top.
func (p *Project) Path(guid string) []string {
	var names []string
	for seen := 0; guid != "" && seen < 1000; seen++ {
		c, ok := p.Codes[guid]
		if !ok {
			break
		}
		names = append([]string{c.Name}, names...)
		guid = c.Parent
	}
	return names
}

// Source is one source of the project. Kind is the element it came from:
// TextSource, PDFSource (its text representation) or, for sources lcity
// cannot use, PictureSource, AudioSource, VideoSource.
type Source struct {
	GUID, Name, Kind string
	// Text is the plain text the selections count in (a byte-order mark
	// removed); TextErr says why there is none.
	Text    string
	TextErr error
	// Selections are the text selections; Codings code the whole source.
	Selections []Selection
	Codings    []Coding
	// Other counts the codings of selections that are not text (picture
	// areas, audio and video ranges, PDF page areas).
	Other int
}

// Selection is a PlainTextSelection: [Start, End) in code points of the
// source's text. Err says why its positions could not be read.
type Selection struct {
	GUID, Name, User string
	Start, End       int
	Err              error
	Description      string
	Notes            []string // NoteRef GUIDs
	Codings          []Coding
}

// Coding is a code applied to a selection (or a whole source).
type Coding struct {
	GUID, Code, User string
	Notes            []string
}

// XML shapes. encoding/xml matches local names in any namespace.
type xProject struct {
	Name    string    `xml:"name,attr"`
	Origin  string    `xml:"origin,attr"`
	Users   []xUser   `xml:"Users>User"`
	Codes   []xCode   `xml:"CodeBook>Codes>Code"`
	Sources xSources  `xml:"Sources"`
	Notes   []xSource `xml:"Notes>Note"`
}

type xUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	ID   string `xml:"id,attr"`
}

type xCode struct {
	GUID        string  `xml:"guid,attr"`
	Name        string  `xml:"name,attr"`
	Codable     string  `xml:"isCodable,attr"`
	Description string  `xml:"Description"`
	Codes       []xCode `xml:"Code"`
}

type xSources struct {
	Text    []xSource `xml:"TextSource"`
	PDF     []xPDF    `xml:"PDFSource"`
	Picture []xOther  `xml:"PictureSource"`
	Audio   []xOther  `xml:"AudioSource"`
	Video   []xOther  `xml:"VideoSource"`
}

type xSource struct {
	GUID       string       `xml:"guid,attr"`
	Name       string       `xml:"name,attr"`
	Path       string       `xml:"plainTextPath,attr"`
	Content    *string      `xml:"PlainTextContent"`
	Selections []xSelection `xml:"PlainTextSelection"`
	Codings    []xCoding    `xml:"Coding"`
}

type xPDF struct {
	GUID           string    `xml:"guid,attr"`
	Name           string    `xml:"name,attr"`
	Representation *xSource  `xml:"Representation"`
	Areas          []xOther  `xml:"PDFSelection"`
	Codings        []xCoding `xml:"Coding"`
}

// xOther is a source or selection lcity cannot map: only its codings are
// counted, at any depth.
type xOther struct {
	GUID    string    `xml:"guid,attr"`
	Name    string    `xml:"name,attr"`
	Codings []xCoding `xml:"Coding"`
	Sel     []xOther  `xml:",any"`
}

func (o xOther) count() int {
	n := len(o.Codings)
	for _, s := range o.Sel {
		n += s.count()
	}
	return n
}

type xSelection struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	Start       string    `xml:"startPosition,attr"`
	End         string    `xml:"endPosition,attr"`
	User        string    `xml:"creatingUser,attr"`
	Description string    `xml:"Description"`
	Codings     []xCoding `xml:"Coding"`
	Notes       []xRef    `xml:"NoteRef"`
}

type xCoding struct {
	GUID  string `xml:"guid,attr"`
	User  string `xml:"creatingUser,attr"`
	Code  xRef   `xml:"CodeRef"`
	Notes []xRef `xml:"NoteRef"`
}

type xRef struct {
	Target string `xml:"targetGUID,attr"`
}

// NormGUID is a GUID as Project keys it: lower-case, without braces or
// surrounding space.
func NormGUID(g string) string {
	g = strings.TrimSpace(g)
	g = strings.TrimSuffix(strings.TrimPrefix(g, "{"), "}")
	return strings.ToLower(g)
}

// archive reads entries under the limits.
type archive struct {
	files map[string]*zip.File // by name; folder names lower-cased
	lim   Limits
	read  int64
}

func (a *archive) entry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > uint64(a.lim.EntryBytes) {
		return nil, fmt.Errorf("%w: entry %s is %d bytes uncompressed, over the limit of %d", ErrFormat, f.Name, f.UncompressedSize64, a.lim.EntryBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: entry %s: %v", ErrFormat, f.Name, err)
	}
	defer rc.Close()
	limit := min(a.lim.EntryBytes, a.lim.TotalBytes-a.read)
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: entry %s: %v", ErrFormat, f.Name, err)
	}
	if int64(len(b)) > limit {
		if limit < a.lim.EntryBytes {
			return nil, fmt.Errorf("%w: the archive decompresses to more than the limit of %d bytes (at entry %s)", ErrFormat, a.lim.TotalBytes, f.Name)
		}
		return nil, fmt.Errorf("%w: entry %s decompresses to more than the limit of %d bytes", ErrFormat, f.Name, a.lim.EntryBytes)
	}
	a.read += int64(len(b))
	return b, nil
}

// Read reads a .qdpx archive of size bytes: its project.qde and the plain
// text of each text source (from the archive's sources/ or Sources/ folder,
// or the source's PlainTextContent). Problems of the whole file (not a
// zip, no project.qde, XML that does not parse, an entry over the limits)
// are errors wrapping ErrFormat; problems of one source or selection (a
// missing text file, positions that are not numbers) are left in its
// TextErr or Err for the caller to report, and the rest is read.
func Read(r io.ReaderAt, size int64, lim Limits) (*Project, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: a .qdpx file is a zip archive: %v", ErrFormat, err)
	}
	if len(zr.File) > lim.Entries {
		return nil, fmt.Errorf("%w: %d entries in the archive, over the limit of %d", ErrFormat, len(zr.File), lim.Entries)
	}
	a := &archive{files: map[string]*zip.File{}, lim: lim}
	var qde *zip.File
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "./")
		if dir, file := path.Split(name); dir != "" {
			name = strings.ToLower(dir) + file
		}
		if _, dup := a.files[name]; !dup {
			a.files[name] = f
		}
		if strings.EqualFold(name, "project.qde") && qde == nil {
			qde = f
		}
	}
	if qde == nil {
		return nil, fmt.Errorf("%w: no project.qde in the archive", ErrFormat)
	}
	data, err := a.entry(qde)
	if err != nil {
		return nil, err
	}
	return parse(data, a)
}

// ParseProject parses a project.qde alone, without an archive: sources
// with a plainTextPath get a TextErr.
func ParseProject(data []byte) (*Project, error) {
	return parse(data, &archive{files: map[string]*zip.File{}, lim: DefaultLimits})
}

func parse(data []byte, a *archive) (*Project, error) {
	var x xProject
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("%w: project.qde: %v", ErrFormat, err)
	}
	p := &Project{Name: x.Name, Origin: x.Origin, Users: map[string]User{}, Codes: map[string]Code{}, Notes: map[string]string{}}
	for _, u := range x.Users {
		g := NormGUID(u.GUID)
		p.Users[g] = User{GUID: g, Name: u.Name, ID: u.ID}
	}
	var walk func(cs []xCode, parent string, depth int)
	walk = func(cs []xCode, parent string, depth int) {
		for _, c := range cs {
			g := NormGUID(c.GUID)
			if _, dup := p.Codes[g]; !dup && g != "" { // a code without a GUID cannot be referred to
				p.Codes[g] = Code{GUID: g, Name: c.Name, Description: c.Description, Codable: c.Codable != "false" && c.Codable != "0", Parent: parent}
			}
			walk(c.Codes, g, depth+1)
		}
	}
	walk(x.Codes, "", 0)
	for _, n := range x.Notes {
		text, err := a.text(n)
		if err != nil {
			var fe formatError
			if errors.As(err, &fe) {
				return nil, fe.err
			}
			text = ""
		}
		p.Notes[NormGUID(n.GUID)] = text
	}
	add := func(kind string, s xSource) error {
		src := Source{GUID: NormGUID(s.GUID), Name: s.Name, Kind: kind}
		src.Text, src.TextErr = a.text(s)
		var fe formatError
		if errors.As(src.TextErr, &fe) {
			return fe.err
		}
		for _, sel := range s.Selections {
			src.Selections = append(src.Selections, selection(sel))
		}
		src.Codings = codings(s.Codings)
		p.Sources = append(p.Sources, src)
		return nil
	}
	for _, s := range x.Sources.Text {
		if err := add("TextSource", s); err != nil {
			return nil, err
		}
	}
	for _, s := range x.Sources.PDF {
		other := len(s.Codings)
		for _, ar := range s.Areas {
			other += ar.count()
		}
		if s.Representation == nil {
			p.Sources = append(p.Sources, Source{GUID: NormGUID(s.GUID), Name: s.Name, Kind: "PDFSource",
				TextErr: errors.New("a PDF source without a text representation"), Other: other})
			continue
		}
		r := *s.Representation
		r.GUID, r.Name = s.GUID, s.Name
		if err := add("PDFSource", r); err != nil {
			return nil, err
		}
		p.Sources[len(p.Sources)-1].Other = other
	}
	for _, o := range []struct {
		kind string
		s    []xOther
	}{{"PictureSource", x.Sources.Picture}, {"AudioSource", x.Sources.Audio}, {"VideoSource", x.Sources.Video}} {
		for _, s := range o.s {
			p.Sources = append(p.Sources, Source{GUID: NormGUID(s.GUID), Name: s.Name, Kind: o.kind,
				TextErr: fmt.Errorf("a %s is not text", o.kind), Other: s.count()})
		}
	}
	return p, nil
}

func selection(s xSelection) Selection {
	out := Selection{GUID: NormGUID(s.GUID), Name: s.Name, User: NormGUID(s.User), Description: s.Description,
		Codings: codings(s.Codings)}
	for _, n := range s.Notes {
		out.Notes = append(out.Notes, NormGUID(n.Target))
	}
	var err1, err2 error
	out.Start, err1 = position("startPosition", s.Start)
	out.End, err2 = position("endPosition", s.End)
	out.Err = errors.Join(err1, err2)
	if out.Err == nil && (out.Start < 0 || out.End <= out.Start) {
		out.Err = fmt.Errorf("positions [%d, %d): want 0 <= startPosition < endPosition", out.Start, out.End)
	}
	return out
}

func position(name, v string) (int, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an integer", name, v)
	}
	return int(n), nil
}

func codings(cs []xCoding) []Coding {
	var out []Coding
	for _, c := range cs {
		k := Coding{GUID: NormGUID(c.GUID), Code: NormGUID(c.Code.Target), User: NormGUID(c.User)}
		for _, n := range c.Notes {
			k.Notes = append(k.Notes, NormGUID(n.Target))
		}
		out = append(out, k)
	}
	return out
}

// formatError marks an error of the whole archive (an entry over the
// limits) met while reading one source's text.
type formatError struct{ err error }

func (e formatError) Error() string { return e.err.Error() }

// text returns a source's or note's plain text: its PlainTextContent, or
// the archive entry its plainTextPath names (internal://NAME, looked up in
// sources/ or Sources/).
func (a *archive) text(s xSource) (string, error) {
	var raw []byte
	switch {
	case s.Content != nil:
		raw = []byte(*s.Content)
	case s.Path == "":
		return "", errors.New("no plainTextPath and no PlainTextContent")
	case !strings.HasPrefix(s.Path, "internal://"):
		return "", fmt.Errorf("plain text %s is outside the archive", s.Path)
	default:
		name := strings.TrimPrefix(s.Path, "internal://")
		// The standard's place is sources/NAME; a path that names its
		// folder itself (internal://Sources/NAME) is looked up as given.
		f := a.files["sources/"+name]
		if f == nil {
			if dir, file := path.Split(name); dir != "" {
				f = a.files[strings.ToLower(dir)+file]
			}
		}
		if f == nil {
			return "", fmt.Errorf("plain text %s: no sources/%s in the archive", s.Path, name)
		}
		b, err := a.entry(f)
		if err != nil {
			return "", formatError{err}
		}
		raw = b
	}
	if !utf8.Valid(raw) {
		return "", errors.New("plain text is not UTF-8")
	}
	return strings.TrimPrefix(string(raw), "\ufeff"), nil
}
