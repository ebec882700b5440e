package ingest

import (
	"sync"
	"sync/atomic"
)

// parallel calls fn(0) … fn(n-1) on up to workers goroutines, each taking
// the next index as it finishes one, and returns when all are done; with
// one worker (or none asked) it calls them in order on this goroutine. fn
// must not panic: a panic on another goroutine would end the process.
func parallel(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
