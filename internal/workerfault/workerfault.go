// Package workerfault lets lcity's tests make an ingest worker process
// misbehave: crash, hang or take memory without bound on chosen inputs,
// to test how ingest.Supervisor contains it.
//
// Hook is nil in every program but the test binaries whose TestMain
// serves as an ingest worker and sets it there (to
// testenv.WorkerFault); no input can reach it otherwise.
package workerfault

// Hook, when set, is called by ingest.File with the input's file name
// before extracting it, in the goroutine that extracts it.
var Hook func(file string)
