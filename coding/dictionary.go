package coding

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lcity/lcity/corpus"
)

// Dictionaries researchers already have are codebooks too:
//
//   - LIWC .dic files: a header of "number<TAB>category" lines between two
//     lines holding "%", then "word<TAB>number<TAB>number…" lines; a trailing
//     * is a wildcard. Each category becomes a code.
//   - quanteda-style YAML dictionaries: keys map to lists of patterns or to
//     nested keys. A key holding patterns becomes a code; a key holding keys
//     becomes a group (not codable) and its keys codes under it; deeper
//     levels are merged into the second level (code "a-b" holds the
//     patterns of "a-b-c").
//
// The codebook's name is the file's stem (lower-cased, other characters
// than letters, digits, - and _ turned into -), code IDs are
// <name>.<category>. Words are matched like the plain words of a codebook
// (never on stems): a word is that word (and its regular plurals and
// possessive, which LIWC would not count) unless it ends in *, so "happy"
// does not find "happiness" but "happ*" does; a word in double quotes is
// matched exactly, case-sensitively. Patterns lcity cannot express (a *
// inside a word, ?, regular expressions) are errors naming the file and
// line.

var nonID = regexp.MustCompile(`[^a-z0-9_-]+`)

// dictID turns a dictionary's file stem or category name into an ID.
func dictID(s string) string {
	id := strings.Trim(nonID.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "-"), "-_")
	if id == "" {
		return "x"
	}
	if !idRE.MatchString(id) {
		id = "x" + id
	}
	return id
}

func stemName(file string) string {
	base := filepath.Base(file)
	return dictID(strings.TrimSuffix(base, filepath.Ext(base)))
}

// dictTerm checks one dictionary pattern and returns it as a codebook term.
func dictTerm(w string) (string, error) {
	w = strings.TrimSpace(w)
	if w == "" {
		return "", errors.New("empty pattern")
	}
	if _, ok := regexLike(w); ok || strings.HasPrefix(w, "/") || strings.HasSuffix(w, "/") {
		return "", fmt.Errorf("pattern %q: only words, phrases and a trailing * are supported", w)
	}
	if i := strings.IndexByte(w, '*'); i >= 0 && i != len(w)-1 {
		return "", fmt.Errorf("pattern %q: * only at the end", w)
	}
	if _, err := parseTerm(w, false); err != nil {
		return "", err
	}
	return w, nil
}

// ParseLIWC reads a LIWC dictionary (.dic) as a codebook.
func ParseLIWC(data []byte, file string) (*Codebook, error) {
	fail := func(line int, field string, err error) error {
		return &Error{File: file, Line: line, Field: field, Err: err}
	}
	name := stemName(file)
	y := yamlCodebook{Name: name, Title: name + " (LIWC dictionary)", Description: "Imported from " + filepath.Base(file)}
	type category struct {
		code int // index into y.Codes
		line int
	}
	cats := map[string]category{}
	codeLine := []int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	state := 0 // 0 before the header, 1 in it, 2 after
	seenID := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.TrimSpace(line) == "%" {
			if state == 2 {
				return nil, fail(n, "header", errors.New("a third % line"))
			}
			state++
			continue
		}
		fields := strings.Fields(line)
		switch state {
		case 0:
			return nil, fail(n, "header", errors.New("a LIWC dictionary starts with a line holding %"))
		case 1:
			if len(fields) < 2 {
				return nil, fail(n, "header", fmt.Errorf("%q: want number<TAB>category", line))
			}
			if _, err := strconv.Atoi(fields[0]); err != nil {
				return nil, fail(n, "header", fmt.Errorf("%q: category number is not a number", fields[0]))
			}
			if _, dup := cats[fields[0]]; dup {
				return nil, fail(n, "header", fmt.Errorf("category number %s defined twice", fields[0]))
			}
			label := strings.Join(fields[1:], " ")
			id := dictID(label)
			if prev, dup := seenID[id]; dup {
				return nil, fail(n, "header", fmt.Errorf("category %q gives the same code ID %q as line %d", label, id, prev))
			}
			seenID[id] = n
			cats[fields[0]] = category{code: len(y.Codes), line: n}
			y.Codes = append(y.Codes, yamlCode{ID: id, Label: label})
			codeLine = append(codeLine, n)
		case 2:
			// "word<TAB>1<TAB>2"; a phrase may hold spaces, so split at tabs
			// when there are any.
			parts := strings.Split(line, "\t")
			if len(parts) < 2 {
				parts = fields
			}
			word := strings.TrimSpace(parts[0])
			term, err := dictTerm(word)
			if err != nil {
				return nil, fail(n, "word", err)
			}
			if len(parts) < 2 {
				return nil, fail(n, "word", fmt.Errorf("%q has no category", word))
			}
			for _, num := range parts[1:] {
				for _, f := range strings.Fields(num) {
					c, ok := cats[f]
					if !ok {
						return nil, fail(n, "word", fmt.Errorf("%q: category %s is not in the header", word, f))
					}
					y.Codes[c.code].Terms = append(y.Codes[c.code].Terms, term)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fail(1, "", err)
	}
	if state < 2 {
		return nil, fail(1, "header", errors.New("want a header between two lines holding %"))
	}
	// A category without words cannot be a code: drop it rather than fail,
	// as LIWC dictionaries often carry unused categories.
	var codes []yamlCode
	var lines []int
	for i, c := range y.Codes {
		if len(c.Terms) > 0 {
			codes = append(codes, c)
			lines = append(lines, codeLine[i])
		}
	}
	y.Codes = codes
	if len(codes) == 0 {
		return nil, fail(1, "word", errors.New("no category has words"))
	}
	return build(y, data, file, func(i int, _ string) int {
		if i < len(lines) {
			return lines[i]
		}
		return 1
	})
}

// isDictionaryYAML tells a quanteda-style dictionary from an lcity
// codebook: a codebook has a top-level "codes" key.
func isDictionaryYAML(data []byte) bool {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return false
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "codes" || m.Content[i].Value == "name" {
			return false
		}
	}
	return true
}

// ParseQuanteda reads a quanteda-style YAML dictionary as a codebook.
func ParseQuanteda(data []byte, file string) (*Codebook, error) {
	fail := func(line int, field string, err error) error {
		return &Error{File: file, Line: line, Field: field, Err: err}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fail(corpus.YAMLErrorLine(err), "", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fail(1, "", errors.New("a dictionary is a mapping of keys to lists of patterns"))
	}
	name := stemName(file)
	y := yamlCodebook{Name: name, Title: name + " (dictionary)", Description: "Imported from " + filepath.Base(file)}
	var lines []int
	seen := map[string]int{}
	add := func(c yamlCode, line int) error {
		if prev, dup := seen[c.ID]; dup {
			return fail(line, "key", fmt.Errorf("key gives the code ID %q of line %d", c.ID, prev))
		}
		seen[c.ID] = line
		y.Codes = append(y.Codes, c)
		lines = append(lines, line)
		return nil
	}
	// patterns collects the patterns of a value, flattening nested keys.
	var patterns func(v *yaml.Node) ([]string, error)
	patterns = func(v *yaml.Node) ([]string, error) {
		switch v.Kind {
		case yaml.ScalarNode:
			t, err := dictTerm(v.Value)
			if err != nil {
				return nil, fail(v.Line, "pattern", err)
			}
			return []string{t}, nil
		case yaml.SequenceNode:
			var out []string
			for _, it := range v.Content {
				ps, err := patterns(it)
				if err != nil {
					return nil, err
				}
				out = append(out, ps...)
			}
			return out, nil
		case yaml.MappingNode:
			var out []string
			for i := 0; i+1 < len(v.Content); i += 2 {
				ps, err := patterns(v.Content[i+1])
				if err != nil {
					return nil, err
				}
				out = append(out, ps...)
			}
			return out, nil
		}
		return nil, fail(v.Line, "pattern", errors.New("want a pattern, a list or keys"))
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		id := dictID(k.Value)
		if v.Kind != yaml.MappingNode {
			ps, err := patterns(v)
			if err != nil {
				return nil, err
			}
			if err := add(yamlCode{ID: id, Label: k.Value, Terms: ps}, k.Line); err != nil {
				return nil, err
			}
			continue
		}
		if err := add(yamlCode{ID: id, Label: k.Value, Group: true}, k.Line); err != nil {
			return nil, err
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			ck, cv := v.Content[j], v.Content[j+1]
			ps, err := patterns(cv)
			if err != nil {
				return nil, err
			}
			if err := add(yamlCode{ID: id + "-" + dictID(ck.Value), Label: ck.Value, Parent: id, Terms: ps}, ck.Line); err != nil {
				return nil, err
			}
		}
	}
	return build(y, data, file, func(i int, _ string) int {
		if i < len(lines) {
			return lines[i]
		}
		return 1
	})
}
