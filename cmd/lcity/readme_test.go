package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeQuickStart runs the README's quick-start commands, as a
// newcomer would type them, top to bottom in an empty folder: every
// `go run ./cmd/lcity …` line of the Quick start section's code blocks,
// in-process, must exit 0. Only serve, which runs until stopped, is left
// out (TestServeInBrowser drives it). A command added to the section is
// checked without touching this test.
func TestReadmeQuickStart(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Quick start\n")
	if !ok {
		t.Fatal("README.md has no Quick start section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var cmds [][]string
	inBlock := false
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		rest, ok := strings.CutPrefix(line, "go run ./cmd/lcity ")
		if !inBlock || !ok {
			continue
		}
		rest, _, _ = strings.Cut(rest, " #")
		args, err := shellWords(rest)
		if err != nil {
			t.Fatalf("README line %q: %v", line, err)
		}
		if args[0] != "serve" {
			cmds = append(cmds, args)
		}
	}
	if len(cmds) < 5 || cmds[0][0] != "run" {
		t.Fatalf("README quick start: found %q, want `run` first and the examples after it", cmds)
	}
	t.Chdir(t.TempDir())
	for _, args := range cmds {
		if code, _, stderr := lcity(t, args...); code != 0 {
			t.Errorf("README: lcity %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join("lcity-out", "report.html")); err != nil {
		t.Errorf("README quick start left no lcity-out/report.html: %v", err)
	}
}

// shellWords splits a command line as a POSIX shell would for the quoting
// the README uses: 'single' and "double" quotes, no variables.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, os.ErrInvalid
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
