package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	kwtok "github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	"github.com/blevesearch/vellum/regexp"
	"golang.org/x/sync/errgroup"

	"github.com/lcity/lcity/corpus"
)

// DirName is the index folder inside a workspace.
const DirName = "index.bleve"

// BatchSize is the number of passages per Bleve batch. Each batch becomes
// a segment that Bleve merges later, so larger batches mean fewer merges
// but more memory while one is built: on 6,000 sample passages
// (BenchmarkBuild) 1,000 took about 25 % less CPU than 500 and 2,000 little
// less than 1,000, while lcity index on 4,129 generated passages peaked at
// 90–105 MB with 500 (and the old mapping), 108–115 MB with 1,000 and
// 146–166 MB with 2,000.
const BatchSize = 1000

// passageDoc is what is stored in Bleve for one passage. Display fields
// keep their case for facets; the *_key fields are lower-cased for filters.
type passageDoc struct {
	Text    string   `json:"text"`
	DocID   string   `json:"doc_id"`
	City    string   `json:"city"`
	Region  string   `json:"region"`
	Year    string   `json:"year"`
	Section string   `json:"section"`
	Codes   []string `json:"codes"`
	Page    float64  `json:"page"`
	// Start is the passage's byte offset in its document, for listing
	// passages in reading order (not stored).
	Start float64 `json:"start"`

	CityKey    string `json:"city_key"`
	RegionKey  string `json:"region_key"`
	SectionKey string `json:"section_key"`
}

// Mapping returns the index mapping Writer uses, and Document what
// Writer.Add indexes for a passage with its codes: for a tool that indexes
// the same documents with Bleve directly, the yardstick of the indexing
// benchmarks (internal/benchtools barebleve).
func Mapping() (mapping.IndexMapping, error) { return newMapping() }

// Document returns what Writer.Add indexes for p with its codes; see
// Mapping.
func Document(p corpus.Passage, codes []string) any { return newPassageDoc(p, codes) }

// newPassageDoc is what Add indexes for p with its codes (sorted).
func newPassageDoc(p corpus.Passage, codes []string) passageDoc {
	cs := append([]string(nil), codes...)
	sort.Strings(cs)
	d := passageDoc{
		Text: p.Text, DocID: p.DocID, City: p.City, Region: p.Region, Section: p.Section,
		Codes: cs, Page: float64(p.Page), Start: float64(p.Start),
		CityKey: strings.ToLower(p.City), RegionKey: strings.ToLower(p.Region), SectionKey: strings.ToLower(p.Section),
	}
	if p.Year != 0 {
		d.Year = strconv.Itoa(p.Year)
	}
	return d
}

const lowerKeyword = "keyword_lower"

// newMapping analyses and stores each field only as much as a search
// needs:
//
//   - text: the English analyzer, stored with term vectors for the
//     highlighted snippet; no doc values (nothing sorts or facets on it)
//     and no composite _all field (queries without a field go to text,
//     the DefaultField).
//   - doc_id, city, region, year, section, codes: keywords (one term,
//     as written), stored for the hit and with doc values for facets and
//     the reading-order sort by doc_id; no term vectors.
//   - city_key, region_key, section_key: lower-cased keywords for
//     filters, neither stored nor with doc values.
//   - page: a number, stored for the hit and indexed for page:>n queries.
//   - start: a number, not stored, with doc values for the reading-order
//     sort (Bleve keeps doc values only for indexed fields).
//
// The document mapping is not dynamic: a field not listed here is not
// indexed.
func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(lowerKeyword, map[string]any{
		"type":          custom.Name,
		"tokenizer":     kwtok.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentMapping()
	dm.Dynamic = false
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = true
	text.IncludeTermVectors = true
	text.IncludeInAll = false
	text.DocValues = false
	dm.AddFieldMappingsAt("text", text)
	for _, f := range []string{"doc_id", "city", "region", "year", "section", "codes"} {
		k := bleve.NewKeywordFieldMapping()
		k.Store = true
		k.IncludeTermVectors = false
		k.IncludeInAll = false
		k.DocValues = true
		dm.AddFieldMappingsAt(f, k)
	}
	for _, f := range []string{"city_key", "region_key", "section_key"} {
		k := bleve.NewTextFieldMapping()
		k.Analyzer = lowerKeyword
		k.Store = false
		k.IncludeTermVectors = false
		k.IncludeInAll = false
		k.DocValues = false
		dm.AddFieldMappingsAt(f, k)
	}
	page := bleve.NewNumericFieldMapping()
	page.Store = true
	page.IncludeInAll = false
	page.DocValues = false
	dm.AddFieldMappingsAt("page", page)
	start := bleve.NewNumericFieldMapping()
	start.Store = false
	start.IncludeInAll = false
	start.DocValues = true
	dm.AddFieldMappingsAt("start", start)
	im.AddDocumentMapping("passage", dm)
	im.DefaultMapping = dm
	im.DefaultField = "text"
	im.DefaultAnalyzer = en.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// Build indexes passages (with their codes, by passage ID) into a new
// Bleve index at dir, replacing any index there only once the new one is
// complete.
func Build(ctx context.Context, dir string, passages []corpus.Passage, codes map[string][]string) error {
	w, err := NewWriter(dir)
	if err != nil {
		return err
	}
	for _, p := range passages {
		if err := ctx.Err(); err != nil {
			w.Abort()
			return err
		}
		if err := w.Add(p, codes[p.ID]); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Commit()
}

// ShardSize is the number of passages per shard. An index is a set of
// Bleve indexes (shard-0000, shard-0001, … under the index folder) searched
// together through an index alias: the writer closes each shard when it is
// full, so the memory Bleve needs for building (its segment merges touch
// whole segments, and the merged segments' mapped files stay resident) is
// that of one shard, whatever the corpus size. 20,000 rather than 50,000:
// `lcity run` on 100 → 1,600 generated 10-page reports (10,356 → 165,725
// passages) then peaked at 154 → 182 MB instead of 146 → 201 MB, the
// index alone at 144 instead of 158 MB, no more CPU in building, and
// 12–25 % more CPU in a whole `lcity search` over 9 shards instead of 4
// (165,000 passages: 94–99 → 105–114 ms; 167,000 in 400 40-page
// reports: 90–92 → 112–118 ms; each shard is opened and queried).
var ShardSize = 20000

// Writer builds an index passage by passage, in batches of BatchSize,
// into dir.tmp; Commit moves it to dir, Abort removes it. A Writer is not
// safe for concurrent use: the pipeline has one index writer.
type Writer struct {
	dir    string
	m      mapping.IndexMapping
	idx    bleve.Index
	b      *bleve.Batch
	shards int
	n      int // passages in the current shard
}

// NewWriter starts a new index for dir.
func NewWriter(dir string) (*Writer, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, m: m}
	if err := w.openShard(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return w, nil
}

func shardName(i int) string { return fmt.Sprintf("shard-%04d", i) }

func (w *Writer) openShard() error {
	path := filepath.Join(w.dir+".tmp", shardName(w.shards))
	idx, err := bleve.New(path, w.m)
	if err != nil {
		return fmt.Errorf("create index %s: %w", path, err)
	}
	w.idx, w.b, w.n = idx, idx.NewBatch(), 0
	w.shards++
	return nil
}

// closeShard writes the last batch of the current shard and closes it.
func (w *Writer) closeShard() error {
	if w.b.Size() > 0 {
		if err := w.idx.Batch(w.b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		w.b.Reset()
	}
	if err := w.idx.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// Add indexes one passage with its codes.
func (w *Writer) Add(p corpus.Passage, codes []string) error {
	if w.n == ShardSize {
		if err := w.closeShard(); err != nil {
			return err
		}
		if err := w.openShard(); err != nil {
			return err
		}
	}
	w.n++
	if err := w.b.Index(p.ID, newPassageDoc(p, codes)); err != nil {
		return fmt.Errorf("index passage %s: %w", p.ID, err)
	}
	if w.b.Size() >= BatchSize {
		if err := w.idx.Batch(w.b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		w.b.Reset()
	}
	return nil
}

// Abort discards the index being built.
func (w *Writer) Abort() {
	w.idx.Close()
	os.RemoveAll(w.dir + ".tmp")
}

// Commit writes the last batch, closes the index and puts it in place,
// with the permissions of the workspace's other outputs (see setModes).
func (w *Writer) Commit() error {
	tmp := w.dir + ".tmp"
	if err := w.closeShard(); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := setModes(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := w.dir + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(w.dir); err == nil {
		if err := os.Rename(w.dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, w.dir); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// Modes of the index's folders and files: those of every other output of
// a workspace (corpus.WriteFile), where Bleve creates folders 0700 and
// files 0600.
const (
	dirMode  fs.FileMode = 0o755
	fileMode fs.FileMode = 0o644
)

// setModes sets the folders under dir (and dir) to dirMode and the files
// to fileMode. It runs once the shards are closed, before the index is
// renamed into place, so the index never appears with Bleve's modes.
func setModes(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Chmod(p, dirMode)
		case d.Type().IsRegular():
			return os.Chmod(p, fileMode)
		}
		return nil
	})
}

// Index is an open, read-only passage index. It is safe for concurrent use.
type Index struct {
	idx    bleve.Index // the one shard, or an alias over all
	shards []bleve.Index
}

// ErrNoIndex is returned by Open when the workspace has no index.
var ErrNoIndex = errors.New("no index: run `lcity run` or `lcity index` first")

// Open opens the index at dir read-only: its shards searched together
// (or a single Bleve index, as written by lcity before shards).
func Open(dir string) (*Index, error) {
	shards, _ := filepath.Glob(filepath.Join(dir, "shard-*", "index_meta.json"))
	if len(shards) == 0 {
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
			return nil, fmt.Errorf("open %s: %w", dir, ErrNoIndex)
		}
		shards = []string{filepath.Join(dir, "index_meta.json")}
	}
	sort.Strings(shards)
	x := &Index{}
	for _, meta := range shards {
		idx, err := bleve.OpenUsing(filepath.Dir(meta), map[string]any{"read_only": true})
		if err != nil {
			x.Close()
			return nil, fmt.Errorf("open index %s: %w", filepath.Dir(meta), err)
		}
		x.shards = append(x.shards, idx)
	}
	if len(x.shards) == 1 {
		x.idx = x.shards[0]
	} else {
		x.idx = bleve.NewIndexAlias(x.shards...)
	}
	return x, nil
}

// Close closes the index.
func (x *Index) Close() error {
	var errs []error
	for _, s := range x.shards {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// Query is a search: a Bleve query string plus filters on facet fields.
// Filters compare case-insensitively; Code and Year match exactly. A
// query with an empty Q and at least one filter lists every passage the
// filters keep, in reading order (document, then position in it), like a
// code's "retrieved segments" in NVivo or MAXQDA; hits then have no
// snippet.
type Query struct {
	Q       string
	City    string
	Region  string
	Code    string
	Section string
	Year    string
	Limit   int
	From    int
}

// Hit is one passage found.
type Hit struct {
	PassageID string   `json:"passage_id"`
	DocID     string   `json:"doc_id"`
	City      string   `json:"city"`
	Region    string   `json:"region"`
	Year      int      `json:"year,omitempty"`
	Page      int      `json:"page"`
	Section   string   `json:"section"`
	Codes     []string `json:"codes"`
	Score     float64  `json:"score"`
	// Snippet is the best fragment of the passage, HTML-escaped, with the
	// matched terms in <mark>…</mark>.
	Snippet string `json:"snippet"`
}

// FacetCount is a facet value and its number of hits.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Result is a page of hits with the total and facet counts over all hits.
type Result struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
}

// QueryError is a query the parser rejects; it is the user's error.
type QueryError struct {
	Q   string
	Err error
}

func (e *QueryError) Error() string { return fmt.Sprintf("bad query %q: %v", e.Q, e.Err) }
func (e *QueryError) Unwrap() error { return e.Err }

// FacetFields are the fields counted under every search.
var FacetFields = []string{"region", "city", "codes", "section", "year"}

// ParseQuery checks a query string without running it: Bleve's parser,
// then what the parser accepts but the searcher would reject (a /regexp/
// that does not compile, fuzziness above Bleve's maximum) and AND/NOT,
// which are no operators in this syntax.
func ParseQuery(q string) error {
	if strings.TrimSpace(q) == "" {
		return &QueryError{Q: q, Err: errors.New("empty query")}
	}
	parsed, err := bleve.NewQueryStringQuery(quoteHyphenated(q)).Parse()
	if err != nil {
		return &QueryError{Q: q, Err: err}
	}
	if err := checkKeywords(q); err != nil {
		return &QueryError{Q: q, Err: err}
	}
	if err := checkParts(parsed); err != nil {
		return &QueryError{Q: q, Err: err}
	}
	return nil
}

// checkKeywords rejects AND, NOT and NEAR (or NEAR/n, W/n) outside quotes. Bleve's syntax has no
// such operators: it would search for the (stop) word and return the
// union of the other terms, the opposite of what a user of NVivo or a
// library catalogue means. OR is let through: every term is optional by
// default, so "a OR b" already means what it says.
func checkKeywords(q string) error {
	for _, tok := range unquotedTokens(q) {
		switch tok {
		case "AND", "&&":
			return errors.New(tok + " is not an operator in this syntax: mark each required word with + (+kominkan +festival)")
		case "NOT", "!":
			return errors.New(tok + " is not an operator in this syntax: mark each excluded word with - (festival -music)")
		}
		if near, _, _ := strings.Cut(tok, "/"); near == "NEAR" || near == "W" && strings.Contains(tok, "/") {
			return errors.New(tok + " is not an operator in this syntax: search a \"phrase\", require both words (+festival +families), or code by proximity with a codebook NEAR term")
		}
	}
	return nil
}

// unquotedTokens splits q at spaces outside "double quotes" (a backslash
// escapes the next character) and drops the quoted parts.
func unquotedTokens(q string) []string {
	var toks []string
	var cur strings.Builder
	quoted, escaped := false, false
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range q {
		switch {
		case escaped:
			escaped = false
			if !quoted {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
			flush()
		case quoted:
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

// checkParts finds what Bleve's parser accepts but its searcher rejects:
// it compiles the regular expressions the way the index will (vellum's
// automaton, with its size limit) and checks fuzziness against Bleve's
// maximum.
func checkParts(q query.Query) error {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
			if sub != nil {
				if err := checkParts(sub); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			if err := checkParts(sub); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			if err := checkParts(sub); err != nil {
				return err
			}
		}
	case *query.RegexpQuery:
		if _, err := regexp.New(strings.TrimPrefix(q.Regexp, "^")); err != nil {
			return fmt.Errorf("regular expression /%s/: %w", q.Regexp, err)
		}
	case *query.MatchQuery:
		if q.Fuzziness < 0 || q.Fuzziness > searcher.MaxFuzziness {
			return fmt.Errorf("%s~%d: fuzziness must be 0 to %d", q.Match, q.Fuzziness, searcher.MaxFuzziness)
		}
	}
	return nil
}

// Filtered reports whether q has a filter.
func (q Query) Filtered() bool {
	return q.City != "" || q.Region != "" || q.Code != "" || q.Section != "" || q.Year != ""
}

// FilterOnly reports whether q lists the passages its filters keep, in
// reading order, rather than searching for words: Q is empty and a filter
// is set.
func (q Query) FilterOnly() bool {
	return strings.TrimSpace(q.Q) == "" && q.Filtered()
}

// Search runs q. A query the parser rejects (an empty one without a
// filter among them) gives a *QueryError.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	filterOnly := q.FilterOnly()
	var parts []query.Query
	if filterOnly {
		parts = append(parts, bleve.NewMatchAllQuery())
	} else {
		if err := ParseQuery(q.Q); err != nil {
			return nil, err
		}
		parts = append(parts, bleve.NewQueryStringQuery(quoteHyphenated(q.Q)))
	}
	filter := func(field, val string, lower bool) {
		if val == "" {
			return
		}
		if lower {
			val = strings.ToLower(val)
		}
		tq := bleve.NewTermQuery(val)
		tq.SetField(field)
		parts = append(parts, tq)
	}
	filter("city_key", q.City, true)
	filter("region_key", q.Region, true)
	filter("section_key", q.Section, true)
	filter("codes", q.Code, false)
	filter("year", q.Year, false)
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	if limit > 1000 {
		limit = 1000
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), limit, max(q.From, 0), false)
	req.Fields = []string{"doc_id", "city", "region", "year", "section", "codes", "page"}
	if filterOnly {
		req.SortBy([]string{"doc_id", "start", "_id"})
	} else {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("text")
		req.SortBy([]string{"-_score", "_id"})
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		// A wildcard or fuzzy term that expands to too many terms is the
		// query's fault, not the index's.
		if strings.HasPrefix(err.Error(), "TooManyClauses") {
			return nil, &QueryError{Q: q.Q, Err: fmt.Errorf("the query matches too many terms; narrow the wildcard or fuzzy part: %w", err)}
		}
		return nil, fmt.Errorf("search %q: %w", q.Q, err)
	}
	if res.Total == 0 {
		if err := x.checkFilters(ctx, q); err != nil {
			return nil, err
		}
	}
	facets, err := x.facets(ctx, req.Query, res.Total)
	if err != nil {
		return nil, fmt.Errorf("search %q: facets: %w", q.Q, err)
	}
	out := &Result{Total: res.Total, Hits: []Hit{}, Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{PassageID: h.ID, Score: h.Score, Codes: []string{}}
		hit.DocID, _ = h.Fields["doc_id"].(string)
		hit.City, _ = h.Fields["city"].(string)
		hit.Region, _ = h.Fields["region"].(string)
		if y, ok := h.Fields["year"].(string); ok {
			hit.Year, _ = strconv.Atoi(y)
		}
		hit.Section, _ = h.Fields["section"].(string)
		if p, ok := h.Fields["page"].(float64); ok {
			hit.Page = int(p)
		}
		switch c := h.Fields["codes"].(type) {
		case string:
			hit.Codes = []string{c}
		case []any:
			for _, v := range c {
				if s, ok := v.(string); ok {
					hit.Codes = append(hit.Codes, s)
				}
			}
		}
		if frags := h.Fragments["text"]; len(frags) > 0 {
			hit.Snippet = strings.TrimSpace(frags[0])
		}
		out.Hits = append(out.Hits, hit)
	}
	for _, f := range FacetFields {
		counts := facets[f]
		if counts == nil {
			counts = []FacetCount{}
		}
		sort.SliceStable(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Term < counts[j].Term
		})
		out.Facets[f] = counts
	}
	return out, nil
}

// facetSize is the number of terms each facet keeps.
const facetSize = 50

// FacetHitsMax is the most hits whose facets are counted from the hits'
// stored fields; above it, or above 1/facetHitsShare of the passages,
// from doc values. Both count the same; the limit is a matter of speed.
// Doc values are compressed in chunks of 1,024 passages, so facets from
// them decompress a chunk of every facet field for nearly every chunk the
// hits fall in: a cost that grows with the index, not the hits (on 400
// generated 40-page reports, 167,000 passages, half the CPU time of a
// whole `lcity search` for a word in 906 of them). Reading a hit's stored
// fields costs about as much as 100 passages' doc values there (the two
// broke even near 1,500 hits; 5,035 hits took 230–310 ms of CPU against
// 145–160). A variable for tests.
var FacetHitsMax uint64 = 20000

var facetHitsShare uint64 = 100 // a variable for tests

// facets counts the facet fields' terms over every hit of q (total hits
// in all): exact counts over all shards, each term once per hit, cut to
// the facetSize terms with most hits (ties by term). With few hits it
// reads each hit's stored fields; otherwise it asks each shard for all
// its terms' counts. It does not leave the shards' facets to Bleve's index
// alias, which cuts each shard's list to the facet size before summing
// and, as of bleve v2.6.3, loses what later shards count for a term the
// first shard to answer had cut (TermFacets keeps cut terms in its
// lookup), so that a facet with more terms than its size changed with the
// order in which the shards answered.
func (x *Index) facets(ctx context.Context, q query.Query, total uint64) (map[string][]FacetCount, error) {
	out := map[string][]FacetCount{}
	if total == 0 {
		return out, nil
	}
	docs, err := x.idx.DocCount()
	if err != nil {
		return nil, err
	}
	counts := map[string]map[string]int{} // field → term → hits
	for _, f := range FacetFields {
		counts[f] = map[string]int{}
	}
	if total > FacetHitsMax || total*facetHitsShare > docs {
		// The shards in parallel, as the alias searches them.
		results := make([]*bleve.SearchResult, len(x.shards))
		var g errgroup.Group
		for i, sh := range x.shards {
			g.Go(func() error {
				req := bleve.NewSearchRequestOptions(q, 0, 0, false)
				for _, f := range FacetFields {
					req.AddFacet(f, bleve.NewFacetRequest(f, math.MaxInt32))
				}
				var err error
				results[i], err = sh.SearchInContext(ctx, req)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		for _, res := range results {
			for f, fr := range res.Facets {
				for _, t := range fr.Terms.Terms() {
					counts[f][t.Term] += t.Count
				}
			}
		}
	} else {
		req := bleve.NewSearchRequestOptions(q, int(total), 0, false)
		req.Fields = FacetFields
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		var terms []string
		for _, h := range res.Hits {
			for _, f := range FacetFields {
				terms = terms[:0]
				switch v := h.Fields[f].(type) {
				case string:
					terms = append(terms, v)
				case []any:
					for _, e := range v {
						if s, ok := e.(string); ok && !slices.Contains(terms, s) {
							terms = append(terms, s)
						}
					}
				}
				for _, t := range terms {
					counts[f][t]++
				}
			}
		}
	}
	for _, f := range FacetFields {
		out[f] = topTerms(counts[f])
	}
	return out, nil
}

// topTerms is the facetSize terms of counts with most hits, ties broken
// by term.
func topTerms(counts map[string]int) []FacetCount {
	list := make([]FacetCount, 0, len(counts))
	for t, n := range counts {
		list = append(list, FacetCount{Term: t, Count: n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Term < list[j].Term
	})
	return list[:min(len(list), facetSize)]
}

// PlainSnippet renders a snippet for a terminal: with ANSI bold yellow
// around matches when colour is true, else with [brackets].
func PlainSnippet(s string, colour bool) string {
	open, close := "[", "]"
	if colour {
		open, close = "\x1b[1;33m", "\x1b[0m"
	}
	s = strings.ReplaceAll(s, "<mark>", open)
	s = strings.ReplaceAll(s, "</mark>", close)
	return html.UnescapeString(s)
}
