package coding

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lcity/lcity/corpus"
)

//go:embed codebooks/*.yaml
var builtinFS embed.FS

// Codebook is a parsed, validated and compiled set of codes. It is safe for
// concurrent use by multiple goroutines once returned by Parse.
type Codebook struct {
	Name        string
	Title       string
	Description string
	Version     string
	Codes       []corpus.Code
	// Source is where the codebook came from ("embedded:charter" or a path);
	// SHA256 is the hash of its bytes.
	Source string
	SHA256 string
	Raw    []byte
	// Stem is the codebook's stem setting: plain words of its codes are
	// matched on their Snowball stems unless a code says otherwise.
	Stem bool

	rules []rule
	// set is the codebook compiled for matching; sets keeps it compiled
	// with the codebooks CodeAll was given after it.
	set  *set
	sets *setCache
}

type yamlCodebook struct {
	Name        string     `yaml:"name"`
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	Version     string     `yaml:"version"`
	Stem        bool       `yaml:"stem"`
	Codes       []yamlCode `yaml:"codes"`
}

type yamlCode struct {
	ID          string   `yaml:"id"`
	Label       string   `yaml:"label"`
	Description string   `yaml:"description"`
	Colour      string   `yaml:"colour"`
	Parent      string   `yaml:"parent"`
	Group       bool     `yaml:"group"`
	MinMatches  int      `yaml:"min_matches"`
	Weight      float64  `yaml:"weight"`
	Terms       []string `yaml:"terms"`
	Exclude     []string `yaml:"exclude"`
	NearScope   string   `yaml:"near_scope"`
	Stem        *bool    `yaml:"stem"`
}

// Matching is how a codable code is matched, as its codebook writes it.
type Matching struct {
	// Exclude holds the code's exclude terms.
	Exclude []string
	// MinMatches and Weight are as written, 0 when not set (1 is used).
	MinMatches int
	Weight     float64
	// NearScope is "sentence", "passage" or "" when not set (passage).
	NearScope string
	// Stem: plain words are matched on their Snowball stems (the code's
	// stem setting, or else its codebook's).
	Stem bool
}

// Matching returns how the codable code codeID of cb is matched; false
// when cb has no such codable code.
func (cb *Codebook) Matching(codeID string) (Matching, bool) {
	for _, r := range cb.rules {
		if cb.Codes[r.code].ID == codeID {
			m := r.opts
			m.Exclude = append([]string(nil), m.Exclude...)
			return m, true
		}
	}
	return Matching{}, false
}

// Error is a codebook problem at file:line in a field.
type Error struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

var (
	idRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	colourRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Parse decodes, validates and compiles a codebook. Decoding is strict:
// unknown keys, duplicate IDs, empty or malformed terms and unknown parents
// are errors naming file:line and the field (*Error).
func Parse(data []byte, file string) (*Codebook, error) {
	var y yamlCodebook
	root, err := corpus.DecodeYAML(data, &y)
	if err != nil {
		var ye *corpus.YAMLError
		if errors.As(err, &ye) {
			return nil, &Error{File: file, Line: ye.Line, Field: ye.Field, Err: ye.Err}
		}
		return nil, &Error{File: file, Line: 1, Err: err}
	}
	lines := codeLines(root)
	line := func(i int, key string) int {
		if i < len(lines) {
			if l, ok := lines[i][key]; ok {
				return l
			}
			return lines[i][""]
		}
		return 1
	}
	return build(y, data, file, line)
}

// build validates and compiles a decoded codebook; line(i, key) is the
// line of code i's key in the source, for error messages.
func build(y yamlCodebook, data []byte, file string, line func(i int, key string) int) (*Codebook, error) {
	fail := func(l int, field string, err error) error { return &Error{File: file, Line: l, Field: field, Err: err} }

	if !idRE.MatchString(y.Name) {
		return nil, fail(1, "name", fmt.Errorf("%q: want lower-case letters, digits, - or _", y.Name))
	}
	if len(y.Codes) == 0 {
		return nil, fail(1, "codes", errors.New("no codes"))
	}
	cb := &Codebook{Name: y.Name, Title: y.Title, Description: strings.TrimSpace(y.Description), Version: y.Version, Raw: data, Stem: y.Stem}
	sum := sha256.Sum256(data)
	cb.SHA256 = hex.EncodeToString(sum[:])
	ids := map[string]int{}
	groups := map[string]bool{}
	for i, c := range y.Codes {
		if !idRE.MatchString(c.ID) {
			return nil, fail(line(i, "id"), "id", fmt.Errorf("%q: want lower-case letters, digits, - or _", c.ID))
		}
		if prev, dup := ids[c.ID]; dup {
			return nil, fail(line(i, "id"), "id", fmt.Errorf("duplicate id %q (first at line %d)", c.ID, line(prev, "id")))
		}
		ids[c.ID] = i
		if c.Group {
			groups[c.ID] = true
		}
	}
	for i, c := range y.Codes {
		if strings.TrimSpace(c.Label) == "" {
			return nil, fail(line(i, ""), "label", fmt.Errorf("code %q has no label", c.ID))
		}
		if c.Colour != "" && !colourRE.MatchString(c.Colour) {
			return nil, fail(line(i, "colour"), "colour", fmt.Errorf("%q: want #rrggbb", c.Colour))
		}
		if c.Parent != "" {
			if !groups[c.Parent] {
				return nil, fail(line(i, "parent"), "parent", fmt.Errorf("%q is not a group code of this codebook", c.Parent))
			}
			if c.Group {
				return nil, fail(line(i, "parent"), "parent", errors.New("groups cannot be nested"))
			}
		}
		if c.MinMatches < 0 {
			return nil, fail(line(i, "min_matches"), "min_matches", errors.New("must not be negative"))
		}
		if c.Weight < 0 {
			return nil, fail(line(i, "weight"), "weight", errors.New("must not be negative"))
		}
		code := corpus.Code{ID: cb.Name + "." + c.ID, Codebook: cb.Name, Label: strings.TrimSpace(c.Label),
			Description: strings.TrimSpace(c.Description), Colour: c.Colour, Group: c.Group, Terms: c.Terms}
		if c.Parent != "" {
			code.Parent = cb.Name + "." + c.Parent
		}
		if c.Group {
			if len(c.Terms) > 0 || len(c.Exclude) > 0 {
				return nil, fail(line(i, "terms"), "terms", fmt.Errorf("group %q is not codable and takes no terms", c.ID))
			}
			for _, k := range []struct {
				key string
				set bool
			}{{"min_matches", c.MinMatches != 0}, {"weight", c.Weight != 0}, {"near_scope", c.NearScope != ""}, {"stem", c.Stem != nil}} {
				if k.set {
					return nil, fail(line(i, k.key), k.key, fmt.Errorf("group %q is not codable and takes no %s", c.ID, k.key))
				}
			}
			cb.Codes = append(cb.Codes, code)
			continue
		}
		if len(c.Terms) == 0 {
			return nil, fail(line(i, ""), "terms", fmt.Errorf("code %q has no terms", c.ID))
		}
		stem := y.Stem
		if c.Stem != nil {
			stem = *c.Stem
		}
		r := rule{code: len(cb.Codes), min: c.MinMatches, weight: c.Weight,
			opts: Matching{Exclude: c.Exclude, MinMatches: c.MinMatches, Weight: c.Weight, NearScope: c.NearScope, Stem: stem}}
		switch c.NearScope {
		case "", "passage":
		case "sentence":
			r.sentence = true
		default:
			return nil, fail(line(i, "near_scope"), "near_scope", fmt.Errorf("%q: want passage or sentence", c.NearScope))
		}
		if r.min == 0 {
			r.min = 1
		}
		if r.weight == 0 {
			r.weight = 1
		}
		for _, t := range c.Terms {
			p, err := parseTerm(t, stem)
			if err != nil {
				return nil, fail(line(i, "terms"), "terms", err)
			}
			r.terms = append(r.terms, p)
		}
		for _, t := range c.Exclude {
			p, err := parseTerm(t, stem)
			if err != nil {
				return nil, fail(line(i, "exclude"), "exclude", err)
			}
			if p.near != nil {
				return nil, fail(line(i, "exclude"), "exclude", fmt.Errorf("%q: NEAR is not allowed in exclude", t))
			}
			r.exclude = append(r.exclude, p)
		}
		cb.rules = append(cb.rules, r)
		cb.Codes = append(cb.Codes, code)
	}
	cb.set = compileSet([]*Codebook{cb})
	cb.sets = &setCache{}
	return cb, nil
}

// codeLines returns, per code, the line of each of its keys ("" for the
// code itself).
func codeLines(root *yaml.Node) []map[string]int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "codes" || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		var out []map[string]int
		for _, c := range m.Content[i+1].Content {
			ls := map[string]int{"": c.Line}
			for j := 0; j+1 < len(c.Content); j += 2 {
				ls[c.Content[j].Value] = c.Content[j].Line
			}
			out = append(out, ls)
		}
		return out
	}
	return nil
}

// Builtin returns the names of the embedded codebooks, sorted.
func Builtin() []string {
	entries, _ := fs.ReadDir(builtinFS, "codebooks")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// EmbeddedPrefix starts the Source of a built-in codebook, as in
// "embedded:charter"; Load accepts the name without it.
const EmbeddedPrefix = "embedded:"

// Defaults are the codebooks used when none is named.
var Defaults = []string{"charter", "keyfeatures", "drivers"}

// Load returns the embedded codebook called name, or parses the file at
// name when it is a path (contains a separator or a dot): an lcity
// codebook, a LIWC .dic or a quanteda-style YAML dictionary.
func Load(name string) (*Codebook, error) {
	if data, err := builtinFS.ReadFile("codebooks/" + name + ".yaml"); err == nil && !strings.ContainsAny(name, `/\.`) {
		cb, err := Parse(data, EmbeddedPrefix+name)
		if err != nil {
			return nil, err
		}
		cb.Source = EmbeddedPrefix + name
		return cb, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(name, `/\.`) {
			return nil, fmt.Errorf("codebook %q: not an embedded codebook (%s) nor a file", name, strings.Join(Builtin(), ", "))
		}
		return nil, fmt.Errorf("codebook: %w", err)
	}
	cb, err := ParseFile(data, name)
	if err != nil {
		return nil, err
	}
	cb.Source = filepath.ToSlash(name)
	return cb, nil
}

// ParseFile parses a codebook file by its kind: a LIWC dictionary (.dic),
// a quanteda-style YAML dictionary (YAML without a top-level "codes" key),
// or an lcity codebook.
func ParseFile(data []byte, file string) (*Codebook, error) {
	switch {
	case strings.EqualFold(filepath.Ext(file), ".dic"):
		return ParseLIWC(data, file)
	case isDictionaryYAML(data):
		return ParseQuanteda(data, file)
	}
	return Parse(data, file)
}

// LoadAll loads the named codebooks (Defaults when names is empty). A
// codebook named again replaces the earlier one of the same Name, so that
// --codebook my-charter.yaml can replace the embedded charter.
func LoadAll(names []string) ([]*Codebook, error) {
	if len(names) == 0 {
		names = Defaults
	}
	var out []*Codebook
	at := map[string]int{}
	for _, n := range names {
		cb, err := Load(n)
		if err != nil {
			return nil, err
		}
		if i, ok := at[cb.Name]; ok {
			out[i] = cb
			continue
		}
		at[cb.Name] = len(out)
		out = append(out, cb)
	}
	return out, nil
}
