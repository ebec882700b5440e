package workspace

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Environment of a helper process (see TestHelperProcess).
const (
	envHelper = "LCITY_LOCK_HELPER" // "1" in a helper process
	envAction = "LCITY_LOCK_ACTION" // "loop" or "hold"
	envDir    = "LCITY_LOCK_DIR"
	envLog    = "LCITY_LOCK_LOG"
	envMode   = "LCITY_LOCK_MODE" // "shared" or "exclusive"
	envRounds = "LCITY_LOCK_ROUNDS"
)

// TestHelperProcess is not a test: it is the body of the child processes
// the other tests start by re-executing the test binary, and does nothing
// unless LCITY_LOCK_HELPER=1.
//
// "loop" takes the lock ROUNDS times, each time appending "enter <mode>
// <pid>" to the log, pausing, appending "leave <mode> <pid>", releasing.
// "hold" takes an exclusive lock, prints "locked" and sleeps until killed.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(envHelper) != "1" {
		return
	}
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "helper %d: "+format+"\n", append([]any{os.Getpid()}, args...)...)
		os.Exit(2)
	}
	dir := os.Getenv(envDir)
	switch os.Getenv(envAction) {
	case "hold":
		l, err := Acquire(dir, Exclusive, 0)
		if err != nil {
			fail("%v", err)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute) // killed long before
		l.Release()
		fail("not killed")
	case "loop":
		mode := Exclusive
		if os.Getenv(envMode) == Shared.String() {
			mode = Shared
		}
		rounds, err := strconv.Atoi(os.Getenv(envRounds))
		if err != nil {
			fail("%v", err)
		}
		log, err := os.OpenFile(os.Getenv(envLog), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			fail("%v", err)
		}
		pid := os.Getpid()
		for range rounds {
			l, err := Acquire(dir, mode, 30*time.Second)
			if err != nil {
				fail("%v", err)
			}
			// One write each: appends of one write are not interleaved.
			if _, err := fmt.Fprintf(log, "enter %v %d\n", mode, pid); err != nil {
				fail("%v", err)
			}
			time.Sleep(time.Millisecond)
			if _, err := fmt.Fprintf(log, "leave %v %d\n", mode, pid); err != nil {
				fail("%v", err)
			}
			if err := l.Release(); err != nil {
				fail("%v", err)
			}
		}
		if err := log.Close(); err != nil {
			fail("%v", err)
		}
	default:
		fail("unknown action %q", os.Getenv(envAction))
	}
	os.Exit(0)
}

// helper returns the command of a helper process.
func helper(ctx context.Context, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), envHelper+"=1")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// TestProcessesExclude runs processes that each take the lock many times
// and log entering and leaving their critical sections, then replays the
// log: an exclusive section overlaps no other section, shared sections
// overlap no exclusive one, and every process's sections are all there.
func TestProcessesExclude(t *testing.T) {
	const rounds = 20
	tests := []struct {
		name  string
		modes []Mode // one process each
	}{
		{"8 writers", []Mode{Exclusive, Exclusive, Exclusive, Exclusive, Exclusive, Exclusive, Exclusive, Exclusive}},
		{"readers and writers", []Mode{Shared, Exclusive, Shared, Shared, Exclusive, Shared, Shared, Exclusive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ws := filepath.Join(dir, "ws")
			if err := os.Mkdir(ws, 0o755); err != nil {
				t.Fatal(err)
			}
			logName := filepath.Join(dir, "log")
			if err := os.WriteFile(logName, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmds := make([]*exec.Cmd, len(tt.modes))
			outs := make([]strings.Builder, len(tt.modes))
			for i, m := range tt.modes {
				cmds[i] = helper(ctx, envAction+"=loop", envDir+"="+ws, envLog+"="+logName,
					envMode+"="+m.String(), envRounds+"="+strconv.Itoa(rounds))
				cmds[i].Stdout = &outs[i]
				cmds[i].Stderr = &outs[i]
			}
			for i, cmd := range cmds {
				if err := cmd.Start(); err != nil {
					t.Fatalf("start %d: %v", i, err)
				}
			}
			for i, cmd := range cmds {
				if err := cmd.Wait(); err != nil {
					t.Errorf("process %d (%v): %v\n%s", i, tt.modes[i], err, outs[i].String())
				}
			}
			if t.Failed() {
				return
			}
			data, err := os.ReadFile(logName)
			if err != nil {
				t.Fatal(err)
			}
			checkLog(t, string(data), len(tt.modes)*rounds)
		})
	}
}

// checkLog replays a log of "enter|leave shared|exclusive <pid>" lines.
func checkLog(t *testing.T, log string, wantSections int) {
	t.Helper()
	shared := map[string]bool{} // pids in a shared section
	writer := ""                // pid in an exclusive section
	sections := 0
	for n, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("log line %d: %q", n+1, line)
		}
		op, mode, pid := f[0], f[1], f[2]
		switch {
		case op == "enter" && writer != "":
			t.Fatalf("log line %d: %q while pid %s holds the exclusive lock", n+1, line, writer)
		case op == "enter" && mode == "exclusive" && len(shared) > 0:
			t.Fatalf("log line %d: %q while %d readers hold the shared lock", n+1, line, len(shared))
		case op == "enter" && mode == "exclusive":
			writer = pid
		case op == "enter" && mode == "shared":
			if shared[pid] {
				t.Fatalf("log line %d: %q: pid entered twice", n+1, line)
			}
			shared[pid] = true
		case op == "leave" && mode == "exclusive" && writer == pid:
			writer = ""
			sections++
		case op == "leave" && mode == "shared" && shared[pid]:
			delete(shared, pid)
			sections++
		default:
			t.Fatalf("log line %d: %q: not in a section", n+1, line)
		}
	}
	if writer != "" || len(shared) > 0 {
		t.Fatalf("log ends inside a section")
	}
	if sections != wantSections {
		t.Fatalf("%d sections in the log, want %d", sections, wantSections)
	}
}

// TestStaleLockFile: the lock file's content decides nothing. A file
// naming a live process, or holding garbage, with no kernel lock held,
// does not block, and the new exclusive holder writes its own pid.
func TestStaleLockFile(t *testing.T) {
	contents := []struct {
		name string
		data string
	}{
		{"live parent pid", fmt.Sprintf("pid %d\n", os.Getppid())},
		{"own pid", fmt.Sprintf("pid %d\n", os.Getpid())},
		{"old format", fmt.Sprintf("%d\n", os.Getppid())},
		{"empty", ""},
		{"garbage", "\x00\xff not a pid \n\n"},
		{"huge pid", "pid 99999999999999999999999\n"},
		{"long", strings.Repeat("pid 1\n", 10000)},
	}
	for _, c := range contents {
		for _, mode := range []Mode{Exclusive, Shared} {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				dir := t.TempDir()
				name := filepath.Join(dir, LockFile)
				if err := os.WriteFile(name, []byte(c.data), 0o644); err != nil {
					t.Fatal(err)
				}
				l, err := Acquire(dir, mode, 0)
				if err != nil {
					t.Fatalf("Acquire: %v", err)
				}
				defer l.Release()
				got, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				want := c.data
				if mode == Exclusive {
					want = fmt.Sprintf("pid %d\n", os.Getpid())
				}
				if string(got) != want {
					t.Errorf("lock file holds %.40q, want %.40q", got, want)
				}
			})
		}
	}
}

// TestKillReleases: the kernel releases the lock of a process killed with
// SIGKILL, which runs no cleanup at all.
func TestKillReleases(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on windows")
	}
	dir := filepath.Join(t.TempDir(), "ws")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := helper(ctx, envAction+"=hold", envDir+"="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		killed = true
		t.Fatalf("helper said %q, want \"locked\"; stderr:\n%s", line, stderr.String())
	}

	for _, mode := range []Mode{Exclusive, Shared} {
		l, err := Acquire(dir, mode, 0)
		if !errors.Is(err, ErrLocked) {
			l.Release()
			t.Fatalf("Acquire(%v) while the helper holds the lock: %v, want ErrLocked", mode, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, dir) {
			t.Errorf("error %q does not name %s", msg, dir)
		}
		if want := fmt.Sprintf("pid %d", cmd.Process.Pid); !strings.Contains(msg, want) {
			t.Errorf("error %q does not name the holder (%s)", msg, want)
		}
	}

	if err := cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(dir, Exclusive, 2*time.Second)
	if err != nil {
		t.Fatalf("Acquire after SIGKILL of the holder: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
}

// TestSameProcess: a lock belongs to an open of the lock file, so two
// Acquire calls in one process conflict exactly as two processes do.
func TestSameProcess(t *testing.T) {
	tests := []struct {
		first, second Mode
		conflict      bool
	}{
		{Exclusive, Exclusive, true},
		{Exclusive, Shared, true},
		{Shared, Exclusive, true},
		{Shared, Shared, false},
	}
	for _, tt := range tests {
		t.Run(tt.first.String()+"+"+tt.second.String(), func(t *testing.T) {
			dir := t.TempDir()
			l1, err := Acquire(dir, tt.first, 0)
			if err != nil {
				t.Fatal(err)
			}
			l2, err := Acquire(dir, tt.second, 0)
			if tt.conflict {
				if !errors.Is(err, ErrLocked) {
					t.Fatalf("second Acquire: %v, want ErrLocked", err)
				}
				if l2 != nil {
					t.Fatalf("second Acquire returned a lock with its error")
				}
			} else if err != nil {
				t.Fatalf("second Acquire: %v", err)
			}
			if err := l2.Release(); err != nil {
				t.Fatal(err)
			}
			if err := l1.Release(); err != nil {
				t.Fatal(err)
			}
			// Once both are released, any mode is free again.
			l3, err := Acquire(dir, Exclusive, 0)
			if err != nil {
				t.Fatalf("Acquire after Release: %v", err)
			}
			l3.Release()
		})
	}
}

func TestRelease(t *testing.T) {
	var nilLock *Lock
	if err := nilLock.Release(); err != nil {
		t.Errorf("Release on nil: %v", err)
	}
	for _, mode := range []Mode{Shared, Exclusive} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			l, err := Acquire(dir, mode, 0)
			if err != nil {
				t.Fatal(err)
			}
			if l.Mode() != mode || l.Dir() != dir {
				t.Errorf("Mode, Dir = %v, %q; want %v, %q", l.Mode(), l.Dir(), mode, dir)
			}
			for i := range 3 {
				if err := l.Release(); err != nil {
					t.Fatalf("Release #%d: %v", i+1, err)
				}
			}
			// Release does not remove the lock file.
			if _, err := os.Stat(filepath.Join(dir, LockFile)); err != nil {
				t.Errorf("lock file after Release: %v", err)
			}
			if l.Mode() != mode || l.Dir() != dir {
				t.Errorf("after Release: Mode, Dir = %v, %q; want %v, %q", l.Mode(), l.Dir(), mode, dir)
			}
		})
	}
}

// TestWaitForRelease: with wait > 0, Acquire takes the lock once the
// holder (here another goroutine) releases it.
func TestWaitForRelease(t *testing.T) {
	for _, mode := range []Mode{Shared, Exclusive} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			held, err := Acquire(dir, Exclusive, 0)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			wg.Go(func() {
				time.Sleep(50 * time.Millisecond)
				held.Release()
			})
			l, err := Acquire(dir, mode, 30*time.Second)
			wg.Wait()
			if err != nil {
				t.Fatalf("Acquire: %v", err)
			}
			l.Release()
		})
	}
}

func TestWaitTimesOut(t *testing.T) {
	dir := t.TempDir()
	held, err := Acquire(dir, Shared, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	l, err := Acquire(dir, Exclusive, 30*time.Millisecond)
	if !errors.Is(err, ErrLocked) || l != nil {
		t.Fatalf("Acquire: %v, %v; want nil, ErrLocked", l, err)
	}
}

// TestDirs: Exclusive creates the workspace, Shared does not.
func TestDirs(t *testing.T) {
	t.Run("shared on a missing dir", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "missing")
		l, err := Acquire(dir, Shared, 0)
		if !errors.Is(err, fs.ErrNotExist) || l != nil {
			t.Fatalf("Acquire: %v, %v; want nil, fs.ErrNotExist", l, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Acquire(Shared) created %s (stat: %v)", dir, err)
		}
	})
	t.Run("shared on a file", func(t *testing.T) {
		name := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if l, err := Acquire(name, Shared, 0); err == nil {
			l.Release()
			t.Fatal("Acquire(Shared) on a file succeeded")
		}
	})
	t.Run("exclusive on a missing dir", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b")
		l, err := Acquire(dir, Exclusive, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Fatalf("workspace not created: %v", err)
		}
	})
	t.Run("invalid mode", func(t *testing.T) {
		if l, err := Acquire(t.TempDir(), Mode(7), 0); err == nil {
			l.Release()
			t.Fatal("Acquire(Mode(7)) succeeded")
		}
	})
}

// TestReadOnly: a reader can lock a workspace it cannot write to.
func TestReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("chmod does not make a directory read-only on windows")
	}
	if os.Geteuid() == 0 {
		t.Skip("root ignores permissions")
	}
	t.Run("no lock file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		for range 2 { // and readers do not exclude each other
			l, err := Acquire(dir, Shared, 0)
			if err != nil {
				t.Fatalf("Acquire(Shared): %v", err)
			}
			defer l.Release()
		}
		if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("lock file in a read-only dir: %v", err)
		}
		if l, err := Acquire(dir, Exclusive, 0); err == nil {
			l.Release()
			t.Error("Acquire(Exclusive) on a read-only dir succeeded")
		}
	})
	t.Run("read-only lock file", func(t *testing.T) {
		dir := t.TempDir()
		w, err := Acquire(dir, Exclusive, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(dir, LockFile), 0o444); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		// The reader locks its read-only open, so the writer excludes it.
		if l, err := Acquire(dir, Shared, 0); !errors.Is(err, ErrLocked) {
			l.Release()
			t.Fatalf("Acquire(Shared) while a writer holds the lock: %v, want ErrLocked", err)
		}
		w.Release()
		l, err := Acquire(dir, Shared, 0)
		if err != nil {
			t.Fatalf("Acquire(Shared): %v", err)
		}
		l.Release()
	})
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{Shared: "shared", Exclusive: "exclusive", Mode(5): "Mode(5)"} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", int(m), got, want)
		}
	}
}
