package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lcity/lcity/pipeline"
)

// progress draws a one-line progress bar on stderr when it is a terminal.
// The pipeline calls update from one goroutine at a time.
type progress struct {
	w  io.Writer
	on bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w, on: isTerminal(w)} }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(s pipeline.Progress) {
	if !p.on || s.Total == 0 {
		return
	}
	const width = 30
	filled := min(width, width*s.Done/s.Total)
	fmt.Fprintf(p.w, "\r%-8s [%s%s] %d/%d", s.Stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), s.Done, s.Total)
}

// done clears the bar.
func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
