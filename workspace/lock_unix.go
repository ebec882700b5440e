//go:build unix && !aix

package workspace

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// errWouldBlock is what lockFile returns when a conflicting lock is held.
var errWouldBlock = unix.EWOULDBLOCK

func lockSupported() error { return nil }

// lockFile takes a flock(2) lock on f without blocking. A flock lock
// belongs to the open file description, so two opens of the lock file in
// one process conflict like two processes do, and the lock is released
// when the last descriptor of that open is closed (os.OpenFile sets
// close-on-exec, so child processes do not inherit it).
func lockFile(f *os.File, mode Mode) error {
	how := unix.LOCK_SH | unix.LOCK_NB
	if mode == Exclusive {
		how = unix.LOCK_EX | unix.LOCK_NB
	}
	return control(f, func(fd uintptr) error {
		for {
			err := unix.Flock(int(fd), how)
			switch {
			case err == unix.EINTR:
				continue
			case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
				return errWouldBlock
			}
			return err
		}
	})
}

func unlockFile(f *os.File) error {
	return control(f, func(fd uintptr) error {
		for {
			err := unix.Flock(int(fd), unix.LOCK_UN)
			if err != unix.EINTR {
				return err
			}
		}
	})
}

// control runs fn on f's descriptor, keeping f open meanwhile.
func control(f *os.File, fn func(fd uintptr) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(fd) }); err != nil {
		return err
	}
	return ferr
}

// isReadOnlyFS reports whether err says the file system is read-only.
func isReadOnlyFS(err error) bool { return errors.Is(err, unix.EROFS) }
