package pipeline

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/workspace"
)

// Search runs a query on the workspace's index, holding the workspace's
// Shared lock. A query the parser rejects, and a workspace without an
// index, are the user's errors.
func Search(ctx context.Context, out string, q index.Query) (*index.Result, error) {
	if err := index.ParseQuery(q.Q); err != nil {
		return nil, usage(err)
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
	return res, err
}
