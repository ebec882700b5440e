package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lcity/lcity/corpus"
)

// Read is what Scan read: the digests of passages.jsonl and, when codings
// were read, codings.csv. A stage checks them against run.json (see
// Manifest.CheckRead) before it writes anything derived from them.
type Read struct {
	Passages Digest
	Codings  Digest
	// WithCodings is whether codings.csv was read.
	WithCodings bool
}

// Scan streams the workspace's passages with their codings (a merge of
// passages.jsonl and codings.csv, which are written in the same order) to
// fn, holding one passage and its codings in memory at a time. Codings of
// a passage that is not in passages.jsonl, or out of order, are an error.
func Scan(dir string, withCodings bool, fn func(p corpus.Passage, cs []corpus.Coding) error) (Read, error) {
	passages := filepath.Join(dir, PassagesFile)
	if !withCodings {
		d, err := ScanJSONL(passages, func(p corpus.Passage) error { return fn(p, nil) })
		return Read{Passages: d}, err
	}
	cf, err := os.Open(filepath.Join(dir, CodingsFile))
	if err != nil {
		return Read{}, err
	}
	defer cf.Close()
	codings := make(chan corpus.Coding, 256)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	hr := newHashingReader(cf)
	go func() {
		defer close(codings)
		readErr <- scanCodings(hr, filepath.Join(dir, CodingsFile), func(c corpus.Coding) error {
			select {
			case codings <- c:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	stopped := false
	halt := func() {
		if !stopped {
			close(stop)
			stopped = true
		}
		for range codings {
		}
	}
	defer halt()
	next, more := <-codings
	pd, err := ScanJSONL(passages, func(p corpus.Passage) error {
		var cs []corpus.Coding
		for more && next.PassageID == p.ID {
			cs = append(cs, next)
			next, more = <-codings
		}
		return fn(p, cs)
	})
	if err != nil {
		return Read{}, err
	}
	if more {
		return Read{}, fmt.Errorf("%s: coding of passage %s does not follow passages.jsonl's order or names an unknown passage; rerun lcity code",
			filepath.Join(dir, CodingsFile), next.PassageID)
	}
	for range codings {
	}
	if err := <-readErr; err != nil && !errors.Is(err, errStopped) {
		return Read{}, err
	}
	return Read{Passages: pd, Codings: hr.digest(), WithCodings: true}, nil
}

var errStopped = errors.New("stopped")
