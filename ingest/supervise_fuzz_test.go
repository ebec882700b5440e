package ingest

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lcity/lcity/corpus"
)

// FuzzSupervisedFile extracts whole files in a worker process, as lcity
// run does: every input ends as a document or as a failure with a reason
// of the vocabulary, failures of the worker included, and nothing that a
// file does to its worker reaches the fuzzing process. Without -fuzz it
// runs the seeds; to fuzz:
//
//	go test -run XXX -fuzz FuzzSupervisedFile -fuzztime 10m ./ingest
func FuzzSupervisedFile(f *testing.F) {
	set := sampleSet(f)
	for _, in := range set.inputs {
		data, _ := fs.ReadFile(set.fsys, in.File)
		f.Add(data[:len(data)/3])
	}
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("%PDF-1.7\n1 0 obj <</Type /Pages /Count 9999999999 /Kids [1 0 R]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"))
	reasons := []string{corpus.ReasonEncrypted, corpus.ReasonCorrupt, corpus.ReasonNoText, corpus.ReasonTooLarge,
		corpus.ReasonTimeout, corpus.ReasonUnsupported, corpus.ReasonUndecodableFont, corpus.ReasonCrashed, corpus.ReasonTooMuchMemory}
	s := NewSupervisor()
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"in.pdf": {Data: data}}
		in := Input{File: "in.pdf", Source: "in.pdf", Entries: []corpus.Entry{{File: "in.pdf", City: "Cork"}}}
		res, err := s.File(context.Background(), fsys, in, Options{Timeout: 5 * time.Second, MaxMemory: 512 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Docs)+len(res.Failures) != 1 {
			t.Fatalf("%d documents and %d failures, want one of them", len(res.Docs), len(res.Failures))
		}
		checkResult(t, res, reasons)
	})
}
