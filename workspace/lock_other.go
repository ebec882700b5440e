//go:build (!unix && !windows) || aix

package workspace

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// errWouldBlock is never returned here; it keeps lock.go portable.
var errWouldBlock = errors.New("lock held")

// lockSupported fails: this system has no flock(2) or LockFileEx (AIX's
// fcntl locks belong to the process, not the open, and are dropped by
// any close of the file, so they cannot give the same guarantees).
func lockSupported() error {
	return fmt.Errorf("workspace locking is not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

func lockFile(*os.File, Mode) error { return lockSupported() }

func unlockFile(*os.File) error { return nil }

func isReadOnlyFS(error) bool { return false }
