package ingest

import (
	"testing"
)

func TestCFFEncoding(t *testing.T) {
	greek := greekCFF()
	tests := []struct {
		name string
		data []byte
		want map[int]string // nil: no built-in encoding read
	}{
		{"format 0 with a supplement", greek, map[int]string{' ': " ", 'P': "Π", 'Q': "Θ", 'S': "Σ", 'C': "Σ", 'A': "Α"}},
		{"empty", nil, nil},
		{"not CFF", []byte("%!PS-AdobeFont-1.0: Test"), nil},
		{"header only", greek[:4], nil},
		{"cut in the charset", greek[:len(greek)*2/3], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cffEncoding(tt.data)
			if tt.want == nil {
				if got != nil {
					t.Errorf("cffEncoding(%s) = a table, want nil", tt.name)
				}
				return
			}
			if got == nil {
				t.Fatalf("cffEncoding(%s) = nil, want a table", tt.name)
			}
			for code, s := range tt.want {
				if got[code] != s {
					t.Errorf("cffEncoding(%s)[%q] = %q, want %q", tt.name, rune(code), got[code], s)
				}
			}
			if got['B'] != "" {
				t.Errorf("cffEncoding(%s)['B'] = %q, want no text for an unencoded code", tt.name, got['B'])
			}
		})
	}
}

// FuzzCFFEncoding feeds arbitrary font programs to the CFF reader: it
// must not panic, whatever the offsets and counts say.
func FuzzCFFEncoding(f *testing.F) {
	greek := greekCFF()
	f.Add(greek)
	f.Add(greek[:len(greek)/2])
	f.Add([]byte{1, 0, 4, 1, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cffEncoding(data)
	})
}
