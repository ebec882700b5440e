package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// TestPagesParallel checks that reading the pages of a PDF with several
// goroutines (Options.PageWorkers) gives exactly the pages one goroutine
// gives, on every PDF the tests have: the sample books, the real-world
// files of ../shared/pdfs, and the font and hostile fixtures. Each
// goroutine has caches of its own, so a difference would show a cache
// that changes a result, or shared state written by two goroutines (the
// race detector then sees it too).
func TestPagesParallel(t *testing.T) {
	files := map[string][]byte{}
	for _, s := range samplePDFs(t) {
		files["sample/"+s.name] = s.data
	}
	paths := sharedPDFs(t)
	for _, dir := range []string{"testdata/fonts", "testdata/hostile", "testdata/extraction"} {
		more, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, more...)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = data
	}
	files["generated/book"] = bookPDF(t, []string{"Melton", "Espoo", "Cork"}, 4)
	for name, data := range files {
		f, err := openPDF(bytes.NewReader(data), int64(len(data)), "")
		if err != nil {
			continue // the file's failure is tested elsewhere
		}
		nums := make([]int, f.pages)
		for i := range nums {
			nums[i] = i + 1
		}
		want, wantErrs := f.extractPages(context.Background(), nums, 1)
		for _, workers := range []int{2, 5} {
			// A file opened afresh: its caches start empty, as in a run.
			g, err := openPDF(bytes.NewReader(data), int64(len(data)), "")
			if err != nil {
				t.Fatalf("%s: opened once, then not: %v", name, err)
			}
			got, gotErrs := g.extractPages(context.Background(), nums, workers)
			for i := range nums {
				// %v rather than reflect.DeepEqual: a hostile file's NaN
				// font size is equal to itself here.
				if w, g := fmt.Sprintf("%v %v", want[i], wantErrs[i]), fmt.Sprintf("%v %v", got[i], gotErrs[i]); w != g {
					t.Errorf("%s page %d, %d workers:\n got %.300s\nwant %.300s", name, nums[i], workers, g, w)
				}
			}
		}
	}
	if len(files) < 20 {
		t.Errorf("compared %d files, want the sample, ../shared/pdfs and the fixtures", len(files))
	}
}

// TestPagesParallelTimeout checks that a file whose deadline has passed
// fails as a timeout with any worker count, not with empty pages.
func TestPagesParallelTimeout(t *testing.T) {
	data := bookPDF(t, []string{"Melton", "Espoo"}, 3)
	in := Input{File: "book.pdf", Source: "book.pdf", Entries: []corpus.Entry{{File: "book.pdf", City: "Melton"}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, workers := range []int{1, 3} {
		_, _, _, _, err := extractPDF(ctx, bytes.NewReader(data), int64(len(data)), in, workers)
		if corpus.Reason(err) != corpus.ReasonTimeout {
			t.Errorf("%d workers: err %v, want a timeout", workers, err)
		}
	}
}

// TestParallelPanics: a panic in one call is raised again on the calling
// goroutine, with any worker count, so that File's recover fails the
// input instead of the process dying; the other goroutines stop.
func TestParallelPanics(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		var calls atomic.Int64
		func() {
			defer func() {
				if x := recover(); x != "boom" {
					t.Errorf("%d workers: recovered %v, want boom", workers, x)
				}
			}()
			parallel(1000, workers, func(i int) {
				calls.Add(1)
				if i == 3 {
					panic("boom")
				}
			})
			t.Errorf("%d workers: no panic", workers)
		}()
		if n := calls.Load(); n >= 1000 {
			t.Errorf("%d workers: %d calls after the panic, want the work stopped", workers, n)
		}
	}
}
