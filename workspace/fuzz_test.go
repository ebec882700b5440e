package workspace

import (
	"path"
	"strings"
	"testing"
)

// FuzzParseManifest feeds arbitrary bytes to the run.json parser that run,
// verify and diff trust: it must not panic, and what it accepts names only
// outputs inside the workspace.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"tool":"lcity","version":"0.1.0","settings":{"corpus":"embedded:sample","seed":1,"max_bytes":1,"timeout":"1s"},"outputs":[{"path":"codings.csv","stage":"code","sha256":"ab"}]}`))
	f.Add([]byte(`{"tool":"lcity","outputs":[{"path":"../etc/passwd"}]}`))
	f.Add([]byte(`{"tool":"lcity","outputs":[{"path":"a/../../b"}]}`))
	f.Add([]byte(`{"tool":"other"}`))
	f.Add([]byte(`{"tool":"lcity"} {}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		for _, o := range m.Outputs {
			p := strings.TrimSuffix(o.Path, "/")
			if p == "" || strings.HasPrefix(p, "/") || strings.Contains(o.Path, "\\") || path.Clean(p) != p || strings.HasPrefix(p, "../") || p == ".." {
				t.Fatalf("accepted output path %q", o.Path)
			}
		}
	})
}
