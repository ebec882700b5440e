// Command passageids rewrites the passage IDs in the first column of CSV
// files from the old position-based form (<doc-id>-p0001, the n-th passage
// of the document in reading order, before ingest.Version 5) to the
// text-derived IDs of a workspace made by the current lcity from the same
// corpus. It was run once on the sample's gold files:
//
//	go run ./cmd/lcity ingest --out /tmp/ws
//	go run ./scripts/passageids -passages /tmp/ws/passages.jsonl \
//	    corpus/sample/gold/gold.csv corpus/sample/gold/readers/*.csv
//
// The mapping assumes the extraction gave the same passages in the same
// order as when the files were written (ingest's golden digests of the
// documents' text and passage counts did not change with version 5). When
// a file has a text_start column, each row's text_start must begin the
// mapped passage's text, or nothing is written. Lines starting with "#"
// are copied as they are. A file already migrated is left unchanged.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
)

type passage struct {
	ID    string `json:"id"`
	DocID string `json:"doc_id"`
	Text  string `json:"text"`
}

var oldID = regexp.MustCompile(`^(.+)-p([0-9]{4})$`)

func main() {
	passages := flag.String("passages", "", "passages.jsonl of a workspace made by the current lcity")
	flag.Parse()
	if *passages == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: passageids -passages WS/passages.jsonl FILE.csv...")
		os.Exit(2)
	}
	mapping, text, err := readMapping(*passages)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range flag.Args() {
		if err := migrate(name, mapping, text); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// readMapping returns old ID → new ID, and new ID → text.
func readMapping(name string) (map[string]string, map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	mapping, text, n := map[string]string{}, map[string]string{}, map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var p passage
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		n[p.DocID]++
		mapping[fmt.Sprintf("%s-p%04d", p.DocID, n[p.DocID])] = p.ID
		text[p.ID] = p.Text
	}
	return mapping, text, sc.Err()
}

func migrate(name string, mapping, text map[string]string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var comments, body []byte
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if len(body) == 0 && bytes.HasPrefix(l, []byte("#")) {
			comments = append(comments, l...)
		} else {
			body = append(body, l...)
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 || rows[0][0] != "passage_id" {
		return fmt.Errorf("%s: the first column is not passage_id", name)
	}
	start := -1
	for i, h := range rows[0] {
		if h == "text_start" {
			start = i
		}
	}
	changed := 0
	for i, r := range rows[1:] {
		id := r[0]
		if _, ok := text[id]; ok {
			continue // already migrated
		}
		if !oldID.MatchString(id) {
			return fmt.Errorf("%s row %d: %q is neither an old nor a current passage ID", name, i+2, id)
		}
		nid, ok := mapping[id]
		if !ok {
			return fmt.Errorf("%s row %d: no passage %s in the workspace", name, i+2, id)
		}
		if start >= 0 && !strings.HasPrefix(text[nid], r[start]) {
			return fmt.Errorf("%s row %d: %s maps to %s, which begins %.40q, not %q", name, i+2, id, nid, text[nid], r[start])
		}
		r[0] = nid
		changed++
	}
	var out bytes.Buffer
	out.Write(comments)
	w := csv.NewWriter(&out)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	if changed == 0 {
		return nil
	}
	fmt.Fprintf(os.Stderr, "%s: %d rows\n", name, changed)
	return os.WriteFile(name, out.Bytes(), 0o644)
}
