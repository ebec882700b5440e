package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// Staging names the writers use: WriteFile's temporary files, the
// pipeline's spools, and the folders an index or the texts are built in
// before they are renamed into place. A run that is killed leaves them.
var (
	tempFileRE = regexp.MustCompile(`^\..+\.tmp[0-9]*$`)
	spoolRE    = regexp.MustCompile(`^\.[a-z]+-[0-9]+\.spool$`)
	stagingDir = map[string]bool{IndexDir + ".tmp": true, IndexDir + ".old": true, TextsDir + ".tmp": true}
)

// SpoolPattern is the os.CreateTemp pattern of the pipeline's spool files
// for name (e.g. "passages"); RemoveLeftovers recognises them.
func SpoolPattern(name string) string { return "." + name + "-*.spool" }

// RemoveLeftovers deletes what a killed writer left in workspace dir:
// temporary files, spools and staging folders, in the workspace and in
// its texts/, codebooks/ and extraction-cache folders. It must only be
// called while holding the Exclusive lock (no other writer can be using
// them then). It returns the paths removed, relative to dir and sorted.
func RemoveLeftovers(dir string) ([]string, error) {
	var removed []string
	var errs []error
	for _, sub := range []string{".", TextsDir, CodebooksDir, filepath.Join(CacheDir, "extract")} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range entries {
			name := e.Name()
			rel := filepath.ToSlash(filepath.Join(sub, name))
			leftover := false
			switch {
			case e.IsDir():
				leftover = sub == "." && stagingDir[name]
			default:
				leftover = tempFileRE.MatchString(name) || (sub == "." && spoolRE.MatchString(name))
			}
			if !leftover {
				continue
			}
			if err := os.RemoveAll(filepath.Join(dir, sub, name)); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, rel)
		}
	}
	sort.Strings(removed)
	return removed, errors.Join(errs...)
}
