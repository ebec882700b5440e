package workspace

import (
	"bytes"
	"path"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
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

// FuzzParseCodings feeds arbitrary bytes as codings.csv, which people
// edit and other tools write: reading never panics, and a row it accepts
// writes back to a row that reads the same.
func FuzzParseCodings(f *testing.F) {
	f.Add([]byte("passage_id,doc_id,city,region,page,code_id,score,matches,evidence,source,confidence\nx-p0001,x,X,Europe,1,a.b,1,1,t@1:2,both,0.5\n"))
	f.Add([]byte("passage_id,doc_id,city,region,page,code_id,score,matches,evidence\nx-p0001,x,X,Europe,1,a.b,1,1,t@1:2; u@3:4\n"))
	f.Add([]byte("passage_id,code_id\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []corpus.Coding
		if err := scanCodings(bytes.NewReader(data), "codings.csv", func(c corpus.Coding) error {
			got = append(got, c)
			return nil
		}); err != nil {
			return
		}
		var b bytes.Buffer
		if err := WriteCodings(&b, got); err != nil {
			t.Fatal(err)
		}
		var again []corpus.Coding
		if err := scanCodings(&b, "codings.csv", func(c corpus.Coding) error {
			again = append(again, c)
			return nil
		}); err != nil {
			t.Fatalf("rewritten codings do not read: %v", err)
		}
		if len(again) != len(got) {
			t.Fatalf("%d codings read back, want %d", len(again), len(got))
		}
	})
}
