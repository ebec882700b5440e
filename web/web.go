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
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
)

//go:embed templates/*.html
var templateFS embed.FS

// Limits of a request.
const (
	MaxQuery       = 1000 // characters of a search query
	RequestTimeout = 20 * time.Second
	PageSize       = 20
)

// Server serves one workspace.
type Server struct {
	out  string
	idx  *index.Index
	tmpl *template.Template
	docs map[string]corpus.Document
	// passage and coding lines are found by their byte offset in
	// passages.jsonl and codings.csv, so that memory holds offsets, not
	// texts.
	passageAt map[string]int64
	codingAt  map[string][2]int64 // first line offset, number of lines
	labels    map[string]string   // code ID → label
	cities    []string
	// Public lets requests name any host; otherwise only loopback names
	// are served, so a web page elsewhere cannot reach the UI through DNS
	// rebinding.
	Public bool
}

// New opens the workspace at out (its index, documents and offsets of its
// passages and codings).
func New(out string) (*Server, error) {
	idx, err := index.Open(filepath.Join(out, index.DirName))
	if err != nil {
		return nil, err
	}
	s := &Server{out: out, idx: idx, docs: map[string]corpus.Document{}, passageAt: map[string]int64{},
		codingAt: map[string][2]int64{}, labels: map[string]string{}}
	fail := func(err error) (*Server, error) {
		idx.Close()
		return nil, err
	}
	docs, err := corpus.ReadJSONL[corpus.Document](filepath.Join(out, corpus.DocumentsFile))
	if err != nil {
		return fail(err)
	}
	seen := map[string]bool{}
	for _, d := range docs {
		s.docs[d.ID] = d
		if !seen[d.City] {
			seen[d.City] = true
			s.cities = append(s.cities, d.City)
		}
	}
	sort.Strings(s.cities)
	if err := s.offsets(); err != nil {
		return fail(err)
	}
	s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"snippet": safeSnippet,
		"label":   func(id string) string { return s.labels[id] },
		"pathesc": url.PathEscape,
		"add":     func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return fail(err)
	}
	return s, nil
}

// Close releases the index.
func (s *Server) Close() error { return s.idx.Close() }

// offsets records where each passage and its codings are in the files.
func (s *Server) offsets() error {
	f, err := os.Open(filepath.Join(s.out, corpus.PassagesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	var off int64
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var p struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(line, &p) == nil && p.ID != "" {
				s.passageAt[p.ID] = off
			}
			off += int64(len(line))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	cf, err := os.Open(filepath.Join(s.out, corpus.CodingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer cf.Close()
	r = bufio.NewReaderSize(cf, 1<<16)
	off = 0
	first := true
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if !first {
				id, _, _ := bytes.Cut(line, []byte(","))
				at, ok := s.codingAt[string(id)]
				if !ok {
					at = [2]int64{off, 0}
				}
				at[1]++
				s.codingAt[string(id)] = at
			}
			first = false
			off += int64(len(line))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	// Code labels come from contrasts.csv when the workspace was analysed;
	// pages show the code IDs either way.
	if rows, err := readCSV(filepath.Join(s.out, corpus.ContrastsFile)); err == nil {
		for _, r := range rows[1:] {
			if len(r) > 1 {
				s.labels[r[0]] = r[1]
			}
		}
	}
	return nil
}

func readCSV(name string) ([][]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err == nil && len(rows) == 0 {
		err = errors.New("empty")
	}
	return rows, err
}

// passage reads one passage and its codings.
func (s *Server) passage(id string) (corpus.Passage, []corpus.Coding, bool, error) {
	off, ok := s.passageAt[id]
	if !ok {
		return corpus.Passage{}, nil, false, nil
	}
	f, err := os.Open(filepath.Join(s.out, corpus.PassagesFile))
	if err != nil {
		return corpus.Passage{}, nil, false, err
	}
	defer f.Close()
	line, err := bufio.NewReader(io.NewSectionReader(f, off, 64<<20)).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return corpus.Passage{}, nil, false, err
	}
	var p corpus.Passage
	if err := json.Unmarshal(line, &p); err != nil {
		return corpus.Passage{}, nil, false, err
	}
	var cs []corpus.Coding
	if at, ok := s.codingAt[id]; ok {
		cf, err := os.Open(filepath.Join(s.out, corpus.CodingsFile))
		if err != nil {
			return p, nil, true, err
		}
		defer cf.Close()
		cr := csv.NewReader(io.NewSectionReader(cf, at[0], 1<<40))
		for i := int64(0); i < at[1]; i++ {
			rec, err := cr.Read()
			if err != nil || len(rec) < 9 {
				break
			}
			score, _ := strconv.ParseFloat(rec[6], 64)
			ev, _ := corpus.ParseEvidence(rec[8])
			cs = append(cs, corpus.Coding{PassageID: rec[0], DocID: rec[1], City: rec[2], Region: rec[3], CodeID: rec[5], Score: score, Evidence: ev})
		}
	}
	return p, cs, true, nil
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
	res, err := s.idx.Search(ctx, q)
	if err != nil {
		var qe *index.QueryError
		if errors.As(err, &qe) {
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
	p, cs, ok, err := s.passage(r.PathValue("id"))
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
}

func (s *Server) passagePage(w http.ResponseWriter, r *http.Request) {
	p, cs, ok, err := s.passage(r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		http.Error(w, "no passage "+r.PathValue("id"), http.StatusNotFound)
		return
	}
	s.render(w, http.StatusOK, "passage.html", passageView{P: p, Doc: s.docs[p.DocID], Spans: markEvidence(p, cs), Codings: cs})
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
	for _, d := range s.docs {
		if d.City == city {
			v.Docs = append(v.Docs, d)
		}
	}
	if len(v.Docs) == 0 {
		http.Error(w, "no city "+city, http.StatusNotFound)
		return
	}
	sort.Slice(v.Docs, func(i, j int) bool { return v.Docs[i].ID < v.Docs[j].ID })
	if rows, err := readCSV(filepath.Join(s.out, corpus.ProfilesFile)); err == nil {
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		top := 0.0
		for _, r := range rows[1:] {
			if r[col["city"]] != city {
				continue
			}
			pr := profileRow{CodeID: r[col["code_id"]], Label: s.labels[r[col["code_id"]]]}
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
	s.render(w, http.StatusOK, "similarity.html", map[string]any{"Cities": s.cities})
}

// figures are the workspace files the UI may serve.
var figures = map[string]bool{corpus.SimilaritySVG: true, corpus.HeatmapSVG: true, corpus.DendrogramSVG: true, corpus.PCASVG: true}

func (s *Server) figure(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !figures[name] {
		http.NotFound(w, r)
		return
	}
	data, err := os.ReadFile(filepath.Join(s.out, name))
	if err != nil {
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
