package review

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The durability test runs this test binary again as a child process that
// records decisions; these variables tell the child what to do.
const (
	childStore   = "LCITY_REVIEW_CHILD_STORE"
	childRound   = "LCITY_REVIEW_CHILD_ROUND"
	childWriters = "LCITY_REVIEW_CHILD_WRITERS"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(childStore); path != "" {
		os.Exit(recordUntilKilled(path, os.Getenv(childRound), os.Getenv(childWriters)))
	}
	os.Exit(m.Run())
}

// recordUntilKilled is the child: it records decisions as fast as it can
// from several goroutines and prints "ack SEQ REQUEST_ID" on stdout after
// each Record has returned, as a server answers a browser. It stops after
// a large number of decisions if nobody kills it first.
func recordUntilKilled(path, round, writers string) int {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, _ := strconv.Atoi(writers)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed bool
	)
	for w := range max(n, 1) {
		wg.Go(func() {
			for i := range 100000 {
				d := Decision{Coder: "coder" + strconv.Itoa(w), PassageID: fmt.Sprintf("p%d", i%97), CodeID: "charter.inclusion",
					Action: Add, Span: &Span{i % 13, i%13 + 5}, Memo: "round " + round, RequestID: fmt.Sprintf("%s-%d-%d", round, w, i)}
				got, err := s.Record(context.Background(), d)
				mu.Lock()
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					failed = true
				} else {
					// one write of a short line: atomic on a pipe
					fmt.Fprintf(os.Stdout, "ack %d %s\n", got.Seq, got.RequestID)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if failed {
		return 1
	}
	return 0
}

// TestKillAfterAcknowledgement kills a process that records decisions
// (SIGKILL: no deferred code, no Close, no checkpoint) right after it has
// acknowledged one, several times over the same store, and checks that
// every acknowledged decision is in the store when it is opened again.
func TestKillAfterAcknowledgement(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no subprocesses on", runtime.GOOS)
	}
	path := filepath.Join(t.TempDir(), FileName)
	acked := map[string]int64{} // request ID → seq
	for round, r := range []struct{ writers, killAfter int }{{1, 1}, {1, 57}, {4, 5}, {4, 230}, {8, 120}} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childStore+"="+path, childRound+"="+strconv.Itoa(round),
			childWriters+"="+strconv.Itoa(r.writers))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			seq, err := strconv.ParseInt(f[1], 10, 64)
			if len(f) != 3 || f[0] != "ack" || err != nil {
				t.Fatalf("child printed %q", sc.Text())
			}
			acked[f[2]] = seq
			if n++; n == r.killAfter {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		// acknowledgements already in the pipe count too: the child
		// printed them after Record returned.
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 3 {
				seq, _ := strconv.ParseInt(f[1], 10, 64)
				acked[f[2]] = seq
			}
		}
		err = cmd.Wait()
		if n < r.killAfter {
			t.Fatalf("round %d: child ended after %d acknowledgements (%v): %s", round, n, err, stderr.String())
		}
		_, walErr := os.Stat(path + "-wal")
		t.Logf("round %d: %d writers killed after %d acknowledgements (%v); write-ahead log left: %v",
			round, r.writers, n, err, walErr == nil)

		s, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		ds, err := s.Decisions(context.Background())
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]int64{}
		for i, d := range ds {
			if d.Seq != int64(i+1) {
				t.Fatalf("round %d: decision %d has seq %d: a gap in the log", round, i, d.Seq)
			}
			found[d.RequestID] = d.Seq
		}
		for id, seq := range acked {
			if got, ok := found[id]; !ok || got != seq {
				t.Errorf("round %d: acknowledged decision %s (seq %d) is %s after the kill", round, id, seq,
					map[bool]string{false: "missing", true: fmt.Sprintf("at seq %d", got)}[ok])
			}
		}
		t.Logf("round %d: %d decisions in the store, %d acknowledged so far, all present", round, len(ds), len(acked))
	}
}
