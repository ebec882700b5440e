//go:build unix && !linux

package ingest

import (
	"os/exec"
	"syscall"
)

// sysProcAttr puts a worker in its own process group, so that a kill
// reaches what it started and a Ctrl-C at the terminal reaches only the
// supervisor.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func startProcess(cmd *exec.Cmd) error { return cmd.Start() }

// addressSpace and limitAddressSpace do nothing here: RLIMIT_AS is not
// enforced on every Unix, so only the Go memory limit applies.
func addressSpace() uint64                     { return 0 }
func limitAddressSpace(base uint64, max int64) {}
