package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// reviewText is the passage the review tests code: non-BMP characters
// (emoji, which NFKC keeps) before the terms, so code points, bytes and
// UTF-16 units all differ.
const reviewText = "The 😀 city kominkan 🎉 hold a learning festival where families and volunteers meet."

// testWorkspace runs lcity on a one-document corpus (okayama.md) once per
// test binary and returns a fresh copy of the workspace for each caller.
var (
	wsOnce sync.Once
	wsDir  string
	wsErr  error
)

func testWorkspace(t testing.TB) string {
	t.Helper()
	wsOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "lcity-web-test-")
		if err != nil {
			wsErr = err
			return
		}
		in := filepath.Join(tmp, "in")
		os.MkdirAll(in, 0o755)
		os.WriteFile(filepath.Join(in, "okayama.md"), []byte("# Okayama\n\n## Learning\n\n"+reviewText+"\n\n## Partners\n\nThe city office brought together universities, libraries and museums.\n"), 0o644)
		cfg := pipeline.Default()
		cfg.Out, cfg.Corpus.Path, cfg.Analysis.Permutations, cfg.Force, cfg.Ingest.InProcess = filepath.Join(tmp, "out"), in, 9, true, true
		_, wsErr = pipeline.Run(context.Background(), cfg)
		wsDir = cfg.Out
	})
	if wsErr != nil {
		t.Fatal(wsErr)
	}
	dst := filepath.Join(t.TempDir(), "out")
	if err := os.CopyFS(dst, os.DirFS(wsDir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// passageWith returns the ID of the passage of out whose text holds sub
// (IDs are the ingest's business; the tests find passages by text).
func passageWith(t testing.TB, out, sub string) string {
	t.Helper()
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if strings.Contains(p.Text, sub) {
			return p.ID
		}
	}
	t.Fatalf("no passage of %s holds %q", out, sub)
	return ""
}

// serve starts the real server over out on loopback.
func serve(t testing.TB, out string, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.Coder == "" {
		cfg.Coder = "tester"
	}
	s, err := New(out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts.URL
}

// browser is an HTTP client with a cookie jar and the CSRF token of its
// session.
type browser struct {
	c    *http.Client
	base string
	csrf string
}

func newBrowser(t testing.TB, base string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: base}
	code, body := b.do(t, "GET", "/api/csrf", "", nil)
	var v struct {
		Token string `json:"csrf_token"`
	}
	if err := json.Unmarshal([]byte(body), &v); code != 200 || err != nil || v.Token == "" {
		t.Fatalf("GET /api/csrf: %d %v %s", code, err, body)
	}
	b.csrf = v.Token
	return b
}

func (b *browser) do(t testing.TB, method, path, body string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, b.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (b *browser) post(t testing.TB, body string) (int, string) {
	t.Helper()
	return b.do(t, "POST", "/api/decisions", body, map[string]string{"Content-Type": "application/json", CSRFHeader: b.csrf})
}

// autoCodes returns the codes the auto-coder gave a passage of the test
// workspace.
func autoCodes(t testing.TB, s *Server, id string) []string {
	v := s.acquire()
	defer v.release()
	_, cs, ok, err := v.snap.Passage(id)
	if !ok || err != nil || len(cs) < 2 {
		t.Fatalf("passage %s: %d codings, %v, %v; the test needs two", id, len(cs), ok, err)
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.CodeID)
	}
	return ids
}

// notCoded returns a code of the codebooks the auto-coder did not give
// the passage.
func notCoded(s *Server, coded []string) string {
	v := s.acquire()
	defer v.release()
	for _, c := range v.codes {
		if !strings.Contains(strings.Join(coded, " "), c.ID) {
			return c.ID
		}
	}
	return ""
}

func TestPostDecision(t *testing.T) {
	out := testWorkspace(t)
	s, base := serve(t, out, Config{})
	pid := passageWith(t, out, "kominkan")
	codes := autoCodes(t, s, pid)
	other := notCoded(s, codes)
	b := newBrowser(t, base)
	stranger := newBrowser(t, base)
	n := utf8.RuneCountInString(reviewText)
	js := map[string]string{"Content-Type": "application/json"}
	withToken := func(tok string) map[string]string {
		return map[string]string{"Content-Type": "application/json", CSRFHeader: tok}
	}
	dec := func(code, action, extra string) string {
		return `{"passage_id":"` + pid + `","code_id":"` + code + `","action":"` + action + `"` + extra + `}`
	}
	tests := []struct {
		name   string
		b      *browser
		body   string
		hdr    map[string]string
		status int
	}{
		{"no CSRF token", b, dec(codes[0], "reject", ""), js, 403},
		{"another session's token", b, dec(codes[0], "reject", ""), withToken(stranger.csrf), 403},
		{"a forged token", b, dec(codes[0], "reject", ""), withToken(strings.Repeat("A", len(b.csrf))), 403},
		{"form post", b, "passage_id=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded", CSRFHeader: b.csrf}, 415},
		{"bad JSON", b, `{"passage_id":`, withToken(b.csrf), 400},
		{"coder set by the client", b, dec(codes[0], "reject", `,"coder":"mallory"`), withToken(b.csrf), 400},
		{"unknown passage", b, `{"passage_id":"nowhere-p0001","code_id":"` + codes[0] + `","action":"reject"}`, withToken(b.csrf), 404},
		{"span past the end", b, dec(codes[0], "add", `,"span":{"start":3,"end":`+strconv.Itoa(n+1)+`}`), withToken(b.csrf), 400},
		{"unknown code", b, dec("charter.nothing", "add", ""), withToken(b.csrf), 400},
		{"accept of a code not given", b, dec(other, "accept", ""), withToken(b.csrf), 400},
		{"oversized", b, dec(codes[0], "add", `,"memo":"`+strings.Repeat("x", review.MaxInputBytes)+`"`), withToken(b.csrf), 413},
		{"reject", b, dec(codes[0], "reject", `,"request_id":"r1"`), withToken(b.csrf), 200},
		{"the same request again", b, dec(codes[0], "reject", `,"request_id":"r1"`), withToken(b.csrf), 200},
		{"a request ID reused", b, dec(codes[1], "reject", `,"request_id":"r1"`), withToken(b.csrf), 409},
		{"add a span to the end", stranger, dec(other, "add", `,"span":{"start":4,"end":`+strconv.Itoa(n)+`},"memo":"Zoë 😀"`), withToken(stranger.csrf), 200},
	}
	for _, tt := range tests {
		code, body := tt.b.do(t, "POST", "/api/decisions", tt.body, tt.hdr)
		if code != tt.status {
			t.Errorf("%s: HTTP %d, want %d\n%s", tt.name, code, tt.status, body)
		}
	}
	ds, err := s.store.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].CodeID != codes[0] || ds[0].Action != review.Reject || ds[0].Coder != "tester" ||
		ds[1].Span == nil || *ds[1].Span != (review.Span{Start: 4, End: n}) || ds[1].Memo != "Zoë 😀" {
		t.Errorf("store holds %+v", ds)
	}
	// The page shows both.
	code, page := b.do(t, "GET", "/passages/"+pid, "", nil)
	if code != 200 || !strings.Contains(page, `data-state="rejected"`) || !strings.Contains(page, `data-added="`+other+`"`) ||
		!strings.Contains(page, "Zoë 😀") {
		t.Errorf("passage page after the decisions: %d\n%s", code, page)
	}
}

func TestToken(t *testing.T) {
	const token = "0123456789abcdef0123456789abcdef-secret"
	out := testWorkspace(t)
	s, base := serve(t, out, Config{Token: token})
	pid := passageWith(t, out, "kominkan")
	codes := autoCodes(t, s, pid)
	anon := &browser{c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: base}
	bearer := map[string]string{"Authorization": "Bearer " + token}
	for _, tt := range []struct {
		name, method, path string
		hdr                map[string]string
		status             int
	}{
		{"API without the token", "GET", "/api/search?q=kominkan", nil, 401},
		{"page without the token", "GET", "/passages/" + pid, nil, 401},
		{"script without the token", "GET", "/static/review.js", nil, 401},
		{"API with a wrong token", "GET", "/api/search?q=kominkan", map[string]string{"Authorization": "Bearer " + token + "x"}, 401},
		{"token in the wrong scheme", "GET", "/api/search?q=kominkan", map[string]string{"Authorization": "Basic " + token}, 401},
		{"API with the token", "GET", "/api/search?q=kominkan", bearer, 200},
		{"write without the token", "POST", "/api/decisions", map[string]string{"Content-Type": "application/json"}, 401},
		{"login with a wrong token", "GET", "/login?token=nope", nil, 401},
		{"login form", "GET", "/login", nil, 200},
	} {
		if code, body := anon.do(t, tt.method, tt.path, "", tt.hdr); code != tt.status {
			t.Errorf("%s: HTTP %d, want %d\n%.200s", tt.name, code, tt.status, body)
		}
	}
	// A script with the bearer token writes without a CSRF token.
	body := `{"passage_id":"` + pid + `","code_id":"` + codes[0] + `","action":"accept"}`
	if code, resp := anon.do(t, "POST", "/api/decisions", body, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token}); code != 200 {
		t.Errorf("POST with the bearer token: %d %s", code, resp)
	}
	// A browser logs in, then needs the CSRF token to write.
	jar, _ := cookiejar.New(nil)
	br := &browser{c: &http.Client{Jar: jar, CheckRedirect: anon.c.CheckRedirect}, base: base}
	if code, _ := br.do(t, "POST", "/login", url.Values{"token": {token}}.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); code != 303 {
		t.Fatalf("login: HTTP %d, want 303", code)
	}
	for _, c := range jar.Cookies(mustURL(base)) {
		if c.Value == token {
			t.Errorf("cookie %s holds the token itself", c.Name)
		}
	}
	if code, _ := br.do(t, "GET", "/passages/"+pid, "", nil); code != 200 {
		t.Errorf("page after login: %d", code)
	}
	if code, _ := br.do(t, "POST", "/api/decisions", body, map[string]string{"Content-Type": "application/json"}); code != 403 {
		t.Errorf("logged-in POST without the CSRF token: %d, want 403", code)
	}
	_, tokBody := br.do(t, "GET", "/api/csrf", "", nil)
	var v struct {
		Token string `json:"csrf_token"`
	}
	json.Unmarshal([]byte(tokBody), &v)
	br.csrf = v.Token
	if code, resp := br.post(t, body); code != 200 {
		t.Errorf("logged-in POST with the CSRF token: %d %s", code, resp)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestQueue(t *testing.T) {
	conf := func(x float64) *float64 { return &x }
	ev := func(at int) []corpus.Evidence { return []corpus.Evidence{{Start: at, End: at + 1}} }
	auto := []corpus.Coding{
		{PassageID: "a-p1", DocID: "a", City: "A", Page: 1, CodeID: "x", Evidence: ev(10)},
		{PassageID: "a-p2", DocID: "a", City: "A", Page: 1, CodeID: "x", Evidence: ev(50), Confidence: conf(0.9)},
		{PassageID: "a-p2", DocID: "a", City: "A", Page: 1, CodeID: "y", Evidence: ev(55), Confidence: conf(0.3)},
		{PassageID: "b-p1", DocID: "b", City: "B", Page: 2, CodeID: "x", Evidence: ev(5), Confidence: conf(0.5)},
		{PassageID: "b-p2", DocID: "b", City: "B", Page: 1, CodeID: "y", Evidence: ev(90)},
	}
	passages := func(id string) (corpus.Passage, bool) { return corpus.Passage{ID: id, Text: "text"}, true }
	st := review.Replay([]review.Decision{{Seq: 1, Coder: "c", PassageID: "a-p2", CodeID: "y", Action: review.Reject}}, passages)
	ids := func(items []queueItem) string {
		var s []string
		for _, it := range items {
			s = append(s, it.PassageID)
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct {
		name string
		f    filter
		want string
	}{
		{"all", filter{}, "b-p1 a-p2 a-p1 b-p2"},
		{"code y (a-p2's is judged)", filter{Code: "y"}, "b-p2"},
		{"city A", filter{City: "A"}, "a-p2 a-p1"},
		{"confidence at most 0.6", filter{MaxConf: conf(0.6)}, "b-p1"},
		{"confidence at most 0.95", filter{MaxConf: conf(0.95)}, "b-p1 a-p2"},
	} {
		if got := ids(queue(auto, st, tt.f)); got != tt.want {
			t.Errorf("queue(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
	items := queue(auto, st, filter{})
	for after, want := range map[string]string{"": "b-p1", "b-p1": "a-p2", "a-p1": "b-p2", "b-p2": "b-p1", "gone": "b-p1"} {
		if it, ok := next(items, auto, after); !ok || it.PassageID != want {
			t.Errorf("next after %q = %s, %v; want %s", after, it.PassageID, ok, want)
		}
	}
	if it, ok := next(items[:1], auto, "b-p1"); ok {
		t.Errorf("next after the only item = %s, want none", it.PassageID)
	}
	if items[3].Conf != math.Inf(1) {
		t.Errorf("a passage without confidence sorts with %v", items[3].Conf)
	}
}

func TestReviewPages(t *testing.T) {
	out := testWorkspace(t)
	s, base := serve(t, out, Config{})
	b := newBrowser(t, base)
	pid, pid2 := passageWith(t, out, "kominkan"), passageWith(t, out, "museums")
	codes := autoCodes(t, s, pid)
	if code, page := b.do(t, "GET", "/review", "", nil); code != 200 || !strings.Contains(page, `id="progress"`) || !strings.Contains(page, "0 / ") {
		t.Fatalf("/review: %d\n%s", code, page)
	}
	if code, page := b.do(t, "GET", "/review?confidence=2", "", nil); code != 400 || !strings.Contains(page, "confidence") {
		t.Errorf("/review?confidence=2: %d", code)
	}
	code, _ := b.do(t, "GET", "/review/next?city=Okayama", "", nil)
	if code != 303 {
		t.Fatalf("/review/next: %d", code)
	}
	for _, c := range codes {
		if code, body := b.post(t, `{"passage_id":"`+pid+`","code_id":"`+c+`","action":"accept"}`); code != 200 {
			t.Fatalf("accept %s: %d %s", c, code, body)
		}
	}
	_, page := b.do(t, "GET", "/review", "", nil)
	row := page[strings.Index(page, `data-code="`+codes[0]+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "1 / 1") {
		t.Errorf("progress row of %s after accepting it: %s", codes[0], row)
	}
	// A span coded by hand with a code the auto-coder did not give: one new
	// coding and one span, not two additions.
	other := notCoded(s, codes)
	if code, body := b.post(t, `{"passage_id":"`+pid+`","code_id":"`+other+`","action":"add","span":{"start":2,"end":9}}`); code != 200 {
		t.Fatalf("add %s: %d %s", other, code, body)
	}
	_, page = b.do(t, "GET", "/review", "", nil)
	row = page[strings.Index(page, `<tr data-code="`+other+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.HasSuffix(row, "<td>0</td><td>0</td><td>1</td><td>1</td>") {
		t.Errorf("progress row of %s after one span coded by hand: %s", other, row)
	}
	req, _ := http.NewRequest("GET", base+"/review/next", nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, pid2) && !strings.Contains(loc, "done=1") {
		t.Errorf("next after reviewing p0001 goes to %s", loc)
	}
}

// FuzzPostDecision sends arbitrary bodies to the real handler (CSRF token
// and all) and checks what review's own fuzzing cannot: the answer is one
// of the statuses the API documents, never a 500; a 200 means the store
// now holds that decision, on a passage that exists, with a span inside
// it, an added code of the codebooks, and an accept or reject only of a
// code the auto-coder gave.
func FuzzPostDecision(f *testing.F) {
	out := testWorkspace(f)
	s, err := New(out, Config{Coder: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	v := s.acquire()
	auto := map[[2]string]bool{}
	for _, c := range v.auto {
		auto[[2]string{c.PassageID, c.CodeID}] = true
	}
	known := map[string]bool{}
	for _, c := range v.codes {
		known[c.ID] = true
	}
	v.release()
	session := newSession()
	token := s.csrfToken(session)
	pid, pid2 := passageWith(f, out, "kominkan"), passageWith(f, out, "museums")
	f.Add([]byte(`{"passage_id":"`+pid+`","code_id":"charter.partnerships","action":"add","span":{"start":4,"end":6},"memo":"😀"}`), "application/json; charset=utf-8")
	f.Add([]byte(`{"passage_id":"`+pid2+`","code_id":"charter.partnerships","action":"reject"}`), "application/json")
	for _, seed := range []string{
		`{"passage_id":"okayama-p0001","code_id":"keyfeatures.families-communities","action":"accept"}`,
		`{"passage_id":"okayama-p0001","code_id":"charter.partnerships","action":"add","span":{"start":0,"end":1}}`,
		`{"passage_id":"okayama-p0001","code_id":"charter.partnerships","action":"add","span":{"start":70,"end":99}}`,
		`{"passage_id":"okayama-p0002","code_id":"charter.partnerships","action":"remove","memo":"x"}`,
		`{"passage_id":"okayama-p0001","code_id":"x","action":"add"}`,
		`{"passage_id":"okayama-p0001","code_id":"charter.celebration","action":"reject"}`,
		`{"passage_id":"../../etc","code_id":"c","action":"add"}`,
		`{"passage_id":"okayama-p0001","code_id":"charter.partnerships","action":"add","span":{"start":9223372036854775807,"end":-9223372036854775808}}`,
	} {
		f.Add([]byte(seed), "application/json")
	}
	f.Add([]byte(`{}`), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		before, _ := s.store.Decisions(context.Background())
		req := httptest.NewRequest("POST", "http://127.0.0.1/api/decisions", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set(CSRFHeader, token)
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: session})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		after, _ := s.store.Decisions(context.Background())
		switch w.Code {
		case 200:
		case 400, 404, 409, 413, 415:
			if len(after) != len(before) {
				t.Fatalf("HTTP %d but the store grew from %d to %d decisions", w.Code, len(before), len(after))
			}
			return
		default:
			t.Fatalf("POST %q (%q): HTTP %d %s", body, ctype, w.Code, w.Body)
		}
		var resp struct{ Decision review.Decision }
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("200 with a body that is not a decision: %s", w.Body)
		}
		d := resp.Decision
		if len(after) == 0 || after[len(after)-1].Seq != d.Seq && len(after) != len(before) {
			t.Fatalf("acknowledged decision %d is not the last of the store", d.Seq)
		}
		sv := s.acquire()
		p, _, ok, _ := sv.snap.Passage(d.PassageID)
		sv.release()
		switch {
		case !ok:
			t.Fatalf("recorded a decision on passage %q, which does not exist", d.PassageID)
		case d.Span != nil && d.Span.End > utf8.RuneCountInString(p.Text):
			t.Fatalf("recorded span %v past the end of %d code points", *d.Span, utf8.RuneCountInString(p.Text))
		case d.Action == review.Add && !known[d.CodeID]:
			t.Fatalf("recorded an add of unknown code %q", d.CodeID)
		case (d.Action == review.Accept || d.Action == review.Reject) && !auto[[2]string{d.PassageID, d.CodeID}]:
			t.Fatalf("recorded %s of %s, which the auto-coder did not give %s", d.Action, d.CodeID, d.PassageID)
		case d.Coder != "fuzz":
			t.Fatalf("recorded coder %q", d.Coder)
		}
	})
}

// TestWatchSwitches: once a run has replaced the workspace, the server
// moves to the new snapshot by itself, without waiting for a request, and
// the review store it holds open is untouched by the run.
func TestWatchSwitches(t *testing.T) {
	old := WatchInterval
	WatchInterval = 20 * time.Millisecond
	defer func() { WatchInterval = old }()
	out := testWorkspace(t)
	s, base := serve(t, out, Config{})
	pid := passageWith(t, out, "kominkan")
	b := newBrowser(t, base)
	if code, body := b.post(t, `{"passage_id":"`+pid+`","code_id":"charter.partnerships","action":"add","span":{"start":0,"end":3}}`); code != 200 {
		t.Fatalf("post: %d %s", code, body)
	}
	s.mu.Lock()
	first := s.cur
	s.mu.Unlock()

	in := t.TempDir()
	os.WriteFile(filepath.Join(in, "cork.md"), []byte("# Cork\n\n## Learning\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	cfg := pipeline.Default()
	cfg.Out, cfg.Corpus.Path, cfg.Analysis.Permutations, cfg.Force, cfg.Ingest.InProcess = out, in, 9, true, true
	if _, err := pipeline.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock()
		cur := s.cur
		s.mu.Unlock()
		if cur != first {
			if len(cur.snap.Documents) != 1 || cur.snap.Documents[0].City != "Cork" || len(cur.cities) != 1 {
				t.Errorf("the new view has documents %+v", cur.snap.Documents)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not move to the new run by itself")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ds, err := s.store.Decisions(context.Background())
	if err != nil || len(ds) != 1 {
		t.Fatalf("after the run the store holds %d decisions, %v", len(ds), err)
	}
	// The decision on the passage that is gone is an orphan on the review page.
	if code, page := b.do(t, "GET", "/review", "", nil); code != 200 || !strings.Contains(page, `id="orphans"`) || !strings.Contains(page, pid) {
		t.Errorf("/review after the rerun: %d, want the orphaned decision listed", code)
	} else if !strings.Contains(page, `<td title="charter.partnerships">Partnerships and participation</td>`) {
		t.Errorf("/review after the rerun: the orphaned decision's code is not shown by its label")
	}
}

// FuzzCSRF: a write is let through only with the session's own cookie and
// token; any other cookie and header are refused with 403 before the body
// is read.
func FuzzCSRF(f *testing.F) {
	s, err := New(testWorkspace(f), Config{Coder: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	session := newSession()
	token := s.csrfToken(session)
	f.Add(session, token)
	f.Add(session, token+"=")
	f.Add(strings.ToUpper(session), token)
	f.Add("", "")
	f.Add(session, "")
	f.Add(newSession(), token)
	f.Fuzz(func(t *testing.T, cookie, header string) {
		req := httptest.NewRequest("POST", "http://127.0.0.1/api/decisions", strings.NewReader(`{`))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set(CSRFHeader, header)
		}
		if cookie != "" {
			req.Header.Set("Cookie", SessionCookie+"="+cookie)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		// The session the server sees is the one net/http parses (a fuzzed
		// value may smuggle in a second cookie).
		c, cerr := req.Cookie(SessionCookie)
		valid := cerr == nil && c.Value == session && header == token
		switch {
		case valid && w.Code != 400:
			t.Fatalf("the session's own cookie and token: HTTP %d, want 400 (the body is bad)", w.Code)
		case !valid && w.Code != 403:
			t.Fatalf("cookie %q, token %q: HTTP %d, want 403", cookie, header, w.Code)
		}
	})
}
