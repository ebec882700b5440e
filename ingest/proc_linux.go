package ingest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr puts a worker in its own process group (so that a kill
// reaches what it started, such as pdftotext, and a Ctrl-C at the
// terminal reaches only the supervisor) and has the kernel kill it when
// the supervising thread dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

var (
	spawnOnce sync.Once
	spawns    chan func()
)

// startProcess starts cmd from one OS thread that is locked for the
// life of the process: Linux sends Pdeathsig when the thread that
// forked a child ends, not the process, and the Go runtime ends a thread
// only when a goroutine locked to it exits.
func startProcess(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawns = make(chan func())
		go func() {
			runtime.LockOSThread()
			for f := range spawns {
				f()
			}
		}()
	})
	errc := make(chan error, 1)
	spawns <- func() { errc <- cmd.Start() }
	return <-errc
}

// addressSpace returns the virtual memory size of this process in bytes
// (VmSize of /proc/self/status), or 0 when it cannot tell.
func addressSpace() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 3 && string(f[0]) == "VmSize:" && string(f[2]) == "kB" {
			kb, err := strconv.ParseUint(string(f[1]), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// limitAddressSpace sets this process's soft RLIMIT_AS to base+max bytes
// (no more than the hard limit): an allocation beyond it fails, and the
// Go runtime then dies with "out of memory". A base of 0 (unknown) sets
// nothing.
func limitAddressSpace(base uint64, max int64) {
	if base == 0 || max <= 0 {
		return
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &lim); err != nil {
		return
	}
	lim.Cur = base + uint64(max)
	if lim.Max != unix.RLIM_INFINITY && lim.Cur > lim.Max {
		lim.Cur = lim.Max
	}
	unix.Setrlimit(unix.RLIMIT_AS, &lim)
}
