// Command benchtools holds the helpers of scripts/bench.sh and
// scripts/benchmarks.sh: comparing lcity with the anchor tools on the same
// data, summarising go test -bench output, and checking that every figure
// in BENCHMARKS.md says at which commit and with which command it was made.
//
//	go run ./internal/benchtools terms                # the embedded codebooks' terms as grep -F patterns
//	go run ./internal/benchtools barebleve WORKSPACE  # index passages.jsonl (and codes) with bare Bleve and lcity's mapping, print the time
//	go run ./internal/benchtools benchtable < OUT     # go test -bench output as a Markdown table
//	go run ./internal/benchtools metric NAME UNIT < OUT  # one value of go test -bench output
//	go run ./internal/benchtools check BENCHMARKS.md  # every table and result block has a provenance line
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/workspace"
)

func main() {
	const usage = "usage: benchtools terms | barebleve WORKSPACE | benchtable | metric NAME UNIT | check FILE | agreement LABEL | curve"
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "terms":
		err = terms()
	case "barebleve":
		if len(os.Args) != 3 {
			err = fmt.Errorf("usage: benchtools barebleve WORKSPACE")
			break
		}
		err = bareBleve(os.Args[2])
	case "benchtable":
		err = benchTable(os.Stdin, os.Stdout)
	case "metric":
		if len(os.Args) != 4 {
			err = fmt.Errorf("usage: benchtools metric NAME UNIT")
			break
		}
		var v float64
		if v, err = metric(os.Stdin, os.Args[2], os.Args[3]); err == nil {
			fmt.Println(v)
		}
	case "agreement":
		if len(os.Args) != 3 {
			err = fmt.Errorf("usage: benchtools agreement LABEL < eval.json")
			break
		}
		err = agreement(os.Stdin, os.Stdout, os.Args[2])
	case "curve":
		err = curve(os.Stdin, os.Stdout)
	case "check":
		if len(os.Args) != 3 {
			err = fmt.Errorf("usage: benchtools check FILE")
			break
		}
		err = check(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtools:", err)
		os.Exit(1)
	}
}

// terms prints each term of the embedded codebooks as a fixed string:
// wildcards as their prefix, quotes dropped, the two sides of NEAR rules
// as two patterns. grep -F -i -o -f then finds (a superset of) what the
// lcity matcher looks for, without stemming.
func terms() error {
	cbs, err := coding.LoadAll(coding.Builtin())
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, cb := range cbs {
		for _, c := range cb.Codes {
			for _, t := range c.Terms {
				for _, part := range strings.Split(t, " NEAR/") {
					if i := strings.IndexByte(part, ' '); i >= 0 && strings.ContainsAny(part[:i], "0123456789") {
						part = part[i+1:] // the distance of NEAR/n
					}
					part = strings.TrimSpace(strings.NewReplacer(`"`, "", "*", "").Replace(part))
					if part != "" {
						seen[strings.ToLower(part)] = true
					}
				}
			}
		}
	}
	var out []string
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	fmt.Println(strings.Join(out, "\n"))
	return nil
}

// bareBleve indexes the workspace's passages, with their codes from
// codings.csv when there is one, with a plain bleve.New and Batch loop in
// batches of index.BatchSize, using lcity's own mapping and documents
// (index.Mapping, index.Document): the same work as lcity index, reading
// the same files, without lcity's Writer (shards, the review, the
// manifest). It prints passages, seconds and passages per second.
func bareBleve(ws string) error {
	dir, err := os.MkdirTemp("", "barebleve-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	codes := map[string][]string{}
	if _, err := os.Stat(filepath.Join(ws, workspace.CodingsFile)); err == nil {
		_, err = workspace.ScanCodings(filepath.Join(ws, workspace.CodingsFile), func(c corpus.Coding) error {
			codes[c.PassageID] = append(codes[c.PassageID], c.CodeID)
			return nil
		})
		if err != nil {
			return err
		}
	}
	m, err := index.Mapping()
	if err != nil {
		return err
	}
	idx, err := bleve.New(filepath.Join(dir, "idx"), m)
	if err != nil {
		return err
	}
	b := idx.NewBatch()
	n := 0
	_, err = workspace.ScanJSONL(filepath.Join(ws, workspace.PassagesFile), func(p corpus.Passage) error {
		n++
		if err := b.Index(p.ID, index.Document(p, codes[p.ID])); err != nil {
			return err
		}
		if b.Size() >= index.BatchSize {
			if err := idx.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if b.Size() > 0 {
		if err := idx.Batch(b); err != nil {
			return err
		}
	}
	if err := idx.Close(); err != nil {
		return err
	}
	d := time.Since(start).Seconds()
	fmt.Printf("%d %.2f %.0f\n", n, d, float64(n)/d)
	return nil
}
