package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// provenanceLine matches the line scripts/benchmarks.sh (and
// scripts/bench.sh) writes before each table or result block:
//
//	Measured at commit 1a2b3c4d5e6f (clean), 2026-11-26 10:00 UTC, go1.26.8, 2 CPUs, x86_64: `go test …`
var provenanceLine = regexp.MustCompile("^Measured at commit ([0-9a-f]{7,40}) \\((clean|dirty)\\), [^,]+ UTC, go[0-9][^,]*, [0-9]+ CPUs, [^,:`]+: `[^`]+`")

// figure is a table or fenced result block of a Markdown file.
type figure struct {
	Line   int    // 1-based line where it starts
	Kind   string // "table" or "result block"
	Commit string // of the nearest provenance line before it in its section; "" if none
}

// commandFences are the info strings of fenced blocks that show commands
// to type rather than results; they need no provenance.
var commandFences = map[string]bool{"sh": true, "bash": true, "shell": true}

// figures lists the tables and fenced result blocks of a Markdown file,
// each with the commit of the provenance line before it in its section
// (a heading starts a new section).
func figures(md string) []figure {
	lines := strings.Split(md, "\n")
	var figs []figure
	commit := ""
	fence := "" // the opening fence while inside a fenced block
	inTable := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOf(trimmed); f != "" {
			fence = f
			info := strings.Fields(strings.TrimLeft(trimmed, f[:1]))
			if len(info) == 0 || !commandFences[info[0]] {
				figs = append(figs, figure{Line: i + 1, Kind: "result block", Commit: commit})
			}
			inTable = false
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "#") && strings.HasPrefix(strings.TrimLeft(trimmed, "#"), " "):
			commit = ""
		case provenanceLine.MatchString(trimmed):
			commit = provenanceLine.FindStringSubmatch(trimmed)[1]
		}
		isRow := strings.HasPrefix(trimmed, "|")
		if isRow && !inTable && i+1 < len(lines) && isSeparator(lines[i+1]) {
			figs = append(figs, figure{Line: i + 1, Kind: "table", Commit: commit})
		}
		inTable = isRow
	}
	return figs
}

// fenceOf returns the fence (``` or ~~~, three or more) that line opens,
// or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// separatorRow matches a Markdown table's delimiter row, such as |---|---:|.
var separatorRow = regexp.MustCompile(`^\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?$`)

func isSeparator(line string) bool {
	return separatorRow.MatchString(strings.TrimSpace(line))
}

// unprovenanced returns a message for each figure without a provenance
// line before it in its section.
func unprovenanced(file string, figs []figure) []string {
	var out []string
	for _, f := range figs {
		if f.Commit == "" {
			out = append(out, fmt.Sprintf("%s:%d: %s without a provenance line (Measured at commit …) before it in its section; regenerate with scripts/benchmarks.sh --write", file, f.Line, f.Kind))
		}
	}
	return out
}

// check reports the figures of a Markdown file without a provenance line
// and, when git is on PATH, the provenance commits git does not know.
func check(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	figs := figures(string(data))
	problems := unprovenanced(file, figs)
	if _, err := exec.LookPath("git"); err == nil {
		for _, c := range commits(figs) {
			if err := verifyCommit(c); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", file, err))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	fmt.Printf("%s: %d figures, each with a provenance line\n", file, len(figs))
	return nil
}

// commits returns the distinct provenance commits of figs, in order.
func commits(figs []figure) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range figs {
		if f.Commit != "" && !seen[f.Commit] {
			seen[f.Commit] = true
			out = append(out, f.Commit)
		}
	}
	return out
}

// verifyCommit checks with git that hash names a commit of the repository
// around the working directory.
func verifyCommit(hash string) error {
	out, err := exec.Command("git", "rev-parse", "--verify", "--quiet", hash+"^{commit}").CombinedOutput()
	if err != nil {
		return fmt.Errorf("provenance commit %s is not a commit of this repository (git rev-parse --verify: %v %s)", hash, err, strings.TrimSpace(string(out)))
	}
	return nil
}
