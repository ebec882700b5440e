package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

// addProfileFlags adds --cpuprofile and --memprofile to root: pprof
// profiles of the whole command, for finding where a run spends its time
// and memory (go tool pprof lcity FILE).
func addProfileFlags(root *cobra.Command) {
	var cpu, mem string
	var cpuFile *os.File
	root.PersistentFlags().StringVar(&cpu, "cpuprofile", "", "write a CPU profile of the command to `FILE`")
	root.PersistentFlags().StringVar(&mem, "memprofile", "", "write a heap profile at the end of the command to `FILE`")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpu == "" {
			return nil
		}
		f, err := os.Create(cpu)
		if err != nil {
			return pipeline.Usagef("--cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		cpuFile = f
		return nil
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, args []string) error {
		return stopProfiles(cpuFile, mem)
	}
}

func stopProfiles(cpuFile *os.File, mem string) error {
	if cpuFile != nil {
		pprof.StopCPUProfile()
		if err := cpuFile.Close(); err != nil {
			return err
		}
	}
	if mem == "" {
		return nil
	}
	f, err := os.Create(mem)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	defer f.Close()
	runtime.GC()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
