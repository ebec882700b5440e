package testenv

import "testing"

// CPULoop runs f under b.Loop and reports the process' CPU time per
// operation (CPUTime) as cpu-ns/op beside the wall time: on a machine
// shared with other work the wall time grows with the load, the CPU time
// much less. Where the system does not say, there is no such metric.
func CPULoop(b *testing.B, f func()) {
	start, ok := CPUTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if end, _ := CPUTime(); ok && n > 0 {
		b.ReportMetric(float64(end-start)/float64(n), "cpu-ns/op")
	}
}
