// Package web is lcity's local, read-only web UI over a workspace: search
// with facet filters and highlighted snippets, a page per passage with its
// codes and the matched terms marked, a page per city with its theme
// profile, the similarity heat map, and a JSON API (/api/search,
// /api/passages/{id}).
//
// It is meant for one researcher on their own machine: the command binds
// to loopback unless told otherwise, every page is rendered with
// html/template (queries, snippets and passage text are escaped), requests
// have size and time limits, and a query the parser rejects is a 400 with
// the parser's message.
package web

import (
	"bytes"
	"context"
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
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

// Limits of a request.
const (
	MaxQuery       = 1000 // characters of a search query
	RequestTimeout = 20 * time.Second
	PageSize       = 20
)

// Server serves one workspace. It answers from a snapshot of the
// workspace (workspace.Snapshot): the passages, codings, index and
// analysis files as they were when the snapshot was opened, so that a
// page never mixes two runs. When a run has replaced the workspace, the
// next request opens a new snapshot (if no writer holds the workspace at
// that moment) and the old one is closed once its last request is done.
type Server struct {
	out  string
	tmpl *template.Template
	// Public lets requests name any host; otherwise only loopback names
	// are served, so a web page elsewhere cannot reach the UI through DNS
	// rebinding.
	Public bool

	mu  sync.Mutex
	cur *view
}

// view is a snapshot with what the pages derive from it, counted while
// requests use it.
type view struct {
	snap   *workspace.Snapshot
	labels map[string]string // code ID → label
	cities []string

	mu      sync.Mutex
	refs    int
	retired bool
}

// OpenWait is how long New waits for a writer of the workspace to finish.
const OpenWait = 10 * time.Second

// New opens a snapshot of the workspace at out and the page templates.
func New(out string) (*Server, error) {
	s := &Server{out: out}
	v, err := openView(out, OpenWait)
	if err != nil {
		return nil, err
	}
	s.cur = v
	s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"snippet": safeSnippet,
		"pathesc": url.PathEscape,
		"add":     func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		v.snap.Close()
		return nil, err
	}
	return s, nil
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
	return v, nil
}

// acquire returns the current view, first replacing it by a new snapshot
// when a writer has finished with the workspace. The caller releases it.
func (s *Server) acquire() *view {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur.snap.Stale() {
		if v, err := openView(s.out, 0); err == nil {
			old := s.cur
			s.cur = v
			old.retire()
		}
		// Else a writer holds the workspace (or left it broken): keep
		// answering from the last good snapshot.
	}
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

// Close releases the current snapshot.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur.retire()
	return nil
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
	mux.HandleFunc("GET /cities/{city}", s.cityPage)
	mux.HandleFunc("GET /similarity", s.similarityPage)
	mux.HandleFunc("GET /figures/{name}", s.figure)
	mux.HandleFunc("GET /api/search", s.apiSearch)
	mux.HandleFunc("GET /api/passages/{id}", s.apiPassage)
	limited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.Public && !loopbackHost(r.Host) {
			http.Error(w, "this server answers only to localhost (start it with --public to serve other names)", http.StatusMisdirectedRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'")
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

func (s *Server) search(ctx context.Context, q index.Query) (*index.Result, int, error) {
	if err := index.ParseQuery(q.Q); err != nil {
		return nil, http.StatusBadRequest, err
	}
	v := s.acquire()
	defer v.release()
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
	if q.Q == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "q is required"})
		return
	}
	res, status, err := s.search(r.Context(), q)
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

// facetLink is a facet value with the URL that applies it.
type facetLink struct {
	Field, Term string
	Count       int
	URL         string
	Active      bool
}

type searchView struct {
	Q        index.Query
	Res      *index.Result
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
	if q.Q == "" {
		s.render(w, http.StatusOK, "search.html", v)
		return
	}
	v.Searched = true
	res, status, err := s.search(r.Context(), q)
	if err != nil {
		v.Error = err.Error()
		s.render(w, status, "search.html", v)
		return
	}
	v.Res = res
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
				Active: base.Get(key) == c.Term})
		}
	}
	for _, f := range index.FacetFields {
		if val := base.Get(param[f]); val != "" {
			v.Filters = append(v.Filters, facetLink{Field: param[f], Term: val, URL: link(map[string]string{param[f]: ""})})
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

// span is a piece of passage text, marked when a code's term matched it.
type span struct {
	Text  string
	Mark  bool
	Codes string
}

type passageView struct {
	P       corpus.Passage
	Doc     corpus.Document
	Spans   []span
	Codings []corpus.Coding
	Labels  map[string]string
}

func (s *Server) passagePage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	p, cs, ok, err := v.snap.Passage(r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		http.Error(w, "no passage "+r.PathValue("id"), http.StatusNotFound)
		return
	}
	doc, _ := v.snap.Document(p.DocID)
	s.render(w, http.StatusOK, "passage.html", passageView{P: p, Doc: doc, Spans: markEvidence(p, cs), Codings: cs, Labels: v.labels})
}

// markEvidence cuts the passage text into spans, marking the bytes that
// matched a term (evidence offsets are into the document text).
func markEvidence(p corpus.Passage, cs []corpus.Coding) []span {
	n := len(p.Text)
	codes := make([][]string, n)
	for _, c := range cs {
		for _, e := range c.Evidence {
			for i := max(e.Start-p.Start, 0); i < min(e.End-p.Start, n); i++ {
				if len(codes[i]) == 0 || codes[i][len(codes[i])-1] != c.CodeID {
					codes[i] = append(codes[i], c.CodeID)
				}
			}
		}
	}
	var out []span
	start := 0
	key := func(i int) string { return strings.Join(codes[i], " ") }
	for i := 1; i <= n; i++ {
		if i < n && key(i) == key(start) {
			continue
		}
		out = append(out, span{Text: p.Text[start:i], Mark: len(codes[start]) > 0, Codes: key(start)})
		start = i
	}
	return out
}

type profileRow struct {
	CodeID, Label      string
	Passages, Matches  int
	Rate, Share, Width float64
}

type cityView struct {
	City    string
	Docs    []corpus.Document
	Profile []profileRow
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
			pr := profileRow{CodeID: r[col["code_id"]], Label: sv.labels[r[col["code_id"]]]}
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
