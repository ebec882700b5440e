package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lcity/lcity/pipeline"
)

// ExampleRun runs the embedded illustrative sample corpus into a
// temporary workspace, as the package documentation shows.
func ExampleRun() {
	tmp, err := os.MkdirTemp("", "lcity-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "out")
	ctx := context.Background()

	cfg := pipeline.Default() // the embedded sample, the embedded codebooks
	cfg.Out = dir             // the workspace
	cfg.Analysis.Permutations = 999
	res, err := pipeline.Run(ctx, cfg) // ErrPartial when some inputs failed
	if err != nil && !errors.Is(err, pipeline.ErrPartial) {
		log.Fatal(err)
	}
	fmt.Println(res.Documents, "documents,", len(res.Failures), "failures")

	// A second run with the same inputs and settings has nothing to do.
	res, err = pipeline.Run(ctx, cfg)
	fmt.Println(res.UpToDate, err)
	// Output:
	// 17 documents, 0 failures
	// true <nil>
}
