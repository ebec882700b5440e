package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/qdpx"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// ImportUnmappedFile is the workspace file that lists what `lcity import`
// could not map (see ImportResult.Unmapped).
const ImportUnmappedFile = "import_unmapped.csv"

// ImportRequestPrefix starts the request ID of every decision an import
// records: the rest is a hash of the decision's content, so importing the
// same coding again records nothing new.
const ImportRequestPrefix = "qdpx:"

// ErrNotImported reports that an import recorded what it could, but some
// codings of the project could not be mapped onto the workspace; each is a
// row of import_unmapped.csv.
var ErrNotImported = errors.New("some codings were not imported")

// ImportOptions configure Import.
type ImportOptions struct {
	// Coder is the name the decisions are recorded under.
	Coder string
	// User, when set, imports only the codings the project says this user
	// made (its User name, id or GUID; a coding without a creatingUser
	// takes its selection's).
	User string
	// Limits bound what is decompressed (zero: qdpx.DefaultLimits).
	Limits qdpx.Limits
}

// ImportResult says what an import did.
type ImportResult struct {
	File    string         `json:"file"`
	Coder   string         `json:"coder"`
	Origin  string         `json:"origin"`
	Sources []ImportSource `json:"sources"`
	// Codings is the number of codings in the project (each Coding of a
	// selection or a source), OtherUsers those left out by User.
	Codings    int `json:"codings"`
	OtherUsers int `json:"other_users"`
	// Mapped is the codings mapped onto passages; Decisions the decisions
	// they make (one per passage a selection overlaps), New those not
	// recorded by an earlier import.
	Mapped    int `json:"mapped"`
	Decisions int `json:"decisions"`
	New       int `json:"new"`
	// Unmapped lists every coding (and every source without codings) that
	// did not map, in project order.
	Unmapped []Unmapped `json:"unmapped"`
}

// ImportSource is one text source of the project and the document it
// matched ("" when none).
type ImportSource struct {
	GUID     string `json:"guid"`
	Name     string `json:"name"`
	Document string `json:"document"`
	Match    string `json:"match"` // exact, whitespace, or "" (unmatched)
	Codings  int    `json:"codings"`
	Mapped   int    `json:"mapped"`
}

// Reasons a coding is not imported.
const (
	ReasonSourceUnmatched  = "source-unmatched"    // no document has the source's text
	ReasonSourceUnreadable = "source-unreadable"   // the source's text is missing, not UTF-8, or not text at all
	ReasonBadOffsets       = "bad-offsets"         // positions that are not numbers, reversed, or past the text's end
	ReasonOutsidePassages  = "outside-passages"    // the selection covers no passage's text (only headers, white space …)
	ReasonUnknownCode      = "unknown-code"        // no code of the workspace's codebooks has its GUID, ID or label
	ReasonAmbiguousCode    = "ambiguous-code"      // its label names codes of several codebooks
	ReasonNotCodable       = "not-codable"         // it names a codebook or a group, which lcity does not code
	ReasonWholeSource      = "whole-source-coding" // the coding is on a whole source; lcity codes passages
	ReasonInvalid          = "invalid"             // the decision it makes is refused by the review store
)

// Unmapped is a coding of the project that was not imported, or a source
// that matched no document (then Selection and Code are empty).
type Unmapped struct {
	Coder      string `json:"coder"`
	File       string `json:"file"`
	Source     string `json:"source"`
	SourceGUID string `json:"source_guid"`
	Selection  string `json:"selection_guid"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Code       string `json:"code"`
	CodeGUID   string `json:"code_guid"`
	Reason     string `json:"reason"`
	Detail     string `json:"detail"`

	source int // index of the source in the project, for project order
	lost   int // codings the row stands for
}

var unmappedHeader = []string{"coder", "file", "source", "source_guid", "selection_guid", "start", "end", "code", "code_guid", "reason", "detail"}

func (u Unmapped) row() []string {
	return []string{u.Coder, u.File, u.Source, u.SourceGUID, u.Selection, u.Start, u.End, u.Code, u.CodeGUID, u.Reason, u.Detail}
}

// Lost is the number of codings that were not imported (a source without
// codings that matched no document loses none).
func (r *ImportResult) Lost() int {
	n := 0
	for _, u := range r.Unmapped {
		n += u.lost
	}
	return n
}

// Import reads the REFI-QDA project in file and records its codings of
// text as add decisions of opt.Coder in the workspace's review store:
//
//   - Each text source is matched to the document with the same text,
//     exactly, else after qdpx.Normalise (white space); a source that
//     matches none, or several, is reported with its codings.
//   - A PlainTextSelection counts code points of the source's text; it
//     becomes one decision per passage it overlaps, on the whole passage
//     when it covers all of it, else on the span it covers (code points
//     within the passage). The blank lines between passages are not
//     coded.
//   - A Coding's CodeRef is the lcity code whose export GUID it is, else
//     the code whose ID is the project code's name or starts its
//     description, else the codable code whose label is its name (case
//     and spacing ignored; among codebooks, the one named by an ancestor).
//   - The selection's and coding's notes, and the selection's description
//     (but for lcity's own exports, where it lists the matched terms),
//     become the decision's memo.
//   - Each decision's request ID is ImportRequestPrefix and a hash of its
//     coder, passage, code, span and memo, so a second import of the same
//     file records nothing new.
//
// Codings that do not map are listed in the result and in
// import_unmapped.csv (which keeps the rows of other files and coders);
// when there are any, Import returns the result with an error wrapping
// ErrNotImported. A file that is not a readable project is the user's
// error. Import holds the workspace's Shared lock: it writes only the
// review store (whose own locks order writers) and its report.
func Import(ctx context.Context, out, file string, opt ImportOptions) (*ImportResult, error) {
	if err := (review.Decision{Coder: opt.Coder, PassageID: "p", CodeID: "c", Action: review.Add}).Validate(); err != nil {
		return nil, Usagef("--coder: %v", err)
	}
	lim := opt.Limits
	if lim == (qdpx.Limits{}) {
		lim = qdpx.DefaultLimits
	}
	proj, err := readProject(file, lim)
	if err != nil {
		return nil, err
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if err := checkStages(out, m, workspace.StageIngest); err != nil {
		return nil, err
	}
	cbs, err := workspace.RecordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	if len(cbs) == 0 {
		return nil, Usagef("%s has no codebooks to map the project's codes onto (run lcity code or lcity run first)", out)
	}
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil {
		return nil, notWorkspace(out, err)
	}
	im := &importer{out: out, file: file, opt: opt, proj: proj, codes: newCodeIndex(cbs),
		res: &ImportResult{File: file, Coder: opt.Coder, Origin: proj.Origin}}
	if err := im.matchSources(docs); err != nil {
		return nil, err
	}
	if err := im.readPassages(m); err != nil {
		return nil, err
	}
	if err := im.mapCodings(); err != nil {
		return nil, err
	}
	if err := im.record(ctx); err != nil {
		return nil, err
	}
	slices.SortStableFunc(im.res.Unmapped, func(a, b Unmapped) int { return cmp.Compare(a.source, b.source) })
	if err := writeUnmapped(out, file, opt.Coder, im.res.Unmapped); err != nil {
		return nil, err
	}
	if n := im.res.Lost(); n > 0 {
		return im.res, fmt.Errorf("%d of %d codings of %s were not imported; see %s: %w", n, im.res.Codings, file,
			filepath.Join(out, ImportUnmappedFile), ErrNotImported)
	}
	return im.res, nil
}

func readProject(file string, lim qdpx.Limits) (*qdpx.Project, error) {
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Usagef("import %s: %w", file, err)
		}
		return nil, fmt.Errorf("import %s: %w", file, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", file, err)
	}
	if fi.IsDir() {
		return nil, Usagef("import %s: a folder, want a .qdpx file", file)
	}
	p, err := qdpx.Read(f, fi.Size(), lim)
	if err != nil {
		if errors.Is(err, qdpx.ErrFormat) {
			return nil, Usagef("import %s: %w", file, err)
		}
		return nil, fmt.Errorf("import %s: %w", file, err)
	}
	return p, nil
}

type importer struct {
	out, file string
	opt       ImportOptions
	proj      *qdpx.Project
	codes     *codeIndex
	res       *ImportResult
	// per source index: the matched document and how.
	docOf   []string
	matchOf []qdpx.Match
	cur     int // the source being read
	// passages of the matched documents, by document, in text order.
	passages  map[string][]corpus.Passage
	decisions []review.Decision
}

// matchSources finds each source's document by the SHA-256 of its text,
// reading one document text at a time.
func (im *importer) matchSources(docs []corpus.Document) error {
	exact, norm := map[[32]byte][]string{}, map[[32]byte][]string{}
	byID := map[string]bool{}
	for _, d := range docs {
		raw, err := os.ReadFile(filepath.Join(im.out, filepath.FromSlash(workspace.TextFile(d.ID))))
		if err != nil {
			return notWorkspace(im.out, err)
		}
		text := string(raw)
		exact[qdpx.Key(text)] = append(exact[qdpx.Key(text)], d.ID)
		nk := qdpx.Key(qdpx.Normalise(text))
		norm[nk] = append(norm[nk], d.ID)
		byID[d.ID] = true
	}
	im.docOf = make([]string, len(im.proj.Sources))
	im.matchOf = make([]qdpx.Match, len(im.proj.Sources))
	for i, s := range im.proj.Sources {
		im.cur = i
		is := ImportSource{GUID: s.GUID, Name: s.Name}
		var reason, detail string
		switch {
		case s.TextErr != nil:
			reason, detail = ReasonSourceUnreadable, s.Kind+": "+s.TextErr.Error()
		default:
			ids, how := exact[qdpx.Key(s.Text)], qdpx.Exact
			if len(ids) == 0 {
				ids, how = norm[qdpx.Key(qdpx.Normalise(s.Text))], qdpx.Whitespace
			}
			switch len(ids) {
			case 1:
				im.docOf[i], im.matchOf[i] = ids[0], how
				is.Document, is.Match = ids[0], string(how)
			case 0:
				reason = ReasonSourceUnmatched
				detail = fmt.Sprintf("no document has its text (%d characters), exactly or up to white space", utf8.RuneCountInString(s.Text))
				if byID[strings.TrimSuffix(s.Name, ".txt")] {
					detail += fmt.Sprintf("; document %s has its name but another text", strings.TrimSuffix(s.Name, ".txt"))
				}
			default:
				reason, detail = ReasonSourceUnmatched, "documents "+strings.Join(ids, ", ")+" all have its text"
			}
		}
		for _, sel := range s.Selections {
			is.Codings += len(sel.Codings)
		}
		is.Codings += len(s.Codings) + s.Other
		if reason != "" {
			im.unmappedSource(s, reason, detail, is.Codings)
		}
		im.res.Sources = append(im.res.Sources, is)
	}
	return nil
}

// unmappedSource reports every coding of a source that cannot be used
// (one row for a source without codings).
func (im *importer) unmappedSource(s qdpx.Source, reason, detail string, codings int) {
	if codings == 0 {
		im.unmapped(s, nil, qdpx.Coding{}, reason, detail)
		im.res.Unmapped[len(im.res.Unmapped)-1].lost = 0
		return
	}
	for _, sel := range s.Selections {
		for _, c := range sel.Codings {
			if im.byUser(sel, c) {
				im.unmapped(s, &sel, c, reason, detail)
			}
		}
	}
	for _, c := range s.Codings {
		if im.byUser(qdpx.Selection{}, c) {
			im.unmapped(s, nil, c, reason, detail)
		}
	}
	im.unmappedOther(s, reason, fmt.Sprintf("%s; %d codings of pictures, audio, video or PDF areas", detail, s.Other))
}

func (im *importer) unmapped(s qdpx.Source, sel *qdpx.Selection, c qdpx.Coding, reason, detail string) {
	u := Unmapped{Coder: im.opt.Coder, File: im.file, Source: s.Name, SourceGUID: s.GUID, CodeGUID: c.Code, Reason: reason, Detail: detail, source: im.cur}
	if sel != nil {
		u.Selection = sel.GUID
		if sel.Err == nil {
			u.Start, u.End = strconv.Itoa(sel.Start), strconv.Itoa(sel.End)
		}
	}
	u.lost = 1 // a source's row without codings sets 0, a row of pictures' codings their number
	if c.Code != "" {
		u.Code = strings.Join(im.proj.Path(c.Code), " / ")
	}
	im.res.Unmapped = append(im.res.Unmapped, u)
}

// unmappedOther reports the codings of a source's pictures, audio, video
// or PDF areas, which lcity cannot map, as one row.
func (im *importer) unmappedOther(s qdpx.Source, reason, detail string) {
	if s.Other == 0 {
		return
	}
	im.res.Codings += s.Other
	im.unmapped(s, nil, qdpx.Coding{}, reason, detail)
	im.res.Unmapped[len(im.res.Unmapped)-1].lost = s.Other
}

// byUser reports whether a coding is one of opt.User's (always, without
// opt.User), and counts it.
func (im *importer) byUser(sel qdpx.Selection, c qdpx.Coding) bool {
	im.res.Codings++
	if im.opt.User == "" {
		return true
	}
	g := c.User
	if g == "" {
		g = sel.User
	}
	u, ok := im.proj.Users[g]
	want := im.opt.User
	if g != "" && (g == qdpx.NormGUID(want) || (ok && (u.Name == want || (u.ID != "" && u.ID == want)))) {
		return true
	}
	im.res.Codings--
	im.res.OtherUsers++
	return false
}

// readPassages keeps the passages of the matched documents, without text.
func (im *importer) readPassages(m *workspace.Manifest) error {
	want := map[string]bool{}
	for _, d := range im.docOf {
		if d != "" {
			want[d] = true
		}
	}
	im.passages = map[string][]corpus.Passage{}
	err := scan(im.out, m, false, func(p corpus.Passage, _ []corpus.Coding) error {
		if want[p.DocID] {
			p.Text, p.Sentences = "", nil
			im.passages[p.DocID] = append(im.passages[p.DocID], p)
		}
		return nil
	})
	for _, ps := range im.passages {
		slices.SortFunc(ps, func(a, b corpus.Passage) int { return cmp.Compare(a.Start, b.Start) })
	}
	return err
}

// mapCodings turns the matched sources' codings into decisions, one
// document at a time.
func (im *importer) mapCodings() error {
	texts := map[string]string{}
	for i, s := range im.proj.Sources {
		doc := im.docOf[i]
		if doc == "" {
			continue
		}
		im.cur = i
		text, ok := texts[doc]
		if !ok {
			raw, err := os.ReadFile(filepath.Join(im.out, filepath.FromSlash(workspace.TextFile(doc))))
			if err != nil {
				return err
			}
			clear(texts) // one document text at a time (sources of a document usually follow each other)
			text = string(raw)
			texts[doc] = text
		}
		al := qdpx.Align(s.Text, text, im.matchOf[i])
		if al == nil {
			return fmt.Errorf("import: source %s no longer aligns with document %s", s.GUID, doc)
		}
		is := &im.res.Sources[i]
		for _, c := range s.Codings {
			if im.byUser(qdpx.Selection{}, c) {
				im.unmapped(s, nil, c, ReasonWholeSource, "coded the whole source "+s.Name+"; lcity records codings of passages: select the text in the other tool")
			}
		}
		im.unmappedOther(s, ReasonSourceUnreadable, fmt.Sprintf("%d codings of PDF page areas (not text)", s.Other))
		for si := range s.Selections {
			sel := &s.Selections[si]
			for _, c := range sel.Codings {
				if !im.byUser(*sel, c) {
					continue
				}
				if im.mapCoding(s, sel, c, al, text, doc) {
					is.Mapped++
					im.res.Mapped++
				}
			}
		}
	}
	return nil
}

func (im *importer) mapCoding(s qdpx.Source, sel *qdpx.Selection, c qdpx.Coding, al *qdpx.Aligner, text, doc string) bool {
	if sel.Err != nil {
		im.unmapped(s, sel, c, ReasonBadOffsets, sel.Err.Error())
		return false
	}
	if sel.End > al.Len() {
		detail := fmt.Sprintf("endPosition %d is past the end of the source's %d characters", sel.End, al.Len())
		if n := utf16Len(s.Text); sel.End <= n {
			detail += fmt.Sprintf(" but within its %d UTF-16 units: the tool seems to count UTF-16 units, not code points as REFI-QDA says", n)
		}
		im.unmapped(s, sel, c, ReasonBadOffsets, detail)
		return false
	}
	code, reason, detail := im.codes.resolve(im.proj, c.Code)
	if reason != "" {
		im.unmapped(s, sel, c, reason, detail)
		return false
	}
	from, to, ok := al.Bytes(sel.Start, sel.End)
	var parts []review.Decision
	if ok {
		memo := im.memo(sel, c)
		// Passages are in text order and do not overlap: start at the
		// first one ending after the selection's start.
		ps := im.passages[doc]
		first, _ := slices.BinarySearchFunc(ps, from, func(p corpus.Passage, at int) int { return cmp.Compare(p.End, at+1) })
		for _, p := range ps[first:] {
			if p.Start >= to {
				break
			}
			lo, hi := max(from, p.Start), min(to, p.End)
			if lo >= hi {
				continue
			}
			d := review.Decision{Coder: im.opt.Coder, PassageID: p.ID, CodeID: code, Action: review.Add, Memo: memo}
			if lo != p.Start || hi != p.End {
				start := utf8.RuneCountInString(text[p.Start:lo])
				d.Span = &review.Span{Start: start, End: start + utf8.RuneCountInString(text[lo:hi])}
			}
			d.RequestID = requestID(d)
			if err := d.Validate(); err != nil {
				im.unmapped(s, sel, c, ReasonInvalid, err.Error())
				return false
			}
			parts = append(parts, d)
		}
	}
	if len(parts) == 0 {
		im.unmapped(s, sel, c, ReasonOutsidePassages, fmt.Sprintf("characters %d-%d of the source are in no passage of %s", sel.Start, sel.End, doc))
		return false
	}
	im.decisions = append(im.decisions, parts...)
	return true
}

// memo is the text of the selection's and coding's notes and the
// selection's description (lcity's own export describes its matches
// there, which is not a memo), cut to the review store's limit.
func (im *importer) memo(sel *qdpx.Selection, c qdpx.Coding) string {
	var parts []string
	if d := strings.TrimSpace(sel.Description); d != "" && !strings.HasPrefix(im.proj.Origin, "lcity") {
		parts = append(parts, d)
	}
	for _, g := range append(slices.Clone(sel.Notes), c.Notes...) {
		if n := strings.TrimSpace(im.proj.Notes[g]); n != "" && !slices.Contains(parts, n) {
			parts = append(parts, n)
		}
	}
	memo := strings.ToValidUTF8(strings.Join(parts, "\n\n"), "\uFFFD")
	if len(memo) > review.MaxMemoBytes {
		cut := review.MaxMemoBytes
		for cut > 0 && !utf8.RuneStart(memo[cut]) {
			cut--
		}
		memo = memo[:cut]
	}
	return memo
}

// requestID is the import's request ID of a decision: a hash of its
// content, so the same coding imported again is the same request.
func requestID(d review.Decision) string {
	h := sha256.New()
	span := "whole"
	if d.Span != nil {
		span = fmt.Sprintf("%d-%d", d.Span.Start, d.Span.End)
	}
	for _, f := range []string{d.Coder, d.PassageID, d.CodeID, string(d.Action), span, d.Memo} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return ImportRequestPrefix + hex.EncodeToString(h.Sum(nil)[:20])
}

// record writes the decisions to the review store.
func (im *importer) record(ctx context.Context) error {
	s, err := review.Open(filepath.Join(im.out, review.FileName))
	if err != nil {
		return err
	}
	defer s.Close()
	log, err := s.Decisions(ctx)
	if err != nil {
		return err
	}
	var last int64
	if len(log) > 0 {
		last = log[len(log)-1].Seq
	}
	seen := map[string]bool{}
	for _, d := range im.decisions {
		if seen[d.RequestID] {
			continue // the same decision from another coding (overlapping selections)
		}
		seen[d.RequestID] = true
		got, err := s.Record(ctx, d)
		if err != nil {
			return fmt.Errorf("import %s: %w", im.file, err)
		}
		im.res.Decisions++
		if got.Seq > last {
			im.res.New++
		}
	}
	return nil
}

// writeUnmapped rewrites import_unmapped.csv with rows, keeping the rows
// of earlier imports of other files or by other coders.
func writeUnmapped(out, file, coder string, rows []Unmapped) error {
	name := filepath.Join(out, ImportUnmappedFile)
	var keep [][]string
	if b, err := os.ReadFile(name); err == nil {
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err == nil && len(recs) > 0 && slices.Equal(recs[0], unmappedHeader) {
			for _, r := range recs[1:] {
				if r[0] != coder || r[1] != file {
					keep = append(keep, r)
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, u := range rows {
		keep = append(keep, u.row())
	}
	if len(keep) == 0 {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	// Rows of one import stay in project order; imports are ordered by
	// coder and file.
	slices.SortStableFunc(keep, func(a, b []string) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	_, err := workspace.WriteFile(name, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(unmappedHeader)
		cw.WriteAll(keep)
		return cw.Error()
	})
	return err
}

// codeIndex resolves a project's codes to lcity code IDs.
type codeIndex struct {
	byGUID   map[string]corpus.Code // export GUIDs of codes and groups
	books    map[string]*coding.Codebook
	bookGUID map[string]string
	byID     map[string]corpus.Code
	byLabel  map[string][]corpus.Code // codable codes by folded label
}

func fold(s string) string { return strings.ToLower(qdpx.Normalise(s)) }

func newCodeIndex(cbs []*coding.Codebook) *codeIndex {
	ix := &codeIndex{byGUID: map[string]corpus.Code{}, books: map[string]*coding.Codebook{}, bookGUID: map[string]string{},
		byID: map[string]corpus.Code{}, byLabel: map[string][]corpus.Code{}}
	for _, cb := range cbs {
		ix.books[cb.Name] = cb
		ix.bookGUID[export.GUID("codebook:"+cb.Name)] = cb.Name
		for _, c := range cb.Codes {
			if c.Codebook == "" {
				c.Codebook = cb.Name
			}
			ix.byGUID[export.GUID("code:"+c.ID)] = c
			ix.byID[c.ID] = c
			if !c.Group {
				ix.byLabel[fold(c.Label)] = append(ix.byLabel[fold(c.Label)], c)
			}
		}
	}
	return ix
}

// resolve returns the lcity code ID of the project code guid, or the
// reason it has none.
func (ix *codeIndex) resolve(p *qdpx.Project, guid string) (id, reason, detail string) {
	codable := func(c corpus.Code) (string, string, string) {
		if c.Group {
			return "", ReasonNotCodable, fmt.Sprintf("%s is a group of codes; lcity codes passages with its codes", c.ID)
		}
		return c.ID, "", ""
	}
	if c, ok := ix.byGUID[guid]; ok {
		return codable(c)
	}
	if name, ok := ix.bookGUID[guid]; ok {
		return "", ReasonNotCodable, "the codebook " + name + " itself"
	}
	pc, ok := p.Codes[guid]
	if !ok {
		return "", ReasonUnknownCode, fmt.Sprintf("CodeRef %s is not a code of the project's codebook", guid)
	}
	if c, ok := ix.byID[strings.TrimSpace(pc.Name)]; ok {
		return codable(c)
	}
	if first, _, _ := strings.Cut(strings.TrimSpace(pc.Description), ":"); first != "" {
		if c, ok := ix.byID[first]; ok {
			return codable(c)
		}
	}
	cands := ix.byLabel[fold(pc.Name)]
	if len(cands) > 1 {
		// An ancestor named after a codebook (lcity's export names the top
		// codes "name: title") settles it.
		var in []corpus.Code
		path := p.Path(guid)
		for _, c := range cands {
			cb := ix.books[c.Codebook]
			for _, a := range path[:len(path)-1] {
				fa := fold(a)
				if cb != nil && (fa == fold(cb.Name) || strings.HasPrefix(fa, fold(cb.Name)+":") || (cb.Title != "" && fa == fold(cb.Title))) {
					in = append(in, c)
					break
				}
			}
		}
		cands = in
		if len(cands) != 1 {
			var ids []string
			for _, c := range ix.byLabel[fold(pc.Name)] {
				ids = append(ids, c.ID)
			}
			return "", ReasonAmbiguousCode, fmt.Sprintf("%q is the label of %s; put it under a code named after its codebook", pc.Name, strings.Join(ids, ", "))
		}
	}
	if len(cands) == 1 {
		return cands[0].ID, "", ""
	}
	if !pc.Codable {
		return "", ReasonNotCodable, fmt.Sprintf("%q is not codable in the project", pc.Name)
	}
	return "", ReasonUnknownCode, fmt.Sprintf("no code of the workspace's codebooks has the GUID, ID or label %q", pc.Name)
}

// utf16Len is the length of text in UTF-16 code units.
func utf16Len(text string) int {
	n := 0
	for _, r := range text {
		n += utf16.RuneLen(r)
	}
	return n
}
