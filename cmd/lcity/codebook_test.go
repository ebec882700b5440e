package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCodebookCommands(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.yaml")
	os.WriteFile(good, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [kominkan]\n"), 0o644)
	checkCommands(t, []commandCase{
		{[]string{"codebook", "validate", badCodebook(t)}, exitUsage, "bad.yaml:5: terms"},
		{[]string{"codebook", "validate", good}, exitOK, "ok"},
		{[]string{"codebook", "validate", filepath.Join(t.TempDir(), "missing.yaml")}, exitUsage, "missing.yaml"},
		{[]string{"codebook", "show", "charter"}, exitOK, "charter.partnerships"},
		{[]string{"codebook", "show", "nosuch"}, exitUsage, "nosuch"},
		{[]string{"codebook", "list"}, exitOK, "keyfeatures"},
	})
}
