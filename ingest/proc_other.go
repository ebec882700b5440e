//go:build !unix

package ingest

import (
	"os"
	"os/exec"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr        { return nil }
func startProcess(cmd *exec.Cmd) error         { return cmd.Start() }
func killProcess(p *os.Process)                { p.Kill() }
func exitPeakRSS(*os.ProcessState) int64       { return 0 }
func selfPeakRSS() int64                       { return 0 }
func killedOutright(*os.ProcessState) bool     { return false }
func addressSpace() uint64                     { return 0 }
func limitAddressSpace(base uint64, max int64) {}
