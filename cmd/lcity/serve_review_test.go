package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// reviewPassage is the text the review tests code. The emoji are outside
// the Basic Multilingual Plane: one code point each, but two UTF-16 units
// in the browser and four bytes in Go (and, unlike 𝔗, NFKC keeps them).
const reviewPassage = "The 😀 city kominkan 🎉 hold a learning festival where families and volunteers meet."

// reviewRun runs lcity on a one-document corpus holding reviewPassage and
// returns the workspace and that passage.
func reviewRun(t *testing.T) (string, corpus.Passage) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "okayama.md"), []byte("# Okayama\n\n## Learning\n\n"+reviewPassage+
		"\n\n## Partners\n\nThe city office brought together universities, libraries and museums.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return out, findPassage(t, out, "kominkan")
}

// findPassage returns the passage of out whose text holds sub.
func findPassage(t testing.TB, out, sub string) corpus.Passage {
	t.Helper()
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if strings.Contains(p.Text, sub) {
			return p
		}
	}
	t.Fatalf("no passage of %s holds %q", out, sub)
	return corpus.Passage{}
}

// codePoints returns the code-point span of the first sub in text.
func codePoints(text, sub string) review.Span {
	i := strings.Index(text, sub)
	start := utf8.RuneCountInString(text[:i])
	return review.Span{Start: start, End: start + utf8.RuneCountInString(sub)}
}

// TestReviewInBrowser drives headless Chromium through a review: open a
// passage, reject one coding, select a span and add a code to it, write a
// memo; after a reload the page shows all three, and the review store
// holds them with the span in code points (the passage has non-BMP text
// before it). A second browser session, without the first one's cookie,
// cannot write: without a CSRF token, nor with the first session's.
func TestReviewInBrowser(t *testing.T) {
	out, p := reviewRun(t)
	base := startServer(t, out)
	ctx := newBrowser(t, 120*time.Second)

	const memo = "Zoë: festival, not policy 😀"
	// Starts and ends inside runs of text that hold a non-BMP character
	// before the selection's edge.
	const sub = "city kominkan 🎉 hold"
	var codes []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/passages/"+p.ID),
		chromedp.WaitVisible("body[data-ready]", chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('tr.coding')).map(r => r.dataset.code)`, &codes),
	); err != nil {
		t.Fatalf("open the passage: %v", err)
	}
	if len(codes) == 0 {
		t.Fatal("the passage has no coding to reject")
	}
	rejected := codes[0]
	var added string
	var options []string
	chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('#code option')).map(o => o.value)`, &options))
	for _, c := range options {
		if !slices.Contains(codes, c) {
			added = c
			break
		}
	}
	if added == "" {
		t.Fatalf("no code to add among %v", options)
	}
	// Select sub by its UTF-16 offsets in the DOM, as a user's drag does.
	selectJS := fmt.Sprintf(`(() => {
		const text = document.getElementById('text');
		const w = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
		const sub = %q;
		let n, start = null, end = null, pos = 0;
		const full = text.textContent, at = full.indexOf(sub);
		while ((n = w.nextNode())) {
			const len = n.data.length;
			if (start === null && at < pos + len) start = [n, at - pos];
			if (end === null && at + sub.length <= pos + len) { end = [n, at + sub.length - pos]; break; }
			pos += len;
		}
		const r = document.createRange();
		r.setStart(start[0], start[1]);
		r.setEnd(end[0], end[1]);
		const sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(r);
		return sel.toString();
	})()`, sub)
	// The page reloads itself after each acknowledged decision; chromedp's
	// node queries can stall across such a reload, so from here on the
	// test waits and acts with JavaScript (waitFor, click).
	var selected string
	if err := chromedp.Run(ctx,
		chromedp.Click(fmt.Sprintf(`button.reject[data-code=%q]`, rejected), chromedp.ByQuery),
		waitFor(fmt.Sprintf(`tr.coding[data-code=%q][data-state="rejected"]`, rejected)),
		chromedp.Evaluate(fmt.Sprintf(`document.getElementById('code').value = %q`, added), nil),
		chromedp.Evaluate(selectJS, &selected),
		click("#add"),
		waitFor(fmt.Sprintf(`#added tr.added[data-code=%q]`, added)),
		chromedp.Evaluate(fmt.Sprintf(`document.getElementById('memo').value = %q`, memo), nil),
		click("#save-memo"),
		waitFor("#history td.memo:not(:empty)"),
	); err != nil {
		t.Fatalf("review in the browser: %v", err)
	}
	if selected != sub {
		t.Fatalf("the test selected %q, want %q", selected, sub)
	}

	var state, addedText, marked, memoBox, history string
	if err := chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible("#codes", chromedp.ByQuery),
		chromedp.AttributeValue(fmt.Sprintf(`tr.coding[data-code=%q]`, rejected), "data-state", &state, nil, chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf(`#added tr.added[data-code=%q] .span-text`, added), &addedText, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`Array.from(document.querySelectorAll('#text mark')).filter(m => m.dataset.added.split(' ').includes(%q)).map(m => m.textContent).join('')`, added), &marked),
		chromedp.Value("#memo", &memoBox, chromedp.ByQuery),
		chromedp.Text("#history", &history, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if state != "rejected" {
		t.Errorf("after the reload, %s is %q, want rejected", rejected, state)
	}
	if addedText != "“"+sub+"”" || marked != sub {
		t.Errorf("after the reload, the added span reads %q and the marks of %s %q; want %q", addedText, added, marked, sub)
	}
	if memoBox != memo || !strings.Contains(history, memo) {
		t.Errorf("after the reload, the memo box holds %q and the history %q; want %q", memoBox, history, memo)
	}

	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	span := codePoints(p.Text, sub)
	want := []string{
		fmt.Sprintf("tester %s %s reject <nil> %q", p.ID, rejected, ""),
		fmt.Sprintf("tester %s %s add %v %q", p.ID, added, span, ""),
		fmt.Sprintf("tester %s %s add %v %q", p.ID, added, span, memo),
	}
	var got []string
	for _, d := range ds {
		sp := "<nil>"
		if d.Span != nil {
			sp = fmt.Sprint(*d.Span)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %s %q", d.Coder, d.PassageID, d.CodeID, d.Action, sp, d.Memo))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("review store holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The analysis and the exports rest on the reviewed coding: after
	// lcity analyze, the rejected code is gone from the passage and the
	// added one is there, in export csv and in the profile counts.
	before, err := os.ReadFile(filepath.Join(out, "profiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("analyze after the review: exit %d: %s", code, stderr)
	}
	after, err := os.ReadFile(filepath.Join(out, "profiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(before, after) {
		t.Errorf("lcity analyze after the review left profiles.csv as it was")
	}
	csvFile := filepath.Join(t.TempDir(), "coded.csv")
	if code, _, stderr := lcity(t, "export", "csv", "--out", out, csvFile); code != 0 {
		t.Fatalf("export csv: exit %d: %s", code, stderr)
	}
	rows := readCSV(t, csvFile)
	var rejectedRows, addedRows int
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["passage_id"]] != p.ID {
			continue
		}
		switch {
		case r[col["code_id"]] == rejected:
			rejectedRows++
		case r[col["code_id"]] == added && r[col["status"]] == "added":
			addedRows++
		}
	}
	if rejectedRows != 0 || addedRows == 0 {
		t.Errorf("export csv after the review: %d rows of the rejected %s on %s (want 0), %d added rows of %s (want some)", rejectedRows, rejected, p.ID, addedRows, added)
	}

	// A second session: its own cookie, no token of its own on the request.
	ctx2, cancel2 := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel2()
	var stolen string
	chromedp.Run(ctx, chromedp.AttributeValue(`meta[name="csrf-token"]`, "content", &stolen, nil, chromedp.ByQuery))
	// A synchronous XMLHttpRequest, so that Evaluate gets the status.
	post := func(token string) string {
		hdr := ""
		if token != "" {
			hdr = fmt.Sprintf("x.setRequestHeader('X-CSRF-Token', %q);", token)
		}
		return fmt.Sprintf(`(() => { const x = new XMLHttpRequest(); x.open('POST', '/api/decisions', false);
			x.setRequestHeader('Content-Type', 'application/json'); %s
			x.send(JSON.stringify({passage_id: %q, code_id: %q, action: 'accept'})); return x.status; })()`,
			hdr, p.ID, codes[len(codes)-1])
	}
	var without, withStolen int
	if err := chromedp.Run(ctx2,
		chromedp.Navigate(base+"/passages/"+p.ID),
		chromedp.WaitVisible("#codes", chromedp.ByQuery),
		chromedp.Evaluate(post(""), &without),
		chromedp.Evaluate(post(stolen), &withStolen),
	); err != nil {
		t.Fatalf("second session: %v", err)
	}
	if without != 403 || withStolen != 403 {
		t.Errorf("second session: POST without a CSRF token → %d, with the first session's → %d; want 403 and 403", without, withStolen)
	}
	if ds2, _ := s.Decisions(context.Background()); len(ds2) != len(ds) {
		t.Errorf("the refused posts changed the store: %d decisions, want %d", len(ds2), len(ds))
	}

	// The keys, as the page lists them: a accepts the first coding not yet
	// reviewed, n goes to the next passage to review.
	var keys, firstOpen, nextPassage string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/passages/"+p.ID),
		waitFor("#keys"),
		chromedp.Evaluate(`document.getElementById('keys').textContent`, &keys),
		chromedp.Evaluate(`document.querySelector('tr.coding[data-state=""]').dataset.code`, &firstOpen),
	); err != nil {
		t.Fatalf("keys: %v", err)
	}
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent("a"),
		waitFor(fmt.Sprintf(`tr.coding[data-code=%q][data-state="accepted"]`, firstOpen)),
		chromedp.KeyEvent("n"),
		waitFor(fmt.Sprintf(`#text:not([data-passage=%q])`, p.ID)),
		chromedp.Evaluate(`document.getElementById('text').dataset.passage`, &nextPassage),
	); err != nil {
		t.Fatalf("keys: %v (first open %q, keys %q)", err, firstOpen, keys)
	}
	for _, k := range []string{"a accept", "r reject", "n next passage"} {
		if !strings.Contains(keys, k) {
			t.Errorf("the page's list of keys lacks %q: %q", k, keys)
		}
	}
	if other := findPassage(t, out, "museums"); nextPassage != other.ID {
		t.Errorf("n went to passage %q, want %q", nextPassage, other.ID)
	}
}

// waitFor waits until the page (whichever document is loaded, across
// reloads) has an element matching sel and its review script is ready.
func waitFor(sel string) chromedp.Action {
	pred := fmt.Sprintf(`document.body !== null && document.body.dataset.ready === "1" && document.querySelector(%q) !== null`, sel)
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(pred, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("wait for %s: %w", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// click clicks the element sel names, from the page's JavaScript.
func click(sel string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).click()`, sel), nil)
}

// BenchmarkServeReview measures review writes against the real server on
// loopback: 8 clients, each with its own session and CSRF token, POST
// decisions (a code added to a span of a passage of the sample) as fast
// as the server acknowledges them; each acknowledgement waits for the
// commit (one fsync). It reports writes per second and the p50 and p99
// latency of a write.
//
//	go test ./cmd/lcity -run '^$' -bench ServeReview -benchtime 2000x
func BenchmarkServeReview(b *testing.B) {
	dir, _ := os.MkdirTemp("", "lcity-bench-review-")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out")
	var so, se strings.Builder
	if code := run(context.Background(), []string{"run", "--out", out, "--permutations", "9"}, &so, &se); code != 0 {
		b.Fatalf("run: %d %s", code, se.String())
	}
	ps, err := workspace.ReadJSONL[corpus.Passage](filepath.Join(out, workspace.PassagesFile))
	if err != nil {
		b.Fatal(err)
	}
	base := startServer(b, out)
	const clients = 8
	cs := make([]*client, clients)
	for i := range cs {
		cs[i] = newBenchClient(b, base)
	}
	var mu sync.Mutex
	var lat []time.Duration
	jobs := make(chan int)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := ps[i%len(ps)]
				n := utf8.RuneCountInString(p.Text)
				from := i % max(n-1, 1)
				body := fmt.Sprintf(`{"passage_id":%q,"code_id":"charter.inclusion","action":"add","span":{"start":%d,"end":%d},"memo":"bench %d"}`,
					p.ID, from, from+1, i)
				t0 := time.Now()
				if _, _, err := c.post(body); err != nil {
					b.Error(err)
					continue
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
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
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "writes/s")
	}
}
