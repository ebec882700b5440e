package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// Alive reports whether the process pid runs (a zombie, ended but not
// yet reaped, does not). Where there is no /proc it asks with signal 0.
func Alive(pid int) bool {
	if runtime.GOOS == "linux" {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			return false
		}
		// pid (comm) state ...: comm may hold spaces and parentheses.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// Children returns the process IDs of this process's live children whose
// command line has the argument arg (any child when arg is ""), in order,
// and whether the system tells them (Linux: /proc/self/task/*/children).
func Children(arg string) ([]int, bool) {
	if runtime.GOOS != "linux" {
		return nil, false
	}
	tasks, err := filepath.Glob("/proc/self/task/*/children")
	if err != nil || len(tasks) == 0 {
		return nil, false
	}
	var pids []int
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(f)
			if err != nil || !Alive(pid) {
				continue
			}
			cmdline, _ := os.ReadFile(filepath.Join("/proc", f, "cmdline"))
			if arg == "" || slices.Contains(strings.Split(string(cmdline), "\x00"), arg) {
				pids = append(pids, pid)
			}
		}
	}
	sort.Ints(pids)
	return pids, true
}
