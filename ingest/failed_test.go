package ingest

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// TestReadmeFailureReasons checks that the README's table of failure
// reasons lists exactly the reasons corpus.Reason can give, so a reason
// added or renamed in the code cannot go undocumented.
func TestReadmeFailureReasons(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "| reason | the input |")
	if !ok {
		t.Fatal("README.md has no table headed | reason | the input |")
	}
	if end := strings.Index(table, "\n\n"); end >= 0 {
		table = table[:end]
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|").FindAllStringSubmatch(table, -1) {
		documented = append(documented, m[1])
	}
	code := []string{corpus.ReasonEncrypted, corpus.ReasonMissing, corpus.ReasonCorrupt, corpus.ReasonNoText,
		corpus.ReasonUndecodableFont, corpus.ReasonTooLarge, corpus.ReasonTimeout, corpus.ReasonUnsupported,
		corpus.ReasonCrashed, corpus.ReasonTooMuchMemory, corpus.ReasonInternal}
	slices.Sort(documented)
	slices.Sort(code)
	if !slices.Equal(documented, code) {
		t.Errorf("README failure reasons = %q, want the code's %q", documented, code)
	}
}
