// Package web is lcity's local web UI over a workspace: search with facet
// filters and highlighted snippets, a page per passage with its codes and
// the matched terms marked, a list of the cities, a page per city with its
// theme profile (each code linking to the city's passages coded with it),
// the similarity heat map, a JSON API (/api/search, /api/passages/{id}), and
// the review of the coding: accept or reject each auto coding, code a
// selected span by hand, write a memo, work through a queue of passages
// left to review, and see the progress per code. Decisions go to the
// workspace's review store (package review); a decision is acknowledged
// only after the store has committed it.
//
//	s, err := web.New("lcity-out", web.Config{Coder: "ana"})
//	if err != nil {
//		return err // a missing workspace, or a review store review.Open refuses
//	}
//	defer s.Close()
//	srv := s.NewHTTPServer("127.0.0.1:8080")
//	err = srv.ListenAndServe()
//
// It is meant for one researcher on their own machine: the command binds
// to loopback unless told otherwise, every page is rendered with
// html/template (queries, snippets and passage text are escaped), requests
// have size and time limits, and a query the parser rejects is a 400 with
// the parser's message.
//
// # Writes and sessions
//
// The only write is POST /api/decisions with one decision as JSON (see
// review.ParseDecision). Every response sets a session cookie (HttpOnly,
// SameSite=Strict) when the browser has none; pages carry the session's
// CSRF token, an HMAC of the session ID under a key the server draws at
// start, and a POST must send it back in the X-CSRF-Token header (compared
// in constant time) or it is refused with 403. A restarted server has a
// new key: pages opened before the restart must be reloaded. Scripts get
// a token with GET /api/csrf (another site's page cannot read it).
//
// # Token
//
// With Config.Token set, every request must carry the token: an API client
// as "Authorization: Bearer TOKEN" (such a request needs no CSRF token,
// since a browser never adds that header by itself), a browser by logging
// in once at /login (a form, or /login?token=TOKEN), which sets an
// HttpOnly, SameSite=Strict cookie derived from the token. Anything else
// is answered 401.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/review.js
var reviewJS []byte

// Limits of a request.
const (
	MaxQuery       = 1000 // characters of a search query
	RequestTimeout = 20 * time.Second
	PageSize       = 20
)

// Server serves one workspace. It answers from a snapshot of the
// workspace (workspace.Snapshot): the passages, codings, index and
// analysis files as they were when the snapshot was opened, so that a
// page never mixes two runs. When a run has replaced the workspace (its
// run.json, documents, passages or codings changed), the server opens a
// new snapshot as soon as no writer holds the workspace, both on the next
// request and from a watcher that looks every WatchInterval, and swaps it
// in at once; the old one is closed once its last request is done. The
// review store stays open throughout: a run never touches it.
type Server struct {
	out    string
	tmpl   *template.Template
	public bool
	coder  string
	token  string
	key    [32]byte // signs CSRF tokens; drawn at New
	store  *review.Store

	mu      sync.Mutex
	cur     *view
	every   time.Duration
	retryAt time.Time // after a workspace that would not open, when to try again

	stop    chan struct{}
	stopped chan struct{}
}

// Config is how a Server is set up.
type Config struct {
	// Coder is the name decisions are recorded under;
	// review.DefaultCoder() when empty.
	Coder string
	// Public lets requests name any host; otherwise only loopback names
	// are served, so a web page elsewhere cannot reach the UI through DNS
	// rebinding.
	Public bool
	// Token, when not empty, must come with every request (see the
	// package documentation).
	Token string
}

// WatchInterval is how often a server made by New looks whether a run has
// replaced the workspace.
var WatchInterval = time.Second

// view is a snapshot with what the pages derive from it, counted while
// requests use it.
type view struct {
	snap    *workspace.Snapshot
	labels  map[string]string // code ID → label
	cities  []string
	auto    []corpus.Coding // every coding of the snapshot
	codes   []codeInfo      // codebook order, then codes only the codings know
	codeIdx map[string]int

	mu      sync.Mutex
	refs    int
	retired bool
}

// OpenWait is how long New waits for a writer of the workspace to finish.
const OpenWait = 10 * time.Second

// New opens a snapshot of the workspace at out, its review store (created
// when there is none; a file review.Open refuses is an error wrapping its
// *review.OpenError) and the page templates, and starts watching the
// workspace for a new run.
func New(out string, cfg Config) (*Server, error) {
	s := &Server{out: out, public: cfg.Public, coder: cfg.Coder, token: cfg.Token,
		stop: make(chan struct{}), stopped: make(chan struct{})}
	if s.coder == "" {
		s.coder = review.DefaultCoder()
	}
	if err := (review.Decision{Coder: s.coder, PassageID: "p", CodeID: "c", Action: review.Add}).Validate(); err != nil {
		return nil, fmt.Errorf("coder %q: %w", s.coder, err)
	}
	if _, err := rand.Read(s.key[:]); err != nil {
		return nil, err
	}
	v, err := openView(out, OpenWait)
	if err != nil {
		return nil, err
	}
	s.cur = v
	if s.store, err = review.Open(filepath.Join(out, review.FileName)); err != nil {
		v.snap.Close()
		return nil, err
	}
	s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"snippet": safeSnippet,
		"pathesc": url.PathEscape,
		"add":     func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		v.snap.Close()
		s.store.Close()
		return nil, err
	}
	s.every = WatchInterval
	go s.watch(s.every)
	return s, nil
}

// Coder is the name the server records decisions under.
func (s *Server) Coder() string { return s.coder }

// watch moves the server to a new snapshot when a run has finished with
// the workspace, until Close.
func (s *Server) watch(every time.Duration) {
	defer close(s.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.refresh()
			s.mu.Unlock()
		}
	}
}

// refresh replaces the current view by a new snapshot when the workspace
// changed and no writer holds it; s.mu is held.
func (s *Server) refresh() {
	if !s.cur.snap.Stale() {
		return
	}
	if time.Now().Before(s.retryAt) {
		return
	}
	v, err := openView(s.out, 0)
	switch {
	case err == nil:
		old := s.cur
		s.cur = v
		old.retire()
	case !errors.Is(err, workspace.ErrLocked):
		// A workspace left broken (a failed run, a file edited by hand):
		// reading it again on every request would cost each one the
		// whole workspace, so wait a while. A writer that still holds the
		// lock costs nothing to ask again, and its run is served on the
		// first request after it has finished.
		s.retryAt = time.Now().Add(s.every)
	}
	// Until then, answer from the last good snapshot.
}

func openView(out string, wait time.Duration) (*view, error) {
	snap, err := workspace.OpenSnapshot(out, wait)
	if err != nil {
		return nil, err
	}
	v := &view{snap: snap, labels: map[string]string{}}
	seen := map[string]bool{}
	for _, d := range snap.Documents {
		if !seen[d.City] {
			seen[d.City] = true
			v.cities = append(v.cities, d.City)
		}
	}
	sort.Strings(v.cities)
	// Code labels come from contrasts.csv when the workspace was analysed;
	// pages show the code IDs either way.
	if rows, err := v.csv(workspace.ContrastsFile); err == nil {
		for _, r := range rows[1:] {
			if len(r) > 1 {
				v.labels[r[0]] = r[1]
			}
		}
	}
	if v.auto, err = snap.Codings(); err != nil {
		snap.Close()
		return nil, err
	}
	v.loadCodes(v.auto)
	for _, c := range v.codes {
		if c.Label != "" && v.labels[c.ID] == "" {
			v.labels[c.ID] = c.Label
		}
	}
	return v, nil
}

// acquire returns the current view, first replacing it by a new snapshot
// when a writer has finished with the workspace. The caller releases it.
func (s *Server) acquire() *view {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	v := s.cur
	v.mu.Lock()
	v.refs++
	v.mu.Unlock()
	return v
}

func (v *view) release() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.refs--
	if v.retired && v.refs == 0 {
		v.snap.Close()
	}
}

func (v *view) retire() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.retired = true
	if v.refs == 0 {
		v.snap.Close()
	}
}

// Close stops the watcher and releases the current snapshot and the
// review store. The HTTP server must be shut down first.
func (s *Server) Close() error {
	close(s.stop)
	<-s.stopped
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur.retire()
	return s.store.Close()
}

// csv parses one of the snapshot's CSV files.
func (v *view) csv(rel string) ([][]string, error) {
	data, ok := v.snap.File(rel)
	if !ok {
		return nil, fs.ErrNotExist
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err == nil && len(rows) == 0 {
		err = errors.New("empty")
	}
	return rows, err
}

// Handler returns the routes with their limits.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.searchPage)
	mux.HandleFunc("GET /search", s.searchPage)
	mux.HandleFunc("GET /passages/{id}", s.passagePage)
	mux.HandleFunc("GET /cities", s.citiesPage)
	mux.HandleFunc("GET /cities/{city}", s.cityPage)
	mux.HandleFunc("GET /similarity", s.similarityPage)
	mux.HandleFunc("GET /figures/{name}", s.figure)
	mux.HandleFunc("GET /api/search", s.apiSearch)
	mux.HandleFunc("GET /api/passages/{id}", s.apiPassage)
	mux.HandleFunc("GET /review", s.reviewPage)
	mux.HandleFunc("GET /review/next", s.reviewNext)
	mux.HandleFunc("GET /static/review.js", serveJS)
	mux.HandleFunc("GET /api/csrf", s.apiCSRF)
	mux.HandleFunc("POST /api/decisions", s.postDecision)
	limited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.public && !loopbackHost(r.Host) {
			http.Error(w, "this server answers only to localhost (start it with --public to serve other names)", http.StatusMisdirectedRequest)
			return
		}
		limit := int64(1 << 16)
		if r.Method == http.MethodPost {
			limit = review.MaxInputBytes + 1
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'")
		if r.URL.Path == "/login" {
			s.login(w, r)
			return
		}
		bearer := s.bearer(r)
		if !s.authorised(r) {
			s.unauthorised(w, r)
			return
		}
		r = withSession(r, s.session(w, r))
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !bearer && !s.checkCSRF(r) {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "missing or wrong CSRF token: reload the page (scripts: GET /api/csrf, then send its token in the " + CSRFHeader + " header)"})
			return
		}
		mux.ServeHTTP(w, r)
	})
	return http.TimeoutHandler(limited, RequestTimeout, "request took too long")
}

// NewHTTPServer wraps the handler in an http.Server with header, read and
// write time limits.
func (s *Server) NewHTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: RequestTimeout + 5*time.Second, MaxHeaderBytes: 1 << 16}
}

// query reads the search parameters of a request.
func query(r *http.Request) (index.Query, error) {
	v := r.URL.Query()
	q := index.Query{Q: strings.TrimSpace(v.Get("q")), City: v.Get("city"), Region: v.Get("region"), Code: v.Get("code"),
		Section: v.Get("section"), Year: v.Get("year"), Limit: PageSize}
	if len(q.Q) > MaxQuery {
		return q, fmt.Errorf("query longer than %d characters", MaxQuery)
	}
	if f := v.Get("from"); f != "" {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 100000 {
			return q, fmt.Errorf("from %q: want a number of hits to skip", f)
		}
		q.From = n
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			return q, fmt.Errorf("limit %q: want 1 to 200", l)
		}
		q.Limit = n
	}
	return q, nil
}

// search runs q on the view's index (a query with filters and no words
// lists the passages they keep, in reading order).
func (s *Server) search(ctx context.Context, v *view, q index.Query) (*index.Result, int, error) {
	if !q.FilterOnly() {
		if err := index.ParseQuery(q.Q); err != nil {
			return nil, http.StatusBadRequest, err
		}
	}
	res, err := v.snap.Index.Search(ctx, q)
	if err != nil {
		var qe *index.QueryError
		var fe *index.FilterError
		if errors.As(err, &qe) || errors.As(err, &fe) {
			return nil, http.StatusBadRequest, err
		}
		return nil, http.StatusInternalServerError, err
	}
	return res, http.StatusOK, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, err := query(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if q.Q == "" && !q.FilterOnly() {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "q is required, or a filter (region, city, code, section, year) to list its passages"})
		return
	}
	v := s.acquire()
	defer v.release()
	res, status, err := s.search(r.Context(), v, q)
	if err != nil {
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiPassage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	p, cs, ok, err := v.snap.Passage(r.PathValue("id"))
	switch {
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	case !ok:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no passage " + r.PathValue("id")})
	default:
		if cs == nil {
			cs = []corpus.Coding{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"passage": p, "codings": cs})
	}
}

// facetLink is a facet value with the URL that applies it. Code is set
// for a value of the codes facet or the code filter, so the page shows
// the code's label and colour (the ID in the tooltip).
type facetLink struct {
	Field, Term string
	Count       int
	URL         string
	Active      bool
	Code        *codeInfo
}

// Name is what the page shows of the value: a code's label, else the
// value itself.
func (f facetLink) Name() string {
	if f.Code != nil {
		return f.Code.Name()
	}
	return f.Term
}

// hitView is a hit with its codes as the pages show them, and the start of
// the passage's text when the hit has no snippet (a filter-only listing).
type hitView struct {
	index.Hit
	CodeInfo []codeInfo
	Opening  string
}

type searchView struct {
	Q        index.Query
	Res      *index.Result
	Hits     []hitView
	Error    string
	Facets   map[string][]facetLink
	Fields   []string
	Prev     string
	Next     string
	Filters  []facetLink // active filters with the URL that removes them
	Searched bool
}

func (s *Server) render(w http.ResponseWriter, status int, name string, v any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, v); err != nil {
		http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q, err := query(r)
	v := searchView{Q: q, Fields: index.FacetFields, Facets: map[string][]facetLink{}}
	if err != nil {
		v.Error = err.Error()
		s.render(w, http.StatusBadRequest, "search.html", v)
		return
	}
	if q.Q == "" && !q.FilterOnly() {
		s.render(w, http.StatusOK, "search.html", v)
		return
	}
	v.Searched = true
	sv := s.acquire()
	defer sv.release()
	res, status, err := s.search(r.Context(), sv, q)
	if err != nil {
		v.Error = err.Error()
		s.render(w, status, "search.html", v)
		return
	}
	v.Res = res
	for _, h := range res.Hits {
		hv := hitView{Hit: h}
		for _, c := range h.Codes {
			hv.CodeInfo = append(hv.CodeInfo, sv.code(c))
		}
		if h.Snippet == "" {
			if p, _, ok, err := sv.snap.Passage(h.PassageID); ok && err == nil {
				hv.Opening = index.Opening(p.Text)
			}
		}
		v.Hits = append(v.Hits, hv)
	}
	codeOf := func(f, term string) *codeInfo {
		if f != "codes" && f != "code" {
			return nil
		}
		c := sv.code(term)
		return &c
	}
	base := r.URL.Query()
	base.Del("from")
	link := func(set map[string]string) string {
		u := url.Values{}
		for k, vs := range base {
			u[k] = append([]string(nil), vs...)
		}
		for k, val := range set {
			if val == "" {
				u.Del(k)
			} else {
				u.Set(k, val)
			}
		}
		return "/search?" + u.Encode()
	}
	param := map[string]string{"region": "region", "city": "city", "codes": "code", "section": "section", "year": "year"}
	for _, f := range index.FacetFields {
		key := param[f]
		for _, c := range res.Facets[f] {
			v.Facets[f] = append(v.Facets[f], facetLink{Field: f, Term: c.Term, Count: c.Count, URL: link(map[string]string{key: c.Term}),
				Active: base.Get(key) == c.Term, Code: codeOf(f, c.Term)})
		}
	}
	for _, f := range index.FacetFields {
		if val := base.Get(param[f]); val != "" {
			v.Filters = append(v.Filters, facetLink{Field: param[f], Term: val, URL: link(map[string]string{param[f]: ""}), Code: codeOf(param[f], val)})
		}
	}
	if q.From > 0 {
		v.Prev = link(map[string]string{"from": strconv.Itoa(max(0, q.From-q.Limit))})
	}
	if uint64(q.From+q.Limit) < res.Total {
		v.Next = link(map[string]string{"from": strconv.Itoa(q.From + q.Limit)})
	}
	s.render(w, http.StatusOK, "search.html", v)
}

// serveJS serves the review pages' script (the Content-Security-Policy
// allows no inline script).
func serveJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(reviewJS)
}

type profileRow struct {
	Code               codeInfo
	Passages, Matches  int
	Rate, Share, Width float64
	// URL lists the city's passages coded with the code, in reading order.
	URL string
}

type cityView struct {
	City    string
	Docs    []corpus.Document
	Profile []profileRow
}

// codedURL is the search page listing a city's passages coded with a code.
func codedURL(city, code string) string {
	return "/search?" + url.Values{"city": {city}, "code": {code}}.Encode()
}

// cityRow is one city on the /cities page: its documents summed.
type cityRow struct {
	City, Region, Country string
	Years                 []int
	Documents             int
	Passages, Words       int
}

// YearText is the city's award years, comma-separated.
func (c cityRow) YearText() string {
	var parts []string
	for _, y := range c.Years {
		if y != 0 {
			parts = append(parts, strconv.Itoa(y))
		}
	}
	return strings.Join(parts, ", ")
}

// cityRows sums the documents per city, sorted by city.
func cityRows(docs []corpus.Document) []cityRow {
	idx := map[string]int{}
	var rows []cityRow
	for _, d := range docs {
		i, ok := idx[d.City]
		if !ok {
			i = len(rows)
			idx[d.City] = i
			rows = append(rows, cityRow{City: d.City, Region: d.Region, Country: d.Country})
		}
		r := &rows[i]
		r.Documents++
		r.Passages += d.Passages
		r.Words += d.Words
		if !slices.Contains(r.Years, d.Year) {
			r.Years = append(r.Years, d.Year)
			slices.Sort(r.Years)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].City < rows[j].City })
	return rows
}

func (s *Server) citiesPage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	rows := cityRows(v.snap.Documents)
	var total cityRow
	for _, c := range rows {
		total.Documents += c.Documents
		total.Passages += c.Passages
		total.Words += c.Words
	}
	s.render(w, http.StatusOK, "cities.html", map[string]any{"Cities": rows, "Total": total})
}

func (s *Server) cityPage(w http.ResponseWriter, r *http.Request) {
	city := r.PathValue("city")
	v := cityView{City: city}
	sv := s.acquire()
	defer sv.release()
	for _, d := range sv.snap.Documents {
		if d.City == city {
			v.Docs = append(v.Docs, d)
		}
	}
	if len(v.Docs) == 0 {
		http.Error(w, "no city "+city, http.StatusNotFound)
		return
	}
	sort.Slice(v.Docs, func(i, j int) bool { return v.Docs[i].ID < v.Docs[j].ID })
	if rows, err := sv.csv(workspace.ProfilesFile); err == nil {
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		top := 0.0
		for _, r := range rows[1:] {
			if r[col["city"]] != city {
				continue
			}
			pr := profileRow{Code: sv.code(r[col["code_id"]]), URL: codedURL(city, r[col["code_id"]])}
			pr.Passages, _ = strconv.Atoi(r[col["passages"]])
			pr.Matches, _ = strconv.Atoi(r[col["matches"]])
			pr.Rate, _ = strconv.ParseFloat(r[col["rate_per_1k_words"]], 64)
			pr.Share, _ = strconv.ParseFloat(r[col["share"]], 64)
			top = max(top, pr.Rate)
			v.Profile = append(v.Profile, pr)
		}
		sort.SliceStable(v.Profile, func(i, j int) bool { return v.Profile[i].Rate > v.Profile[j].Rate })
		for i := range v.Profile {
			if top > 0 {
				v.Profile[i].Width = 100 * v.Profile[i].Rate / top
			}
		}
	}
	s.render(w, http.StatusOK, "city.html", v)
}

func (s *Server) similarityPage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	s.render(w, http.StatusOK, "similarity.html", map[string]any{"Cities": v.cities})
}

// figures are the workspace files the UI may serve.
var figures = map[string]bool{workspace.SimilaritySVG: true, workspace.HeatmapSVG: true, workspace.DendrogramSVG: true, workspace.PCASVG: true}

func (s *Server) figure(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !figures[name] {
		http.NotFound(w, r)
		return
	}
	v := s.acquire()
	defer v.release()
	data, ok := v.snap.File(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(data)
}

// safeSnippet lets a search snippet's <mark> tags through and nothing else:
// Bleve escapes the passage text around them, and any < or > left (there
// should be none) is escaped again.
func safeSnippet(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "<mark>") {
		if i > 0 {
			b.WriteString("<mark>")
		}
		for j, inner := range strings.Split(part, "</mark>") {
			if j > 0 {
				b.WriteString("</mark>")
			}
			b.WriteString(strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(inner))
		}
	}
	return template.HTML(b.String())
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
