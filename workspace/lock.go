package workspace

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LockFile is the lock file's name inside a workspace. It is created once
// and never deleted (deleting a flock'd file is itself a race: a process
// that opened the old file would lock an inode nobody else can find).
// Its content, "pid N\n" written by the last exclusive holder, is
// information for humans and error messages only; it is never used to
// decide whether the workspace is locked.
const LockFile = ".lcity.lock"

// Mode is the kind of workspace lock: Shared for readers, Exclusive for
// writers. Any number of Shared locks may be held at once; an Exclusive
// lock excludes every other lock, Shared or Exclusive.
type Mode int

const (
	// Shared is the readers' mode: search, kwic, export, eval, verify, and
	// serve while it opens a snapshot.
	Shared Mode = iota
	// Exclusive is the writers' mode: run, ingest, code, index, analyze.
	Exclusive
)

// String returns "shared" or "exclusive" ("Mode(N)" for any other value).
func (m Mode) String() string {
	switch m {
	case Shared:
		return "shared"
	case Exclusive:
		return "exclusive"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ErrLocked means a conflicting lock is held by another process (or by
// another Acquire in this process: locks belong to an open of the lock
// file, not to a process). Errors returned by Acquire wrap it; test with
// errors.Is.
var ErrLocked = errors.New("workspace is in use by another lcity process")

// pollMax is the longest pause between two attempts while Acquire waits.
const pollMax = 20 * time.Millisecond

// Lock is a held workspace lock. It is released by Release or when the
// process exits in any way (kill -9 included): the kernel holds the lock,
// not the lock file's content, so a crashed holder never leaves a stale
// lock behind. A Lock is safe for use by several goroutines.
type Lock struct {
	dir  string
	mode Mode

	mu sync.Mutex
	f  *os.File // nil once released, or when held without a kernel lock
}

// Acquire takes the lock of workspace dir in mode. If a conflicting lock
// is held it retries until wait has elapsed (wait <= 0: it tries once),
// then fails with an error that wraps ErrLocked, names dir and, for
// information only, the pid the last exclusive holder wrote into the lock
// file if it can be read.
//
// Exclusive creates dir (mode 0755) if it does not exist, and after taking
// the lock writes "pid N\n" into the lock file. Shared never creates dir:
// a missing dir is an error wrapping fs.ErrNotExist. Either mode creates
// the lock file (mode 0644) if dir is writable.
//
// A Shared lock on a workspace whose lock file does not exist and cannot
// be created (the dir is read-only, or on read-only media, as an archived
// workspace is) succeeds without a kernel lock: no lcity writer can work
// there, since a writer's first Exclusive lock creates the lock file, which
// is never deleted. (The one case this does not cover: a dir writable by
// another user but not by the reader, in which that user's first writer
// starts while the reader is already reading.) When the lock file exists
// but cannot be opened for writing, a Shared lock is taken on a read-only
// open of it, which conflicts with writers as usual.
//
// The lock is flock(2) on unix and LockFileEx on Windows; on other
// systems Acquire returns an error saying locking is unsupported. Locks
// are advisory: they exclude other Acquire calls, nothing else. On NFS,
// Linux emulates flock with POSIX byte-range locks, which work across
// clients with NFSv4 (and NFSv3 with a working lockd); other network
// filesystems (some SMB and FUSE mounts) may not lock across machines at
// all, or may fail the lock call, which Acquire reports as an error.
func Acquire(dir string, mode Mode, wait time.Duration) (*Lock, error) {
	if mode != Shared && mode != Exclusive {
		return nil, fmt.Errorf("lock %s: invalid mode %v", dir, mode)
	}
	if err := lockSupported(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if mode == Exclusive {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
	} else {
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("lock %s: not a directory", dir)
		}
	}

	name := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil && mode == Shared && (errors.Is(err, fs.ErrPermission) || isReadOnlyFS(err)) {
		// A reader may lock a file it cannot write (another user's
		// workspace, or read-only media holding the lock file).
		var rerr error
		f, rerr = os.Open(name)
		if errors.Is(rerr, fs.ErrNotExist) {
			// No lock file and none can be created: see the doc comment.
			return &Lock{dir: dir, mode: mode}, nil
		}
		if rerr == nil {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}

	deadline := time.Now().Add(wait)
	pause := time.Millisecond
	for {
		err := lockFile(f, mode)
		if err == nil {
			break
		}
		if !errors.Is(err, errWouldBlock) {
			f.Close()
			return nil, fmt.Errorf("lock %s (%v): %w", dir, mode, err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			f.Close()
			return nil, lockedError(dir, name, mode, wait)
		}
		time.Sleep(min(pause, left))
		pause = min(2*pause, pollMax)
	}

	if mode == Exclusive {
		// Information only: a failure here leaves the lock held and
		// correct, so it is not reported.
		if f.Truncate(0) == nil {
			f.WriteAt([]byte("pid "+strconv.Itoa(os.Getpid())+"\n"), 0)
		}
	}
	return &Lock{dir: dir, mode: mode, f: f}, nil
}

// lockedError is the error of an Acquire that found the lock held. The pid
// it reports is whatever the last exclusive holder wrote, which may be a
// process that has since exited (the current holders may be readers).
func lockedError(dir, name string, mode Mode, wait time.Duration) error {
	msg := ""
	if pid := readPID(name); pid > 0 {
		msg = fmt.Sprintf(" (the last exclusive holder was pid %d)", pid)
	}
	if wait > 0 {
		msg += fmt.Sprintf("; waited %v", wait)
	}
	return fmt.Errorf("%s: cannot take %v lock: %w%s", dir, mode, ErrLocked, msg)
}

// readPID returns the pid in a lock file holding "pid N\n", or 0.
func readPID(name string) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 64))
	s, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "pid ")
	if !ok {
		return 0
	}
	pid, err := strconv.Atoi(s)
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Release releases the lock. It is idempotent (a second call returns nil)
// and safe on a nil *Lock. It never removes the lock file.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	err := unlockFile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.dir, err)
	}
	return nil
}

// Mode returns the mode the lock was acquired in.
func (l *Lock) Mode() Mode { return l.mode }

// Dir returns the workspace directory as it was passed to Acquire.
func (l *Lock) Dir() string { return l.dir }
