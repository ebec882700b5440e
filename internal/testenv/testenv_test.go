package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// missingTool is a program name no system has on PATH.
const missingTool = "lcity-testenv-no-such-tool"

func TestCI(t *testing.T) {
	tests := map[string]bool{
		"":      false,
		"0":     false,
		"false": false,
		"FALSE": false,
		" ":     false,
		"true":  true,
		"1":     true,
		"yes":   true,
	}
	for v, want := range tests {
		t.Setenv("CI", v)
		if got := CI(); got != want {
			t.Errorf("CI=%q: CI() = %v, want %v", v, got, want)
		}
	}
}

// recorder is a testing.TB that records Skipf and Fatalf instead of
// ending the test; everything else goes to the real test.
type recorder struct {
	testing.TB
	skipped, fatal string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
}

func TestMissingSkipsOrFails(t *testing.T) {
	tests := []struct {
		name string
		call func(t *testing.T, tb testing.TB) string
		want string // in the message
	}{
		{"tool", func(_ *testing.T, tb testing.TB) string { return Tool(tb, missingTool, "lcity-pkg") }, "Debian package lcity-pkg"},
		{"shared", func(_ *testing.T, tb testing.TB) string { return Shared(tb, "no-such-fixture/x.pdf") }, filepath.Join("shared", "no-such-fixture", "x.pdf")},
		{"chromium", func(t *testing.T, tb testing.TB) string {
			t.Setenv("PATH", t.TempDir()) // an empty PATH: no browser
			return Chromium(tb)
		}, "Debian package chromium"},
	}
	for _, tt := range tests {
		for _, ci := range []string{"", "true"} {
			t.Run(tt.name+"/CI="+ci, func(t *testing.T) {
				t.Setenv("CI", ci)
				r := &recorder{TB: t}
				if got := tt.call(t, r); got != "" {
					t.Errorf("returned %q for a missing thing", got)
				}
				msg, other := r.skipped, r.fatal
				if ci != "" {
					msg, other = r.fatal, r.skipped
				}
				if msg == "" || other != "" {
					t.Fatalf("skipped %q, fatal %q; want only the %s", r.skipped, r.fatal, map[bool]string{true: "fatal", false: "skip"}[ci != ""])
				}
				if !strings.Contains(msg, tt.want) {
					t.Errorf("message %q does not name %q", msg, tt.want)
				}
			})
		}
	}
}

func TestFound(t *testing.T) {
	r := &recorder{TB: t}
	if p := Tool(r, "go", "golang-go"); p == "" || r.skipped != "" || r.fatal != "" {
		t.Errorf("Tool(go) = %q, skipped %q, fatal %q", p, r.skipped, r.fatal)
	}
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "doc.go")); err != nil {
		t.Errorf("ModuleRoot() = %s, not lcity's root: %v", root, err)
	}
	bin := t.TempDir()
	fake := filepath.Join(bin, "google-chrome")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	if p := Chromium(r); p != fake || r.skipped != "" || r.fatal != "" {
		t.Errorf("Chromium() = %q, want %q (skipped %q, fatal %q)", p, fake, r.skipped, r.fatal)
	}
}

func TestModulePath(t *testing.T) {
	tests := map[string]string{
		"module github.com/lcity/lcity\n\ngo 1.26\n": Module,
		"// x\nmodule \"github.com/lcity/lcity\"\n":  Module,
		"module github.com/lcity/lcity/sub\n":        "github.com/lcity/lcity/sub",
		"go 1.26\n":                                  "",
	}
	for in, want := range tests {
		if got := modulePath([]byte(in)); got != want {
			t.Errorf("modulePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestToolInSubprocess runs a test that asks for a missing tool in a
// child process, to see a real testing.T skip without CI and fail with it.
func TestToolInSubprocess(t *testing.T) {
	if os.Getenv("LCITY_TESTENV_CHILD") == "1" {
		Tool(t, missingTool, "lcity-pkg")
		t.Fatal("Tool returned for a missing tool")
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestToolInSubprocess$", "-test.v")
		cmd.Env = append(os.Environ(), "LCITY_TESTENV_CHILD=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP")):
			t.Errorf("CI unset: err %v, want a skip:\n%s", err, out)
		case ci != "" && (err == nil || !strings.Contains(string(out), "--- FAIL")):
			t.Errorf("CI=%s: err %v, want a failure:\n%s", ci, err, out)
		case !strings.Contains(string(out), "lcity-pkg"):
			t.Errorf("CI=%q: output does not name the package:\n%s", ci, out)
		}
	}
}

func TestFilesAndSameFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"a.txt": "x\ny\n", "sub/b.txt": "b", "skip/c.txt": "c", ".lock": ""} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := Files(t, dir, "skip", ".lock")
	if len(got) != 2 || string(got["a.txt"]) != "x\ny\n" || string(got["sub/b.txt"]) != "b" {
		t.Fatalf("Files = %q, want a.txt and sub/b.txt only", got)
	}
	if !SameFiles(t, got, Files(t, dir, "skip", ".lock"), "first", "second") {
		t.Error("SameFiles of a tree with itself: not the same")
	}
	if d := FirstDiff([]byte("x\ny\n"), []byte("x\nz\n"), "a", "b"); !strings.Contains(d, "line 2:") || !strings.Contains(d, "a: y") || !strings.Contains(d, "b: z") {
		t.Errorf("FirstDiff = %q, want line 2 with both sides", d)
	}
}

// TestCPUTime: CPU time grows with work this process does, and with the
// children it waited for in CPUTimeWithChildren.
func TestCPUTime(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		if _, ok := CPUTime(); ok {
			t.Fatal("CPUTime reports a time where getrusage is missing")
		}
		return
	}
	before, ok := CPUTime()
	if !ok {
		t.Fatal("CPUTime: no CPU time on a Unix system")
	}
	withBefore, _ := CPUTimeWithChildren()
	// Work until the clock moves (its resolution may be a scheduler
	// tick), for at most 10 s of wall time on a busy machine.
	x, after := 1.0, before
	for deadline := time.Now().Add(10 * time.Second); after <= before && time.Now().Before(deadline); after, _ = CPUTime() {
		for i := 0; i < 100000; i++ {
			x = x*1.0000001 + 1e-9
		}
	}
	withAfter, _ := CPUTimeWithChildren()
	if after <= before {
		t.Errorf("CPUTime did not grow in 10 s of work: %v then %v (x=%g)", before, after, x)
	}
	if withAfter < after || withAfter <= withBefore {
		t.Errorf("CPUTimeWithChildren %v then %v, CPUTime %v", withBefore, withAfter, after)
	}
}
