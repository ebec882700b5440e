package testenv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Module is the module path that marks lcity's root go.mod.
const Module = "github.com/lcity/lcity"

// CI reports whether the tests run under CI: the environment variable CI
// is set to anything but "", "0" or "false" (any case).
func CI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// missing ends the test because something outside the module is absent:
// t.Fatalf under CI, t.Skipf otherwise. what names the thing and where it
// was looked for, how says how to get it.
func missing(t testing.TB, what, how string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s; CI requires it: %s", what, how)
		return
	}
	t.Skipf("%s; skipped (%s)", what, how)
}

// Shared returns the absolute path of ../shared/rel: the folder shared
// beside the module root (the nearest directory above the working
// directory whose go.mod declares github.com/lcity/lcity). When the path
// does not exist, the test fails under CI and is skipped otherwise; the
// message names the path expected.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		missing(t, fmt.Sprintf("shared fixture %s: %v", rel, err), "run the tests inside the lcity module")
		return ""
	}
	p := filepath.Join(filepath.Dir(root), "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		missing(t, fmt.Sprintf("shared fixture %s not found", p),
			"check out the shared fixtures as the folder shared beside the repository")
		return ""
	}
	return p
}

// ModuleRoot returns the directory of lcity's go.mod, found by walking up
// from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modulePath(data) == Module {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod of " + Module + " above the working directory")
		}
		dir = parent
	}
}

// modulePath returns the path of go.mod's module line, or "".
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// Tool returns the path of the named program on PATH. When it is not
// there, the test fails under CI and is skipped otherwise; the message
// names the Debian package that provides it.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" not found on PATH", installHint(debianPackage))
		return ""
	}
	return p
}

// chromiumNames are the names Chromium goes by on PATH, in the order
// Chromium looks for them.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Chromium returns the path of the first of chromium, chromium-browser,
// google-chrome and google-chrome-stable on PATH. When none is there, the
// test fails under CI and is skipped otherwise.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "no Chromium on PATH (looked for "+strings.Join(chromiumNames, ", ")+")", installHint("chromium"))
	return ""
}

func installHint(pkg string) string {
	return "Debian package " + pkg + ": apt-get install " + pkg + "; .ci/run installs it"
}
