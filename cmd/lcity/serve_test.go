package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lcity/lcity/web"
)

// startServer serves the workspace out on a free loopback port with the
// real http.Server and returns its base URL.
func startServer(t testing.TB, out string) string {
	t.Helper()
	s, err := web.New(out, web.Config{Coder: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.NewHTTPServer(ln.Addr().String())
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		s.Close()
	})
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHTTP(t *testing.T) {
	base := startServer(t, sampleCopy(t))
	code, body := get(t, base+"/api/search?q=kominkan")
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			PassageID string `json:"passage_id"`
			City      string `json:"city"`
		}
		Facets map[string][]struct{ Term string }
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 || res.Total == 0 || res.Hits[0].City != "Okayama" {
		t.Fatalf("/api/search?q=kominkan: %d %v\n%s", code, err, body)
	}
	code, body = get(t, base+"/api/search?q=learn*&region=Europe")
	json.Unmarshal([]byte(body), &res)
	if code != 200 || len(res.Facets["region"]) != 1 || res.Facets["region"][0].Term != "Europe" {
		t.Errorf("region filter: %d facets %v", code, res.Facets["region"])
	}
	code, body = get(t, base+"/search?q="+url.QueryEscape("<script>alert(1)</script>"))
	if strings.Contains(body, "<script>alert(1)</script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("search page echoes the query unescaped (status %d)", code)
	}
	if code, body := get(t, base+"/search?q=a:"); code != 400 || !strings.Contains(body, "bad query") {
		t.Errorf("bad query: %d, want 400 with the parser's message\n%s", code, body)
	}
	if code, body := get(t, base+"/api/search?q=a:"); code != 400 || !strings.Contains(body, "error") {
		t.Errorf("bad query via API: %d %s", code, body)
	}
	if code, _ := get(t, base+"/passages/nowhere-p0001"); code != 404 {
		t.Errorf("unknown passage: %d, want 404", code)
	}
	if code, body := get(t, base+"/api/passages/"+res.Hits[0].PassageID); code != 200 || !strings.Contains(body, `"codings"`) {
		t.Errorf("/api/passages: %d %s", code, body)
	}
	if code, body := get(t, base+"/passages/"+res.Hits[0].PassageID); code != 200 || !strings.Contains(body, "<mark") {
		t.Errorf("passage page: %d, want the evidence marked", code)
	}
	if code, body := get(t, base+"/cities/Okayama"); code != 200 || !strings.Contains(body, "keyfeatures.families-communities") {
		t.Errorf("city page: %d", code)
	}
	if code, body := get(t, base+"/figures/similarity.svg"); code != 200 || !strings.Contains(body, "<svg") {
		t.Errorf("similarity figure: %d", code)
	}
	if code, _ := get(t, base+"/figures/..%2frun.json"); code != 404 {
		t.Errorf("figure route served a non-figure: %d", code)
	}
	req, _ := http.NewRequest("GET", base+"/api/search?q=kominkan", nil)
	req.Host = "rebind.example:8080"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("request naming another host: %v %v, want 421", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
	if code, _ := get(t, base+"/search?q="+strings.Repeat("x", web.MaxQuery+1)); code != 400 {
		t.Errorf("overlong query: %d, want 400", code)
	}
}

// TestServeEscapesPassageText serves a corpus whose text holds markup.
// TestServeAfterRerun: serve keeps answering while a run replaces its
// workspace with another corpus, and never with a passage of the other
// run under a requested ID; after the run it answers from the new one.
func TestServeAfterRerun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	base := startServer(t, out)
	const id = "okayama-2017-c4963c4fe1" // the fifth passage of Okayama
	passage := func(id string) (int, string) {
		t.Helper()
		code, body := get(t, base+"/api/passages/"+id)
		var v struct {
			Passage struct{ ID, City string } `json:"passage"`
		}
		json.Unmarshal([]byte(body), &v)
		if code == 200 && v.Passage.ID != id {
			t.Fatalf("GET /api/passages/%s answered passage %q of %s", id, v.Passage.ID, v.Passage.City)
		}
		return code, v.Passage.City
	}
	if code, city := passage(id); code != 200 || city != "Okayama" {
		t.Fatalf("before the rerun: %d %s", code, city)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cork.md"), []byte("# Cork\n\n## Learning\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	done := make(chan int)
	go func() {
		code, _, _ := lcity(t, "run", "--force", "--corpus", dir, "--out", out, "--permutations", "9")
		done <- code
	}()
	for running := true; running; {
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("rerun: exit %d", code)
			}
			running = false
		default:
			passage(id) // the old passage or, once the run is done, none
		}
	}
	if code, _ := passage(id); code != 404 {
		t.Errorf("after the rerun, %s: HTTP %d, want 404", id, code)
	}
	if code, city := passage("cork-dfb6605557"); code != 200 || city != "Cork" {
		t.Errorf("after the rerun, cork-dfb6605557: HTTP %d %s", code, city)
	}
	if code, body := get(t, base+"/api/search?q=migrants"); code != 200 || !strings.Contains(body, "Cork") {
		t.Errorf("search after the rerun: %d\n%s", code, body)
	}
}

func TestServeEscapesPassageText(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "evil.md"), []byte("# Evil\n\n## Intro\n\nThe kominkan <script>alert('x')</script> <img src=x onerror=alert(1)> welcome families.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("run: %d %s", code, stderr)
	}
	base := startServer(t, out)
	for _, u := range []string{"/search?q=kominkan", "/passages/" + readPassages(t, out)[0].ID} {
		code, body := get(t, base+u)
		if code != 200 || strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: %d, markup of the passage text reached the page unescaped", u, code)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tt := range []struct {
		addr   string
		public bool
		ok     bool
	}{{"127.0.0.1:8080", false, true}, {"localhost:0", false, true}, {"[::1]:0", false, true},
		{"0.0.0.0:8080", false, false}, {"192.168.1.5:80", false, false}, {"0.0.0.0:8080", true, true}, {"nonsense", false, false}} {
		if err := checkAddr(tt.addr, tt.public); (err == nil) != tt.ok {
			t.Errorf("checkAddr(%q, %v) = %v", tt.addr, tt.public, err)
		}
	}
}

// TestServeInBrowser drives headless Chromium through the UI: search for
// kominkan, see Okayama, open the passage with its evidence marked, then
// narrow a search to Asia-Pacific with the region facet.
func TestServeInBrowser(t *testing.T) {
	base := startServer(t, sampleCopy(t))
	ctx := newBrowser(t, 90*time.Second)

	var results, passage string
	var marks int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SendKeys("#q", "kominkan", chromedp.ByQuery),
		chromedp.Click("#go", chromedp.ByQuery),
		chromedp.WaitVisible("#total", chromedp.ByQuery),
		chromedp.Text("main", &results, chromedp.ByQuery),
		chromedp.Click("a.passage", chromedp.ByQuery),
		chromedp.WaitVisible("#text", chromedp.ByQuery),
		chromedp.Text("#text", &passage, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#text mark').length`, &marks),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(results, "Okayama") {
		t.Errorf("results page does not show Okayama:\n%s", results)
	}
	if !strings.Contains(strings.ToLower(passage), "kominkan") || marks == 0 {
		t.Errorf("passage page: %d marks in %q", marks, passage)
	}
	var regions []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search?q=festival"),
		chromedp.WaitVisible("#facets", chromedp.ByQuery),
		chromedp.Click(`a.facet[data-field="region"][href*="Asia-Pacific"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.facet.active[data-field="region"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.hit')).map(h => h.dataset.region)`, &regions),
	); err != nil {
		t.Fatalf("browser, facet: %v", err)
	}
	sort.Strings(regions)
	if len(regions) == 0 || regions[0] != "Asia-Pacific" || regions[len(regions)-1] != "Asia-Pacific" {
		t.Errorf("after the Asia-Pacific facet, hits are from %v", regions)
	}
}

// BenchmarkServeSearch measures searches against the real server on
// loopback with 1, 8 and 32 concurrent clients; it reports the latency
// percentiles (ms) and requests per second.
func BenchmarkServeSearch(b *testing.B) {
	dir, _ := os.MkdirTemp("", "lcity-bench-serve-")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out")
	var so, se strings.Builder
	if code := run(context.Background(), []string{"run", "--out", out, "--permutations", "99"}, &so, &se); code != 0 {
		b.Fatalf("run: %d %s", code, se.String())
	}
	base := startServer(b, out)
	queries := []string{"kominkan", "learning festival", "migra*", "partnership", `"community learning"`, "families -older"}
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
			var mu sync.Mutex
			var lat []time.Duration
			jobs := make(chan int)
			var wg sync.WaitGroup
			start := time.Now()
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range jobs {
						t0 := time.Now()
						resp, err := client.Get(base + "/api/search?q=" + url.QueryEscape(queries[i%len(queries)]))
						if err != nil {
							b.Error(err)
							continue
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						mu.Lock()
						lat = append(lat, time.Since(t0))
						mu.Unlock()
					}
				}()
			}
			for i := 0; i < b.N; i++ {
				jobs <- i
			}
			close(jobs)
			wg.Wait()
			elapsed := time.Since(start)
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
			}
		})
	}
}
