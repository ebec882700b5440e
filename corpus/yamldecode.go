package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAMLError is a problem at a line of one of lcity's YAML files (manifest,
// codebook, hypotheses): a syntax error, a key the file format does not
// have, or a value of the wrong kind. Field is the path of the offending
// key ("documents[2].year"); empty for a syntax error.
type YAMLError struct {
	Line  int
	Field string
	Err   error
}

func (e *YAMLError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Line, e.Field, e.Err)
}

func (e *YAMLError) Unwrap() error { return e.Err }

// DecodeYAML decodes data into v (a pointer to a struct with yaml tags)
// strictly and returns the document's node tree, for callers that report
// the lines of later checks.
//
// The decoder's own messages name Go types ("field contry not found in
// type corpus.Entry", "cannot unmarshal !!str `twenty` into int"), which
// mean little to a researcher editing a manifest. So before decoding, the
// node tree is walked against v's type: a key the format does not have is
// reported with the keys it does have and the nearest one ("did you mean
// country?"), and a value of the wrong kind with the kind wanted ("want a
// whole number, got "twenty""). What the walk does not catch the decoder
// still refuses, with its own message and line.
func DecodeYAML(data []byte, v any) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &YAMLError{Line: YAMLErrorLine(err), Err: errors.New(yamlMessage(err))}
	}
	if root.Kind == 0 {
		return nil, &YAMLError{Line: 1, Err: errors.New("the file is empty")}
	}
	budget := 1 << 20 // nodes visited: aliases may repeat a subtree many times
	if err := checkNode(&root, reflect.TypeOf(v), "", &budget); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &YAMLError{Line: 1, Err: errors.New("the file is empty")}
		}
		return nil, &YAMLError{Line: YAMLErrorLine(err), Err: errors.New(yamlMessage(err))}
	}
	return &root, nil
}

// yamlMessage is the decoder's message without its "yaml: line N:"
// prefix, which YAMLError's line replaces.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, after, found := strings.Cut(rest, ": "); found {
			return after
		}
	}
	return msg
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// checkNode reports the first key n has that t does not, or the first
// value of a kind t cannot hold. field is n's path, for the message.
func checkNode(n *yaml.Node, t reflect.Type, field string, budget *int) error {
	if *budget--; *budget < 0 {
		return &YAMLError{Line: n.Line, Field: field, Err: errors.New("too many values (aliases repeating one another?)")}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return checkNode(n.Content[0], t, field, budget)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return checkNode(n.Alias, t, field, budget)
	}
	for t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return nil
		}
		t = t.Elem()
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil // the type decodes itself and says what it wants
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // an empty value leaves the zero value
	}
	fail := func(format string, args ...any) error {
		return &YAMLError{Line: n.Line, Field: field, Err: fmt.Errorf(format, args...)}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return fail("want keys with values (key: value lines), got %s", nodeKind(n))
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				return &YAMLError{Line: k.Line, Field: field, Err: unknownKey(k.Value, fields)}
			}
			if err := checkNode(val, f.Type, joinField(field, k.Value), budget); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return fail("want a list (lines starting with \"- \"), got %s", nodeKind(n))
		}
		for i, item := range n.Content {
			if err := checkNode(item, t.Elem(), fmt.Sprintf("%s[%d]", field, i+1), budget); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return fail("want keys with values (key: value lines), got %s", nodeKind(n))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkNode(n.Content[i+1], t.Elem(), joinField(field, n.Content[i].Value), budget); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return fail("want a text value, got %s", nodeKind(n))
		}
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		want := map[reflect.Kind]string{reflect.Bool: "true or false", reflect.Float32: "a number", reflect.Float64: "a number"}[t.Kind()]
		if want == "" {
			want = "a whole number"
		}
		if n.Kind != yaml.ScalarNode {
			return fail("want %s, got %s", want, nodeKind(n))
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			return fail("want %s, got %q", want, n.Value)
		}
	}
	return nil
}

// yamlFields maps the keys a struct type accepts to their fields,
// following yaml tags (`yaml:"name,omitempty"`, `yaml:"-"`) and inline
// structs as the decoder does.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	fields := map[string]reflect.StructField{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if slices.Contains(strings.Split(opts, ","), "inline") && f.Type.Kind() == reflect.Struct {
			for k, v := range yamlFields(f.Type) {
				fields[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f
	}
	return fields
}

// unknownKey says that key is not one of the valid keys, suggesting the
// nearest one when it is a plausible misspelling.
func unknownKey(key string, fields map[string]reflect.StructField) error {
	valid := make([]string, 0, len(fields))
	for k := range fields {
		valid = append(valid, k)
	}
	slices.Sort(valid)
	msg := fmt.Sprintf("unknown key %q", key)
	if s := Suggest(key, valid); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%s; valid keys: %s", msg, strings.Join(valid, ", "))
}

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "keys with values"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}

// Suggest returns the candidate nearest to s by edit distance, ignoring
// case, when it is close enough to be a misspelling of it (at most a third
// of its letters differ, at least one may), or "" when none is.
func Suggest(s string, candidates []string) string {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, len([]rune(s))/3)
	if bestD < 0 || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance of a and b in runes, with a
// transposition of two neighbours counted as one edit ("Eurpoe").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
