package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lcity/lcity/review"
)

// cliChildEnv, set to 1, makes the test binary run as lcity with its
// arguments (see TestMain): the serve tests start it as a child process
// they can kill.
const cliChildEnv = "LCITY_TEST_CLI"

// cliChild is main for the child process.
func cliChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

// child is `lcity serve` running as a child process.
type child struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}
	mu   sync.Mutex
	err  bytes.Buffer
}

var servingRE = regexp.MustCompile(`on (http://[^/ ]+)/`)

// startServe starts `lcity serve ARGS --addr 127.0.0.1:0` as a child
// process and waits until it says where it listens.
func startServe(t *testing.T, args ...string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...), done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), cliChildEnv+"=1")
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.mu.Lock()
			c.err.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() { c.kill() })
	select {
	case c.base = <-found:
		return c
	case <-c.done:
		t.Fatalf("lcity serve %v exited: %s", args, c.stderr())
	case <-time.After(60 * time.Second):
		t.Fatalf("lcity serve %v did not start: %s", args, c.stderr())
	}
	return nil
}

func (c *child) stderr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err.String()
}

// kill sends SIGKILL and waits for the process to end.
func (c *child) kill() {
	c.cmd.Process.Kill()
	<-c.done
}

// client is an HTTP client with a session and its CSRF token.
type client struct {
	http *http.Client
	base string
	csrf string
}

func newClient(t *testing.T, base string) *client { return newBenchClient(t, base) }

// newBenchClient is newClient for a test or a benchmark.
func newBenchClient(t testing.TB, base string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, base: base}
	resp, err := c.http.Get(base + "/api/csrf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Token string `json:"csrf_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		t.Fatalf("GET /api/csrf: %d %v", resp.StatusCode, err)
	}
	c.csrf = v.Token
	return c
}

// post sends one decision and returns the acknowledged one.
func (c *client) post(body string) (review.Decision, int, error) {
	req, _ := http.NewRequest("POST", c.base+"/api/decisions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		return review.Decision{}, 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var v struct{ Decision review.Decision }
	if resp.StatusCode == 200 {
		err = json.Unmarshal(data, &v)
	} else {
		err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, data)
	}
	return v.Decision, resp.StatusCode, err
}

// TestServeKilledKeepsDecisions: `lcity serve` runs as a child process;
// four clients post decisions, and the process gets SIGKILL right after
// the twentieth acknowledgement, with posts still in flight. Restarted on
// the same workspace, it starts, and the store holds every decision that
// was acknowledged, as acknowledged.
func TestServeKilledKeepsDecisions(t *testing.T) {
	out, p := reviewRun(t)
	srv := startServe(t, "--out", out, "--coder", "kim")
	const clients, killAfter = 4, 20
	var (
		mu    sync.Mutex
		acked []review.Decision
		once  sync.Once
		wg    sync.WaitGroup
	)
	n := len([]rune(p.Text))
	for w := 0; w < clients; w++ {
		c := newClient(t, srv.base)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				start := (w*7 + i) % (n - 1)
				body := fmt.Sprintf(`{"passage_id":%q,"code_id":"charter.partnerships","action":"add","span":{"start":%d,"end":%d},"memo":"client %d post %d","request_id":"c%d-%d"}`,
					p.ID, start, start+1, w, i, w, i)
				d, status, err := c.post(body)
				if err != nil {
					if status != 0 {
						t.Errorf("post: %v", err)
					}
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, d)
				k := len(acked)
				mu.Unlock()
				if k == killAfter {
					once.Do(srv.kill)
				}
			}
		}()
	}
	wg.Wait()
	if len(acked) < killAfter {
		t.Fatalf("only %d decisions acknowledged before the server died: %s", len(acked), srv.stderr())
	}

	again := startServe(t, "--out", out, "--coder", "kim")
	c := newClient(t, again.base)
	resp, err := c.http.Get(again.base + "/passages/" + p.ID)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("restarted server: %v %v", resp, err)
	}
	resp.Body.Close()
	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bySeq := map[int64]review.Decision{}
	for _, d := range ds {
		bySeq[d.Seq] = d
	}
	for _, a := range acked {
		d, ok := bySeq[a.Seq]
		if !ok || d.RequestID != a.RequestID || d.Memo != a.Memo || *d.Span != *a.Span || !d.At.Equal(a.At) || d.Coder != "kim" {
			t.Errorf("acknowledged decision %d (%s) is %+v in the store after the kill", a.Seq, a.RequestID, d)
		}
	}
	t.Logf("%d decisions acknowledged before SIGKILL, %d in the store", len(acked), len(ds))
}

// sampleCopy returns a copy of the sample workspace, for a test whose
// server creates review.sqlite in it (the shared one must stay as run
// made it).
func sampleCopy(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if err := os.CopyFS(out, os.DirFS(sampleRun(t))); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServeRefusesBadStore: a review.sqlite that is not lcity's makes
// serve fail with exit 2 and a message naming the file and the problem,
// and leaves the file as it was.
func TestServeRefusesBadStore(t *testing.T) {
	foreign := filepath.Join(t.TempDir(), "foreign.sqlite")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	foreignData, _ := os.ReadFile(foreign)
	corrupt := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xA5}, 8192)...)
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"text", []byte("my notes, not a database\n"), "not an SQLite database"},
		{"foreign", foreignData, "lcity did not make"},
		{"corrupt", corrupt, "review store"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := sampleCopy(t)
			store := filepath.Join(ws, review.FileName)
			os.Remove(store)
			if err := os.WriteFile(store, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, []string{"serve", "--out", ws, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
			if ctx.Err() != nil {
				t.Fatalf("serve started on a %s review.sqlite: %s", tt.name, stderr.String())
			}
			if code != exitUsage || !strings.Contains(stderr.String(), store) || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("serve with a %s review.sqlite: exit %d, want %d with %q and the file's name\n%s", tt.name, code, exitUsage, tt.want, stderr.String())
			}
			if got, _ := os.ReadFile(store); !bytes.Equal(got, tt.data) {
				t.Errorf("serve changed the %s review.sqlite", tt.name)
			}
		})
	}
}

// TestServePublicToken: --public needs --token, the token file's rules
// are enforced, and a public server answers 401 to a request without the
// token.
func TestServePublicToken(t *testing.T) {
	out := sampleCopy(t)
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), mode)
		os.Chmod(p, mode)
		return p
	}
	const secret = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ"
	good := write("token", secret+"\n", 0o600)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"public without a token", []string{"--public"}, "--public needs --token"},
		{"public on all interfaces without a token", []string{"--public", "--addr", "0.0.0.0:0"}, "--public needs --token"},
		{"not loopback, not public", []string{"--addr", "0.0.0.0:0", "--token", good}, "not a loopback address"},
		{"token readable by others", []string{"--public", "--token", write("open", secret, 0o644)}, "chmod 600"},
		{"short token", []string{"--public", "--token", write("short", "abc123", 0o600)}, "at least 32"},
		{"token with a space", []string{"--public", "--token", write("space", secret+" "+secret, 0o600)}, "printable ASCII"},
		{"missing token file", []string{"--public", "--token", filepath.Join(dir, "nothing")}, "no such file"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"serve", "--out", out, "--addr", "127.0.0.1:0"}, tt.args...), &stdout, &stderr)
		cancel()
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%s: exit %d, want %d with %q\n%s", tt.name, code, exitUsage, tt.want, stderr.String())
		}
	}

	srv := startServe(t, "--out", out, "--public", "--token", good)
	for _, tt := range []struct {
		name, method, path, auth string
		status                   int
	}{
		{"search without the token", "GET", "/api/search?q=kominkan", "", 401},
		{"page without the token", "GET", "/review", "", 401},
		{"write without the token", "POST", "/api/decisions", "", 401},
		{"search with a wrong token", "GET", "/api/search?q=kominkan", "Bearer " + secret + "x", 401},
		{"search with the token", "GET", "/api/search?q=kominkan", "Bearer " + secret, 200},
		{"review page with the token", "GET", "/review", "Bearer " + secret, 200},
	} {
		req, _ := http.NewRequest(tt.method, srv.base+tt.path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: HTTP %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}
}

// TestServeReviewDuringRerun: while a client records decisions through
// serve, `lcity run --force` replaces the workspace (the same document and
// one more). The review store stays sound: it opens, and holds every
// acknowledged decision; serve moves to the new run, where the passage is
// still there with its decisions.
func TestServeReviewDuringRerun(t *testing.T) {
	out, p := reviewRun(t)
	base := startServer(t, out)
	c := newClient(t, base)
	stop := make(chan struct{})
	var acked []review.Decision
	var postErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			d, _, err := c.post(fmt.Sprintf(`{"passage_id":%q,"code_id":"charter.inclusion","action":"add","span":{"start":%d,"end":%d}}`, p.ID, i%20, i%20+5))
			if err != nil {
				postErr = err
				return
			}
			acked = append(acked, d)
		}
	}()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "okayama.md"), []byte("# Okayama\n\n## Learning\n\n"+reviewPassage+
		"\n\n## Partners\n\nThe city office brought together universities, libraries and museums.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "cork.md"), []byte("# Cork\n\n## Learning\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	code, _, stderr := lcity(t, "run", "--force", "--corpus", dir, "--out", out, "--permutations", "9")
	close(stop)
	<-done
	if code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, stderr)
	}
	if postErr != nil || len(acked) == 0 {
		t.Fatalf("posting during the run: %d acknowledged, %v", len(acked), postErr)
	}
	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatalf("the review store after a run beside serve: %v", err)
	}
	defer s.Close()
	ds, err := s.Decisions(context.Background())
	if err != nil || len(ds) < len(acked) {
		t.Fatalf("the store holds %d decisions (%v), %d were acknowledged", len(ds), err, len(acked))
	}
	for i, a := range acked {
		if ds[i].Seq != a.Seq || *ds[i].Span != *a.Span {
			t.Errorf("decision %d: store has %+v, acknowledged %+v", i, ds[i], a)
		}
	}
	p2 := findPassage(t, out, "kominkan")
	resp, err := c.http.Get(base + "/review?city=Cork")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "<option selected>Cork</option>") {
		t.Errorf("after the rerun the review page does not offer Cork:\n%.300s", page)
	}
	resp, err = c.http.Get(base + "/passages/" + p2.ID)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `data-added="charter.inclusion"`) {
		t.Errorf("after the rerun the passage page (%d) does not show the decisions made during it", resp.StatusCode)
	}
	t.Logf("%d decisions acknowledged during the run", len(acked))
}
