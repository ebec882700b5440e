package pipeline

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Diff is what changed from workspace A to workspace B.
type Diff struct {
	A, B      string   `json:"-"`
	Settings  []string `json:"settings"`
	Codebooks []string `json:"codebooks"`
	// Integrity lists outputs of either workspace whose bytes are not the
	// ones its run.json records (the same check as run and verify make).
	Integrity []string `json:"integrity"`
	// Outputs lists the outputs whose bytes differ between A and B, or
	// that only one of them has.
	Outputs []string `json:"outputs"`
	// Passages compares the passages by ID, which follows a passage's
	// text and not its position (corpus.PassageIDs).
	Passages PassageDiff     `json:"passages"`
	Codings  []CodeDiff      `json:"codings"`
	Profiles []ValueDiff     `json:"profiles"`
	Similar  []ValueDiff     `json:"similarity"`
	Verdicts []VerdictChange `json:"contrast_verdicts"`
}

// Empty reports whether the workspaces do not differ at all.
func (d *Diff) Empty() bool {
	return len(d.Settings)+len(d.Codebooks)+len(d.Integrity)+len(d.Outputs)+len(d.Codings)+len(d.Profiles)+len(d.Similar)+len(d.Verdicts) == 0 &&
		d.Passages.Empty()
}

// PassageDiff is what changed among the passages. Passages are matched by
// ID, so a passage whose text is unchanged (up to white space, hyphenation
// and the other differences corpus.IdentityText ignores) is the same
// passage wherever it now stands; an inserted passage is one added
// passage, and the others keep their IDs. A passage of A and one of B of
// the same document that stand between the same unchanged neighbours are
// paired as Changed (its text was edited, so its ID changed); the rest
// are Added or Removed.
type PassageDiff struct {
	// Same is the number of passages in both.
	// Added, Removed and Changed are in reading order: by document ID,
	// then by position in the document.
	Same    int             `json:"same"`
	Added   []string        `json:"added"`   // in B only
	Removed []string        `json:"removed"` // in A only
	Changed []PassageChange `json:"changed"`
}

// PassageChange is a passage whose text changed: its ID in A and in B.
type PassageChange struct {
	A string `json:"a"`
	B string `json:"b"`
}

// Empty reports whether no passage was added, removed or changed.
func (p PassageDiff) Empty() bool { return len(p.Added)+len(p.Removed)+len(p.Changed) == 0 }

// CodeDiff is the passages a code gained and lost.
type CodeDiff struct {
	CodeID  string   `json:"code_id"`
	Added   []string `json:"added"`   // passages coded in B, not in A
	Removed []string `json:"removed"` // passages coded in A, not in B
}

// ValueDiff is a number that moved; a nil side is missing (or NA).
type ValueDiff struct {
	Key string   `json:"key"`
	A   *float64 `json:"a"`
	B   *float64 `json:"b"`
}

// VerdictChange is a contrast whose verdict at alpha flipped.
type VerdictChange struct {
	CodeID string  `json:"code_id"`
	PAdjA  float64 `json:"p_adj_a"`
	PAdjB  float64 `json:"p_adj_b"`
	Now    string  `json:"now"`
}

// DiffOptions set what counts as a change.
type DiffOptions struct {
	// Tolerance is the smallest change of a profile value or similarity
	// reported.
	Tolerance float64
	// Alpha is the significance level of the contrast verdicts.
	Alpha float64
}

// DiffWorkspaces compares two workspaces, holding the Shared lock of each.
func DiffWorkspaces(a, b string, opt DiffOptions) (*Diff, error) {
	d := &Diff{A: a, B: b, Settings: []string{}, Codebooks: []string{}, Integrity: []string{}, Outputs: []string{},
		Codings: []CodeDiff{}, Profiles: []ValueDiff{}, Similar: []ValueDiff{}, Verdicts: []VerdictChange{}}
	for _, dir := range []string{a, b} {
		l, err := openReader(dir, 0)
		if err != nil {
			return nil, err
		}
		defer l.Release()
	}
	ma, err := readManifest(a)
	if err != nil {
		return nil, err
	}
	mb, err := readManifest(b)
	if err != nil {
		return nil, err
	}
	sa, _ := json.Marshal(ma.Settings)
	sb, _ := json.Marshal(mb.Settings)
	var fa, fb map[string]any
	json.Unmarshal(sa, &fa)
	json.Unmarshal(sb, &fb)
	for _, k := range unionKeys(fa, fb) {
		x, _ := json.Marshal(fa[k])
		y, _ := json.Marshal(fb[k])
		if string(x) != string(y) {
			d.Settings = append(d.Settings, fmt.Sprintf("%s: %s → %s", k, x, y))
		}
	}
	cba, cbb := map[string]string{}, map[string]string{}
	for _, c := range ma.Codebooks {
		cba[c.Name] = c.SHA256
	}
	for _, c := range mb.Codebooks {
		cbb[c.Name] = c.SHA256
	}
	for _, n := range unionKeys(cba, cbb) {
		switch x, y := cba[n], cbb[n]; {
		case x == "":
			d.Codebooks = append(d.Codebooks, n+": added")
		case y == "":
			d.Codebooks = append(d.Codebooks, n+": removed")
		case x != y:
			d.Codebooks = append(d.Codebooks, fmt.Sprintf("%s: changed (%s → %s)", n, workspace.Short(x), workspace.Short(y)))
		}
	}
	// Outputs: each side against its record, then A's bytes against B's.
	now := [2]map[string]string{}
	for i, side := range []struct {
		name string
		dir  string
		m    *workspace.Manifest
	}{{"A", a, ma}, {"B", b, mb}} {
		bad, err := side.m.Check(side.dir)
		if err != nil {
			return nil, err
		}
		for _, x := range bad {
			d.Integrity = append(d.Integrity, fmt.Sprintf("%s: %s", side.name, x))
		}
		if now[i], err = currentHashes(side.dir, side.m); err != nil {
			return nil, err
		}
	}
	for _, p := range unionKeys(now[0], now[1]) {
		x, okA := now[0][p]
		y, okB := now[1][p]
		switch {
		case !okB:
			d.Outputs = append(d.Outputs, p+": only in A")
		case !okA:
			d.Outputs = append(d.Outputs, p+": only in B")
		case x != y:
			d.Outputs = append(d.Outputs, fmt.Sprintf("%s: differs (%s → %s)", p, workspace.Short(x), workspace.Short(y)))
		}
	}
	// A file that cannot be read (a CSV broken by hand) is reported and
	// compared as empty.
	readable := func(side, rel string, err error) {
		if err != nil {
			d.Integrity = append(d.Integrity, fmt.Sprintf("%s: %s cannot be read: %v", side, rel, err))
		}
	}
	// Passages by identity.
	pa, err := passageOrder(a)
	readable("A", workspace.PassagesFile, err)
	pb, err := passageOrder(b)
	readable("B", workspace.PassagesFile, err)
	d.Passages = diffPassages(pa, pb)
	// Codings per code.
	ca, err := codingSet(a)
	readable("A", workspace.CodingsFile, err)
	cb, err := codingSet(b)
	readable("B", workspace.CodingsFile, err)
	for _, code := range unionKeys(ca, cb) {
		cd := CodeDiff{CodeID: code, Added: []string{}, Removed: []string{}}
		for p := range cb[code] {
			if !ca[code][p] {
				cd.Added = append(cd.Added, p)
			}
		}
		for p := range ca[code] {
			if !cb[code][p] {
				cd.Removed = append(cd.Removed, p)
			}
		}
		if len(cd.Added)+len(cd.Removed) > 0 {
			sort.Strings(cd.Added)
			sort.Strings(cd.Removed)
			d.Codings = append(d.Codings, cd)
		}
	}
	// Profiles and similarity.
	ra, err := tidyValues(filepath.Join(a, workspace.ProfilesFile), []string{"city", "code_id"}, "rate_per_1k_words")
	readable("A", workspace.ProfilesFile, err)
	rb, err := tidyValues(filepath.Join(b, workspace.ProfilesFile), []string{"city", "code_id"}, "rate_per_1k_words")
	readable("B", workspace.ProfilesFile, err)
	d.Profiles = changed(ra, rb, opt.Tolerance)
	xa, err := matrixValues(filepath.Join(a, workspace.SimilarityFile))
	readable("A", workspace.SimilarityFile, err)
	xb, err := matrixValues(filepath.Join(b, workspace.SimilarityFile))
	readable("B", workspace.SimilarityFile, err)
	d.Similar = changed(xa, xb, opt.Tolerance)
	// Contrast verdicts.
	va, err := tidyValues(filepath.Join(a, workspace.ContrastsFile), []string{"code_id"}, "p_adj")
	readable("A", workspace.ContrastsFile, err)
	vb, err := tidyValues(filepath.Join(b, workspace.ContrastsFile), []string{"code_id"}, "p_adj")
	readable("B", workspace.ContrastsFile, err)
	for _, code := range unionKeys(va, vb) {
		x, okA := va[code]
		y, okB := vb[code]
		if !okA || !okB {
			continue
		}
		if (x < opt.Alpha) != (y < opt.Alpha) {
			now := "not significant"
			if y < opt.Alpha {
				now = "significant"
			}
			d.Verdicts = append(d.Verdicts, VerdictChange{CodeID: code, PAdjA: x, PAdjB: y, Now: now})
		}
	}
	return d, nil
}

func readManifest(dir string) (*workspace.Manifest, error) {
	m, err := workspace.ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notWorkspace(dir, err)
	}
	return m, usage(err)
}

// currentHashes are the SHA-256 of a workspace's recorded outputs as they
// are now (missing files left out).
func currentHashes(dir string, m *workspace.Manifest) (map[string]string, error) {
	out := map[string]string{}
	for _, o := range m.Outputs {
		if o.SHA256 == "" {
			continue
		}
		d, err := workspace.HashFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[o.Path] = d.SHA256
	}
	return out, nil
}

// passageOrder returns each document's passage IDs in reading order (the
// order of passages.jsonl); a workspace without passages gives none.
func passageOrder(dir string) (map[string][]string, error) {
	out := map[string][]string{}
	_, err := workspace.ScanJSONL(filepath.Join(dir, workspace.PassagesFile), func(p struct {
		ID    string `json:"id"`
		DocID string `json:"doc_id"`
	}) error {
		out[p.DocID] = append(out[p.DocID], p.ID)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return map[string][]string{}, err
	}
	return out, nil
}

// diffPassages matches the passages of A and B by ID, document by
// document, and pairs the unmatched ones that stand after the same
// matched passage (or at the start) of their document, in reading order,
// as changed.
func diffPassages(a, b map[string][]string) PassageDiff {
	d := PassageDiff{Added: []string{}, Removed: []string{}, Changed: []PassageChange{}}
	for _, doc := range unionKeys(a, b) {
		inA, inB := map[string]bool{}, map[string]bool{}
		for _, id := range a[doc] {
			inA[id] = true
		}
		for _, id := range b[doc] {
			inB[id] = true
			if inA[id] {
				d.Same++
			}
		}
		// gaps: the unmatched passages of one side keyed by the matched
		// passage before them ("" at the start of the document).
		gaps := func(ids []string, other map[string]bool) (map[string][]string, []string) {
			out, order := map[string][]string{}, []string{}
			after := ""
			for _, id := range ids {
				if other[id] {
					after = id
					continue
				}
				if _, ok := out[after]; !ok {
					order = append(order, after)
				}
				out[after] = append(out[after], id)
			}
			return out, order
		}
		ga, orderA := gaps(a[doc], inB)
		gb, _ := gaps(b[doc], inA)
		paired := map[string]bool{}
		for _, k := range orderA {
			ra, rb := ga[k], gb[k]
			n := min(len(ra), len(rb))
			for i := range n {
				d.Changed = append(d.Changed, PassageChange{A: ra[i], B: rb[i]})
				paired[rb[i]] = true
			}
			d.Removed = append(d.Removed, ra[n:]...)
		}
		for _, id := range b[doc] {
			if !inA[id] && !paired[id] {
				d.Added = append(d.Added, id)
			}
		}
	}
	return d
}

// codingSet returns code → passages coded with it.
func codingSet(dir string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	_, err := workspace.ScanCodings(filepath.Join(dir, workspace.CodingsFile), func(c corpus.Coding) error {
		if out[c.CodeID] == nil {
			out[c.CodeID] = map[string]bool{}
		}
		out[c.CodeID][c.PassageID] = true
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return map[string]map[string]bool{}, err
	}
	return out, nil
}

// tidyValues reads column value of a CSV keyed by the key columns joined
// with " / "; a missing file gives no values.
func tidyValues(name string, keys []string, value string) (map[string]float64, error) {
	rows, err := readCSVFile(name)
	if err != nil || len(rows) == 0 {
		return map[string]float64{}, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, k := range append(append([]string{}, keys...), value) {
		if _, ok := col[k]; !ok {
			return map[string]float64{}, fmt.Errorf("%s: no column %s", name, k)
		}
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		key := ""
		for i, k := range keys {
			if i > 0 {
				key += " / "
			}
			key += r[col[k]]
		}
		v, err := strconv.ParseFloat(r[col[value]], 64)
		if err != nil {
			v = math.NaN() // "NA"
		}
		out[key] = v
	}
	return out, nil
}

// matrixValues reads similarity.csv as "city A / city B" → cosine, each
// pair once.
func matrixValues(name string) (map[string]float64, error) {
	rows, err := readCSVFile(name)
	if err != nil || len(rows) == 0 {
		return map[string]float64{}, err
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		for j := 1; j < len(r) && j < len(rows[0]); j++ {
			a, b := r[0], rows[0][j]
			if a >= b {
				continue
			}
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				return map[string]float64{}, fmt.Errorf("%s: %v", name, err)
			}
			out[a+" / "+b] = v
		}
	}
	return out, nil
}

func readCSVFile(name string) ([][]string, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

func changed(a, b map[string]float64, tol float64) []ValueDiff {
	out := []ValueDiff{}
	for _, k := range unionKeys(a, b) {
		x, okA := a[k]
		y, okB := b[k]
		if okA && okB && (math.Abs(x-y) <= tol || (math.IsNaN(x) && math.IsNaN(y))) {
			continue
		}
		vd := ValueDiff{Key: k}
		if okA && !math.IsNaN(x) {
			vd.A = &x
		}
		if okB && !math.IsNaN(y) {
			vd.B = &y
		}
		out = append(out, vd)
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
