package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCodebookCommands(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [\"\"]\n"), 0o644)
	good := filepath.Join(t.TempDir(), "good.yaml")
	os.WriteFile(good, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [kominkan]\n"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"codebook", "validate", bad}, exitUsage, "bad.yaml:5: terms"},
		{[]string{"codebook", "validate", good}, exitOK, "ok"},
		{[]string{"codebook", "validate", filepath.Join(t.TempDir(), "missing.yaml")}, exitUsage, "missing.yaml"},
		{[]string{"codebook", "show", "charter"}, exitOK, "charter.partnerships"},
		{[]string{"codebook", "show", "nosuch"}, exitUsage, "nosuch"},
		{[]string{"codebook", "list"}, exitOK, "keyfeatures"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := lcity(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.msg) {
				t.Errorf("lcity %v = exit %d, %q%q; want exit %d mentioning %q", tt.args, code, stdout, stderr, tt.code, tt.msg)
			}
		})
	}
}
