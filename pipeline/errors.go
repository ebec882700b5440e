package pipeline

import (
	"errors"
	"fmt"
)

// UsageError is the user's mistake: a bad setting, argument or
// configuration file (manifest, codebook, hypotheses, gold coding). The
// command line exits 2 on it.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef formats a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

func usage(err error) error {
	if err == nil {
		return nil
	}
	var u *UsageError
	if errors.As(err, &u) {
		return err
	}
	return &UsageError{err}
}

// ErrPartial reports that a stage finished, but some inputs failed: every
// other document was processed and written, and each failure is a row of
// failures.csv.
var ErrPartial = errors.New("some inputs failed; see failures.csv")

// ErrDiffers reports that verify found outputs that differ from the record
// or from a rerun.
var ErrDiffers = errors.New("the workspace differs from its record")
