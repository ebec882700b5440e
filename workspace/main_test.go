package workspace_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/lcity/lcity/ingest"
)

// TestMain serves as an ingest worker when a run of these tests started
// this test binary as one; else it runs the tests.
func TestMain(m *testing.M) {
	if ingest.IsWorker() {
		if err := ingest.ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
