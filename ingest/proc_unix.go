//go:build unix

package ingest

import (
	"os"
	"runtime"
	"syscall"
)

// killProcess kills a worker and its process group.
func killProcess(p *os.Process) {
	syscall.Kill(-p.Pid, syscall.SIGKILL)
	p.Kill()
}

// rssBytes converts ru_maxrss to bytes: kilobytes but on Apple systems.
func rssBytes(maxrss int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return maxrss
	}
	return maxrss << 10
}

// exitPeakRSS is the peak resident set size of an ended worker, in
// bytes, from its rusage.
func exitPeakRSS(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return rssBytes(int64(ru.Maxrss))
	}
	return 0
}

// selfPeakRSS is the peak resident set size of this process in bytes.
func selfPeakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return rssBytes(int64(ru.Maxrss))
}

// killedOutright reports whether an ended worker was killed by SIGKILL.
func killedOutright(st *os.ProcessState) bool {
	ws, ok := st.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
