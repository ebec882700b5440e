package testenv

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Files reads every file below dir into a map keyed by its slash-separated
// path relative to dir, leaving out the files and folders whose relative
// paths are in skip (a workspace's lock and index, say, which are not
// byte-stable).
func Files(t testing.TB, dir string, skip ...string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for _, s := range skip {
			if rel == s {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// SameFiles reports, as test errors, every path that is in only one of
// want and got and every file whose bytes differ, with the first line
// that differs; wantName and gotName say which side is which. It returns
// whether they were the same.
func SameFiles(t testing.TB, want, got map[string][]byte, wantName, gotName string) bool {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	same := true
	for _, n := range names {
		x, okA := want[n]
		y, okB := got[n]
		switch {
		case !okA:
			t.Errorf("%s: in %s, not in %s", n, gotName, wantName)
		case !okB:
			t.Errorf("%s: in %s, missing from %s", n, wantName, gotName)
		case !bytes.Equal(x, y):
			t.Errorf("%s differs between %s and %s:\n%s", n, wantName, gotName, FirstDiff(x, y, wantName, gotName))
		default:
			continue
		}
		same = false
	}
	return same
}

// FirstDiff describes the first line that differs between a and b, each
// cut at 300 bytes.
func FirstDiff(a, b []byte, aName, bName string) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  %s: %.300s\n  %s: %.300s", i+1, aName, x, bName, y)
		}
	}
	return "(same lines)"
}
