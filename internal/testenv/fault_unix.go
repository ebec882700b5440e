//go:build unix

package testenv

import "syscall"

// stopProcess stops this process (SIGSTOP): it no longer runs at all
// until it is sent SIGCONT or killed.
func stopProcess() { syscall.Kill(syscall.Getpid(), syscall.SIGSTOP) }
