//go:build !unix

package testenv

import "time"

// CPUTime reports false where getrusage is missing.
func CPUTime() (time.Duration, bool) { return 0, false }

// CPUTimeWithChildren reports false where getrusage is missing.
func CPUTimeWithChildren() (time.Duration, bool) { return 0, false }
