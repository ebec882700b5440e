package ingest

import (
	"sync"
	"sync/atomic"
)

// parallel calls fn(0) … fn(n-1) on up to workers goroutines, each taking
// the next index as it finishes one, and returns when all are done; with
// one worker (or none asked) it calls them in order on this goroutine. A
// panic in fn stops that goroutine's work and is raised again here once
// the others are done, as it would be with one worker, so that the
// caller's recover sees it (File fails the input).
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
	var once sync.Once
	var panicked any
	for range workers {
		wg.Go(func() {
			defer func() {
				if x := recover(); x != nil {
					once.Do(func() { panicked = x })
					next.Store(int64(n)) // the others stop at their next index
				}
			}()
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
	if panicked != nil {
		panic(panicked)
	}
}
