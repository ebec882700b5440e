package review

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Action is what a coder decided about a code on a passage.
type Action string

// The four actions. Accept and Reject judge the auto-coder's coding of a
// code on a passage (always the whole passage); Add and Remove code or
// uncode a span (or the whole passage) by hand.
const (
	Accept Action = "accept"
	Reject Action = "reject"
	Add    Action = "add"
	Remove Action = "remove"
)

// Span is a half-open range [Start, End) of a passage's text in code
// points (not bytes), counted from 0: what a browser's selection gives.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Decision is one entry of the log. Seq and At are set by the store when
// it records the decision; a nil Span means the whole passage.
type Decision struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Coder     string    `json:"coder"`
	PassageID string    `json:"passage_id"`
	CodeID    string    `json:"code_id"`
	Action    Action    `json:"action"`
	Span      *Span     `json:"span,omitempty"`
	Memo      string    `json:"memo,omitempty"`
	// RequestID, when set, is the client's name for the request that
	// carried the decision: recording it again returns the first record.
	RequestID string `json:"request_id,omitempty"`
}

// Limits on a decision's fields.
const (
	MaxIDBytes    = 512      // passage, code, coder and request IDs
	MaxMemoBytes  = 64 << 10 // a memo
	MaxInputBytes = 128 << 10
)

// ErrInvalid is wrapped by every error about a decision's content.
var ErrInvalid = errors.New("invalid decision")

// ErrRequestReused is returned by Record for a request ID that was recorded
// with a different decision.
var ErrRequestReused = errors.New("request ID already names another decision")

// TimeLayout is how decision times are stored and hashed: RFC 3339 in UTC
// with a fixed six-digit fraction, so text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Validate reports whether d can be recorded: a known action, a coder, a
// passage and a code, a well-formed span where the action allows one, and
// fields within the limits. It does not look at the workspace: whether the
// passage exists and the auto-coder coded the code there is decided when
// the log is replayed (State).
func (d Decision) Validate() error {
	if err := validName("coder", d.Coder); err != nil {
		return err
	}
	return d.validateBody()
}

// validateBody checks everything but the coder (which the server, not the
// browser, supplies).
func (d Decision) validateBody() error {
	switch d.Action {
	case Accept, Reject:
		if d.Span != nil {
			return invalid("%s judges the auto-coder's whole-passage coding and takes no span", d.Action)
		}
	case Add, Remove:
	default:
		return invalid("action %q: want accept, reject, add or remove", d.Action)
	}
	if d.Span != nil && (d.Span.Start < 0 || d.Span.End <= d.Span.Start) {
		return invalid("span [%d, %d): want 0 <= start < end", d.Span.Start, d.Span.End)
	}
	for _, f := range []struct{ name, v string }{{"passage_id", d.PassageID}, {"code_id", d.CodeID}} {
		if err := validName(f.name, f.v); err != nil {
			return err
		}
	}
	if d.RequestID != "" {
		if err := validName("request_id", d.RequestID); err != nil {
			return err
		}
	}
	if len(d.Memo) > MaxMemoBytes || !utf8.ValidString(d.Memo) {
		return invalid("memo: want UTF-8 text of at most %d bytes", MaxMemoBytes)
	}
	return nil
}

// validName checks an identifier-like field: non-empty, UTF-8, no control
// characters, no surrounding space, not too long.
func validName(field, v string) error {
	switch {
	case v == "":
		return invalid("%s is empty", field)
	case len(v) > MaxIDBytes:
		return invalid("%s is longer than %d bytes", field, MaxIDBytes)
	case !utf8.ValidString(v):
		return invalid("%s is not UTF-8", field)
	case strings.TrimSpace(v) != v:
		return invalid("%s %q has surrounding white space", field, v)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return invalid("%s %q has a control character", field, v)
	}
	return nil
}

// ErrNoAutoCoding is returned by CheckAuto for an accept or reject of a
// code the auto-coder did not give the passage.
var ErrNoAutoCoding = errors.New("the auto-coder did not give this code to this passage")

// CheckAuto checks that an accept or reject judges a coding the auto-coder
// made: coded reports whether it gave code to passage. Add and remove pass.
// A server calls it before Record with the codings it shows; the store
// itself does not know them.
func (d Decision) CheckAuto(coded func(passageID, codeID string) bool) error {
	if (d.Action == Accept || d.Action == Reject) && !coded(d.PassageID, d.CodeID) {
		return fmt.Errorf("%w: %s %s on %s: %w", ErrInvalid, d.Action, d.CodeID, d.PassageID, ErrNoAutoCoding)
	}
	return nil
}

// input is what a client may post: the store sets seq and at, the server
// the coder.
type input struct {
	PassageID string `json:"passage_id"`
	CodeID    string `json:"code_id"`
	Action    Action `json:"action"`
	Span      *Span  `json:"span"`
	Memo      string `json:"memo"`
	RequestID string `json:"request_id"`
}

// ParseDecision decodes a decision as a client posts it, one JSON object:
//
//	{"passage_id": "…", "code_id": "…", "action": "add",
//	 "span": {"start": 3, "end": 17}, "memo": "…", "request_id": "…"}
//
// span, memo and request_id are optional. Unknown fields (seq, at and coder
// among them: the store and the server set those), trailing data and
// inputs over MaxInputBytes are errors wrapping ErrInvalid. The result has
// no Coder; the caller sets it before Record.
func ParseDecision(data []byte) (Decision, error) {
	if len(data) > MaxInputBytes {
		return Decision{}, invalid("input is longer than %d bytes", MaxInputBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in input
	if err := dec.Decode(&in); err != nil {
		return Decision{}, invalid("decode JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Decision{}, invalid("trailing data after the JSON object")
	}
	d := Decision{PassageID: in.PassageID, CodeID: in.CodeID, Action: in.Action, Span: in.Span,
		Memo: in.Memo, RequestID: in.RequestID}
	if err := d.validateBody(); err != nil {
		return Decision{}, err
	}
	return d, nil
}

// DefaultCoder is the coder name to use when none is given: the operating
// system's user name, or "unknown".
func DefaultCoder() string {
	if u, err := user.Current(); err == nil && validName("coder", u.Username) == nil {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME"} {
		if v := os.Getenv(k); validName("coder", v) == nil {
			return v
		}
	}
	return "unknown"
}

// Record appends d to the log and returns it with its sequence number and
// time. It returns only after the transaction is committed (and, with
// synchronous=FULL, on disk), so a caller may acknowledge the decision as
// soon as Record returns without error. d.Seq and d.At must be zero. When
// d.RequestID was recorded before with the same decision, Record returns
// that record and appends nothing; with another decision, it returns
// ErrRequestReused. Safe for concurrent use.
func (s *Store) Record(ctx context.Context, d Decision) (Decision, error) {
	if err := d.Validate(); err != nil {
		return Decision{}, err
	}
	if d.Seq != 0 || !d.At.IsZero() {
		return Decision{}, invalid("seq and at are set by the store")
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Decision{}, fmt.Errorf("record decision: %w", err)
	}
	defer tx.Rollback()
	if d.RequestID != "" {
		prev, err := scanDecision(tx.QueryRowContext(ctx, selectDecisions+` WHERE d.request_id = ?`, d.RequestID))
		switch {
		case err == nil:
			if !sameContent(prev, d) {
				return Decision{}, fmt.Errorf("record decision: request %q: %w", d.RequestID, ErrRequestReused)
			}
			return prev, nil
		case !errors.Is(err, sql.ErrNoRows):
			return Decision{}, fmt.Errorf("record decision: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO coders (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, d.Coder); err != nil {
		return Decision{}, fmt.Errorf("record decision: %w", err)
	}
	// The clock is read inside the write transaction, so times follow
	// sequence numbers whenever the clock does not go back.
	at := s.now().UTC().Format(TimeLayout)
	var start, end, reqID any
	if d.Span != nil {
		start, end = d.Span.Start, d.Span.End
	}
	if d.RequestID != "" {
		reqID = d.RequestID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO decisions
		(at, coder_id, passage_id, code_id, action, span_start, span_end, memo, request_id)
		VALUES (?, (SELECT id FROM coders WHERE name = ?), ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		at, d.Coder, d.PassageID, d.CodeID, string(d.Action), start, end, d.Memo, reqID).Scan(&d.Seq)
	if err != nil {
		return Decision{}, fmt.Errorf("record decision: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Decision{}, fmt.Errorf("record decision: commit: %w", err)
	}
	d.At, _ = time.Parse(TimeLayout, at)
	return d, nil
}

// sameContent reports whether two decisions say the same thing (ignoring
// when and in which order they were recorded).
func sameContent(a, b Decision) bool {
	a.Seq, a.At, b.Seq, b.At = 0, time.Time{}, 0, time.Time{}
	sa, sb := a.Span, b.Span
	a.Span, b.Span = nil, nil
	return a == b && (sa == nil) == (sb == nil) && (sa == nil || *sa == *sb)
}

const selectDecisions = `SELECT d.seq, d.at, c.name, d.passage_id, d.code_id, d.action,
	d.span_start, d.span_end, d.memo, coalesce(d.request_id, '')
	FROM decisions d JOIN coders c ON c.id = d.coder_id`

// scanDecision reads one row of selectDecisions.
func scanDecision(row interface{ Scan(...any) error }) (Decision, error) {
	var (
		d          Decision
		at, action string
		start, end sql.NullInt64
	)
	if err := row.Scan(&d.Seq, &at, &d.Coder, &d.PassageID, &d.CodeID, &action, &start, &end, &d.Memo, &d.RequestID); err != nil {
		return Decision{}, err
	}
	t, err := time.Parse(TimeLayout, at)
	if err != nil {
		return Decision{}, fmt.Errorf("decision %d: time %q: %w", d.Seq, at, err)
	}
	d.At, d.Action = t, Action(action)
	if start.Valid {
		d.Span = &Span{Start: int(start.Int64), End: int(end.Int64)}
	}
	return d, nil
}

// Decisions returns the whole log in sequence order.
func (s *Store) Decisions(ctx context.Context) ([]Decision, error) {
	rows, err := s.r.QueryContext(ctx, selectDecisions+` ORDER BY d.seq`)
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	defer rows.Close()
	var ds []Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("read decisions: %w", err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	return ds, nil
}
