package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanDetail(t *testing.T) {
	long := strings.Repeat("x", MaxDetail+10)
	for _, tt := range []struct{ in, want string }{
		{"corrupt or unreadable file: no pages", "corrupt or unreadable file: no pages"},
		{"panic: malformed hex string o b j\n<< /Type /XRef >>\nstream\n\x00\xff\xff\x01>", "panic: malformed hex string o b j << /Type /XRef >> stream \ufffd\ufffd >"},
		{"  lead and  inner  space\t", "lead and inner space"},
		{" lead and trail ", "lead and trail"},
		{"Lárissa: ünïcode stays", "Lárissa: ünïcode stays"},
		{long, long[:MaxDetail] + "…"},
		{"", ""},
	} {
		got := CleanDetail(tt.in)
		if got != tt.want {
			t.Errorf("CleanDetail(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\t\x00") {
			t.Errorf("CleanDetail(%q) = %q: not one line of UTF-8", tt.in, got)
		}
	}
}
