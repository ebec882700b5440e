package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// reviewLog is a workspace's review log replayed against its passages.
type reviewLog struct {
	state *review.State
	// passages the log names that exist, with their text.
	passages map[string]corpus.Passage
}

// replayReview reads the workspace's review store, when there is one (nil
// otherwise: a workspace nobody reviewed), and replays it against the
// passages it names.
func replayReview(ctx context.Context, out string, m *workspace.Manifest) (*reviewLog, error) {
	path := filepath.Join(out, review.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	s, err := review.Open(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	log, err := s.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	need := map[string]bool{}
	for _, d := range log {
		need[d.PassageID] = true
	}
	ps := map[string]corpus.Passage{}
	err = scan(out, m, false, func(p corpus.Passage, _ []corpus.Coding) error {
		if need[p.ID] {
			p.Sentences = nil
			ps[p.ID] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st := review.Replay(log, func(id string) (corpus.Passage, bool) { p, ok := ps[id]; return p, ok })
	return &reviewLog{state: st, passages: ps}, nil
}

// exportCoders returns each coder's own coding for the .qdpx export: the
// keys whose last decision by that coder is add (a span or the whole
// passage) or accept.
func exportCoders(ctx context.Context, out string, m *workspace.Manifest) ([]export.Coder, error) {
	rl, err := replayReview(ctx, out, m)
	if rl == nil || err != nil {
		return nil, err
	}
	// Every coder of the log is a User, also one whose decisions are all
	// rejections or orphans.
	var names []string
	for _, d := range rl.state.Log() {
		names = append(names, d.Coder)
	}
	slices.Sort(names)
	var coders []export.Coder
	for _, name := range slices.Compact(names) {
		c := export.Coder{Name: name}
		for _, d := range rl.state.CurrentBy(name) {
			if d.Action != review.Add && d.Action != review.Accept {
				continue
			}
			p := rl.passages[d.PassageID]
			k := export.CoderCoding{DocID: p.DocID, PassageID: p.ID, CodeID: d.CodeID, Start: p.Start, End: p.End, Memo: d.Memo}
			if d.Span != nil {
				k.Start, k.End = p.Start+byteAt(p.Text, d.Span.Start), p.Start+byteAt(p.Text, d.Span.End)
			}
			c.Codings = append(c.Codings, k)
		}
		coders = append(coders, c)
	}
	return coders, nil
}

// byteAt is the byte offset of code point n of text (len(text) at or past
// its end).
func byteAt(text string, n int) int {
	i := 0
	for b := range text {
		if i == n {
			return b
		}
		i++
	}
	return len(text)
}
