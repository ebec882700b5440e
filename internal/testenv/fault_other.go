//go:build !unix

package testenv

// stopProcess does nothing where there is no SIGSTOP; the caller then
// sleeps forever.
func stopProcess() {}
