package testenv

import (
	"os"
	"path"
	"strings"
	"time"
)

// Names of inputs that make an ingest worker process misbehave once
// WorkerFault is its workerfault.Hook: a file whose base name starts with
// one of these prefixes (hang-x.pdf, oom-1.txt) triggers the fault.
const (
	FaultExit  = "exit-"  // the process exits with status 3
	FaultPanic = "panic-" // a goroutine panics, unrecovered
	FaultOOM   = "oom-"   // allocates and touches memory without bound
	FaultHang  = "hang-"  // the extracting goroutine loops forever
	FaultStop  = "stop-"  // the whole process stops (SIGSTOP; elsewhere it sleeps)
)

// WorkerFault misbehaves as the name of the input asks (see FaultExit and
// the other prefixes) and returns for any other name. A test binary whose
// TestMain serves as an ingest worker sets workerfault.Hook to it.
func WorkerFault(file string) {
	name := path.Base(file)
	switch {
	case strings.HasPrefix(name, FaultExit):
		os.Exit(3)
	case strings.HasPrefix(name, FaultPanic):
		done := make(chan struct{})
		go func() {
			defer close(done)
			panic("injected fault")
		}()
		<-done
	case strings.HasPrefix(name, FaultOOM):
		var keep [][]byte
		for {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case strings.HasPrefix(name, FaultHang):
		for n := 0; ; n++ {
		}
	case strings.HasPrefix(name, FaultStop):
		stopProcess()
		for {
			time.Sleep(time.Hour)
		}
	}
}
