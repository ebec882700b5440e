//go:build race

package ingest

// raceSlowdown scales time limits in tests: the race detector makes
// decompression and lexing several times slower.
const raceSlowdown = 4
