package pipeline

import (
	"context"
	"errors"
	"html"
	"path/filepath"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/workspace"
)

// Search runs a query on the workspace's index, holding the workspace's
// Shared lock. A query the parser rejects, and a workspace without an
// index, are the user's errors. A query with no words but a filter
// (q.FilterOnly) lists the passages the filters keep in reading order, as
// the web UI's filter-only listing does; each hit's snippet is then the
// opening of its passage (HTML-escaped, no marks), read from
// passages.jsonl.
func Search(ctx context.Context, out string, q index.Query) (*index.Result, error) {
	if !q.FilterOnly() {
		if err := index.ParseQuery(q.Q); err != nil {
			return nil, usage(err)
		}
	}
	l, err := openReader(out, 0)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	x, err := index.Open(filepath.Join(out, workspace.IndexDir))
	if errors.Is(err, index.ErrNoIndex) {
		return nil, usage(err)
	}
	if err != nil {
		return nil, err
	}
	defer x.Close()
	res, err := x.Search(ctx, q)
	var qe *index.QueryError
	var fe *index.FilterError
	if errors.As(err, &qe) || errors.As(err, &fe) {
		return nil, usage(err)
	}
	if err != nil || !q.FilterOnly() || len(res.Hits) == 0 {
		return res, err
	}
	return res, fillOpenings(out, res.Hits)
}

// fillOpenings sets each hit's snippet to the escaped opening of its
// passage's text.
func fillOpenings(out string, hits []index.Hit) error {
	at := make(map[string]int, len(hits))
	for i, h := range hits {
		at[h.PassageID] = i
	}
	left := len(at)
	_, err := workspace.ScanJSONL(filepath.Join(out, workspace.PassagesFile), func(p corpus.Passage) error {
		if i, ok := at[p.ID]; ok {
			hits[i].Snippet = html.EscapeString(index.Opening(p.Text))
			if left--; left == 0 {
				return errAllFound // the rest of the file is not needed
			}
		}
		return nil
	})
	if errors.Is(err, errAllFound) {
		return nil
	}
	return err
}

var errAllFound = errors.New("all passages found")
