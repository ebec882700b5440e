//go:build windows

package workspace

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// errWouldBlock is what lockFile returns when a conflicting lock is held.
var errWouldBlock = windows.ERROR_LOCK_VIOLATION

func lockSupported() error { return nil }

// Windows byte-range locks are mandatory: a locked range cannot be read
// through any other handle. The lock therefore covers one byte far beyond
// the "pid N" content (locking past the end of a file is allowed), so
// other processes can still read the pid for their error messages.
const (
	lockOffsetHigh = 0x40000000 // offset 1<<62
	lockLen        = 1
)

// lockFile takes a LockFileEx lock on f without blocking. The lock belongs
// to the handle, so two opens of the lock file in one process conflict
// like two processes do; Windows releases it when the handle is closed or
// the process exits.
func lockFile(f *os.File, mode Mode) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if mode == Exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	return control(f, func(h windows.Handle) error {
		ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
		err := windows.LockFileEx(h, flags, 0, lockLen, 0, &ol)
		if err == windows.ERROR_LOCK_VIOLATION || err == windows.ERROR_IO_PENDING {
			return errWouldBlock
		}
		return err
	})
}

func unlockFile(f *os.File) error {
	return control(f, func(h windows.Handle) error {
		ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
		return windows.UnlockFileEx(h, 0, lockLen, 0, &ol)
	})
}

// control runs fn on f's handle, keeping f open meanwhile.
func control(f *os.File, fn func(h windows.Handle) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(windows.Handle(fd)) }); err != nil {
		return err
	}
	return ferr
}

// isReadOnlyFS reports whether err says the medium is write-protected.
// (Access denied already counts as fs.ErrPermission.)
func isReadOnlyFS(err error) bool { return errors.Is(err, windows.ERROR_WRITE_PROTECT) }
