package corpus

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lcity's YAML files (manifest, codebooks, hypotheses) report errors at
// file:line; these two helpers find the lines.

// YAMLErrorLine digs the line number out of a yaml.v3 error message
// ("yaml: line N: ..."); 1 when it names none.
func YAMLErrorLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(rest[:j]); err == nil && n > 0 {
			return n
		}
	}
	return 1
}

// YAMLSequenceLines returns the line of each item of the sequence under
// the top-level key of a decoded YAML document (nil when there is none).
func YAMLSequenceLines(root *yaml.Node, key string) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}
