package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lcity/lcity/pipeline"
)

func TestKwic(t *testing.T) {
	out := sampleRun(t)
	code, stdout, _ := lcity(t, "kwic", "--out", out, "--json", "keyfeatures.families-communities")
	var lines []pipeline.KWICLine
	if code != 0 || json.Unmarshal([]byte(stdout), &lines) != nil || len(lines) == 0 {
		t.Fatalf("kwic code exit %d: %s", code, stdout)
	}
	code, stdout, _ = lcity(t, "kwic", "--out", out, "kominkan")
	if code != 0 || !strings.Contains(stdout, "Okayama") || !strings.Contains(stdout, "[kominkan]") || !strings.Contains(stdout, "okayama-2017-") {
		t.Errorf("kwic term (exit %d):\n%s", code, stdout)
	}

	// A word matches whole words and their inflections, as a codebook
	// term does: "art" finds "arts", never the "art" in "participation".
	code, stdout, _ = lcity(t, "kwic", "--out", out, "--json", "art")
	lines = nil
	if code != 0 || json.Unmarshal([]byte(stdout), &lines) != nil || len(lines) == 0 {
		t.Fatalf("kwic art: exit %d: %s", code, stdout)
	}
	passages, err := os.ReadFile(filepath.Join(out, "passages.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, line := range strings.Split(strings.TrimSpace(string(passages)), "\n") {
		var p struct{ Text string }
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatal(err)
		}
		want += len(regexp.MustCompile(`(?i)\barts?\b`).FindAllString(p.Text, -1))
	}
	if len(lines) != want {
		t.Errorf("kwic art: %d lines, want %d (the whole words art and arts)", len(lines), want)
	}
	for _, l := range lines {
		if m := strings.ToLower(l.Match); m != "art" && m != "arts" {
			t.Errorf("kwic art matched %q in %q[%s]%q", l.Match, l.Left, l.Match, l.Right)
		}
	}
	// No space between a match and the punctuation after it.
	if _, stdout, _ = lcity(t, "kwic", "--out", out, "festivals"); !strings.Contains(stdout, "[festivals],") {
		t.Errorf("kwic festivals: no match printed before a comma as \"[festivals],\":\n%s", stdout)
	}
	// A code ID of a workspace codebook that does not exist is an error
	// with the nearest code, not a search for the text "charter.nope".
	for arg, want := range map[string]string{
		"charter.nope":       `no code "charter.nope"`,
		"charter.celebraton": `(did you mean "charter.celebration"?)`,
	} {
		if code, _, stderr := lcity(t, "kwic", "--out", out, arg); code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("kwic %s: exit %d %q, want 2 and %q", arg, code, stderr, want)
		}
	}
}

// TestKwicEmptyTerm: an empty term is refused instead of looping.
func TestKwicEmptyTerm(t *testing.T) {
	done := make(chan int, 1)
	out := sampleRun(t)
	go func() {
		code, _, _ := lcity(t, "kwic", "--out", out, "")
		done <- code
	}()
	select {
	case code := <-done:
		if code != 2 {
			t.Errorf("kwic '': exit %d, want 2", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("kwic '' did not return")
	}
}
