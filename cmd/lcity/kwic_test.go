package main

import (
	"encoding/json"
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
	if code != 0 || !strings.Contains(stdout, "Okayama") || !strings.Contains(stdout, "[kominkan]") {
		t.Errorf("kwic term (exit %d):\n%s", code, stdout)
	}
}

// TestKwicEmptyTerm: an empty term finds nothing instead of looping.
func TestKwicEmptyTerm(t *testing.T) {
	done := make(chan int, 1)
	out := sampleRun(t)
	go func() {
		code, _, _ := lcity(t, "kwic", "--out", out, "")
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("kwic '': exit %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("kwic '' did not return")
	}
}
