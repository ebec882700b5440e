package main

import (
	"strings"
	"testing"
)

// FuzzParseRunManifest feeds arbitrary bytes to the run.json parser that
// verify and diff trust: it must not panic, and what it accepts names only
// outputs inside the workspace.
func FuzzParseRunManifest(f *testing.F) {
	f.Add([]byte(`{"tool":"lcity","version":"0.1.0","settings":{"corpus":"embedded:sample","seed":1,"max_bytes":1,"timeout":"1s"},"outputs":[{"path":"codings.csv","sha256":"ab"}]}`))
	f.Add([]byte(`{"tool":"lcity","outputs":[{"path":"../etc/passwd"}]}`))
	f.Add([]byte(`{"tool":"other"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseRunManifest(data)
		if err != nil {
			return
		}
		for _, o := range m.Outputs {
			if o.Path == "" || strings.Contains(o.Path, "..") || strings.HasPrefix(o.Path, "/") {
				t.Fatalf("accepted output path %q", o.Path)
			}
		}
	})
}
