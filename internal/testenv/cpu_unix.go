//go:build unix

package testenv

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time of who (RUSAGE_SELF or
// RUSAGE_CHILDREN), all threads, and true; 0 and false when getrusage
// fails.
func cpuTime(who int) (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// CPUTime is the CPU time (user and system, all threads, the garbage
// collector's included) this process has used so far, and true; false
// where the system does not say. On a machine shared with other jobs it
// measures a benchmark's work better than wall time.
func CPUTime() (time.Duration, bool) { return cpuTime(syscall.RUSAGE_SELF) }

// CPUTimeWithChildren is CPUTime plus the CPU time of the child processes
// this process has waited for (worker processes, for one).
func CPUTimeWithChildren() (time.Duration, bool) {
	self, ok := cpuTime(syscall.RUSAGE_SELF)
	children, ok2 := cpuTime(syscall.RUSAGE_CHILDREN)
	return self + children, ok && ok2
}
