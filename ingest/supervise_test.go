package ingest

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/internal/workerfault"
)

// TestMain serves as an ingest worker when a Supervisor started this test
// binary as one, with the test faults (testenv.WorkerFault) armed; else it
// runs the tests.
func TestMain(m *testing.M) {
	if IsWorker() {
		workerfault.Hook = testenv.WorkerFault
		if err := ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(supervisorChildEnv) == "1" {
		supervisorChild()
		return
	}
	os.Exit(m.Run())
}

// encode is a result as the extraction cache stores it (gob) and as the
// workspace files show it (JSON).
func encode(t *testing.T, res Result) (gobBytes, jsonBytes []byte) {
	t.Helper()
	var g bytes.Buffer
	if err := gob.NewEncoder(&g).Encode(res); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return g.Bytes(), j
}

// TestSupervisedMatchesInProcess extracts the sample corpus and the PDFs
// of ../shared/pdfs in worker processes, three at a time, and in process:
// the results are byte-identical, as gob (the extraction cache) and as
// JSON, with a known digest (as the pipeline extracts) and, for the
// sample, without.
func TestSupervisedMatchesInProcess(t *testing.T) {
	type job struct {
		c  *corpus.Corpus
		in Input
	}
	sample := corpus.Sample()
	shared, err := corpus.Load(testenv.Shared(t, "pdfs"))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []job
	for _, c := range []*corpus.Corpus{sample, shared} {
		for _, in := range Inputs(c) {
			if c == sample {
				jobs = append(jobs, job{c, in})
			}
			if sum, _, err := HashFile(context.Background(), c.FS, in.File, 0); err == nil {
				in.SHA256 = sum
				jobs = append(jobs, job{c, in})
			}
		}
	}
	opt := Options{Timeout: time.Minute}
	s := NewSupervisor()
	defer s.Close()
	got := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for i := range next {
				res, err := s.File(context.Background(), jobs[i].c.FS, jobs[i].in, opt)
				if err != nil {
					t.Error(err)
				}
				got[i] = res
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, j := range jobs {
		want := File(context.Background(), j.c.FS, j.in, opt)
		wg, wj := encode(t, want)
		gg, gj := encode(t, got[i])
		if !bytes.Equal(gg, wg) || !bytes.Equal(gj, wj) {
			t.Errorf("%s (sha256 %q): supervised result differs from in process:\n got %.300s\nwant %.300s", j.in.Source, j.in.SHA256, gj, wj)
		}
	}
	if st := s.Stats(); st.Started < 1 || st.Started > 3 || st.Replaced != 0 {
		t.Errorf("stats %+v: want 1 to 3 workers started, none replaced", st)
	}
}

// faultFS holds a good text file and one file per test fault.
func faultFS() fstest.MapFS {
	text := []byte("# Cork\n\nThe learning festival of Cork brings generations together.\n")
	fsys := fstest.MapFS{"good.txt": {Data: text}}
	for _, p := range []string{testenv.FaultExit, testenv.FaultPanic, testenv.FaultOOM, testenv.FaultHang, testenv.FaultStop} {
		fsys[p+"x.txt"] = &fstest.MapFile{Data: text}
	}
	return fsys
}

func input(file string) Input {
	return Input{File: file, Source: file, Entries: []corpus.Entry{{File: file, City: strings.TrimSuffix(file, ".txt")}}}
}

// startedWorker starts a worker of s and leaves it idle, for File to take
// next; it returns the worker's process ID.
func startedWorker(t *testing.T, s *Supervisor) int {
	t.Helper()
	w, err := s.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.put(w)
	return w.cmd.Process.Pid
}

// gone waits up to 5 s for the process pid to end.
func gone(pid int) bool {
	for range 250 {
		if !testenv.Alive(pid) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestSupervisedFaults: a worker that exits, panics, takes memory without
// bound or hangs fails that input alone with the reason it deserves; its
// process is gone afterwards, and the next input is extracted by a new
// worker.
func TestSupervisedFaults(t *testing.T) {
	tests := []struct {
		file, reason, detail string
		linux                bool // the fault is caught only on Linux
	}{
		{testenv.FaultExit + "x.txt", corpus.ReasonCrashed, "exit status 3", false},
		{testenv.FaultPanic + "x.txt", corpus.ReasonCrashed, "panic: injected fault", false},
		{testenv.FaultOOM + "x.txt", corpus.ReasonTooMuchMemory, "memory limit of 128 MiB", true},
		// The extracting goroutine loops: the worker answers at the
		// timeout, and is killed because nothing else stops that loop.
		{testenv.FaultHang + "x.txt", corpus.ReasonTimeout, "more than 300ms", false},
		// The whole worker stops: it is killed at KillAfter(timeout).
		{testenv.FaultStop + "x.txt", corpus.ReasonTimeout, "the worker process was killed", false},
	}
	fsys := faultFS()
	for _, tt := range tests {
		opt := Options{Timeout: 300 * time.Millisecond, MaxMemory: 128 << 20}
		if tt.reason == corpus.ReasonTooMuchMemory {
			opt.Timeout = time.Minute // the collector works hard near the limit
		}
		t.Run(tt.file, func(t *testing.T) {
			if tt.linux && runtime.GOOS != "linux" {
				t.Skip("memory is limited by RLIMIT_AS on Linux only")
			}
			s := NewSupervisor()
			defer s.Close()
			pid := startedWorker(t, s)
			start := time.Now()
			res, err := s.File(context.Background(), fsys, input(tt.file), opt)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("File(%s) = %+v in %s", tt.file, res.Failures, took)
			if len(res.Docs) != 0 || len(res.Failures) != 1 || res.Failures[0].Reason != tt.reason || !strings.Contains(res.Failures[0].Detail, tt.detail) {
				t.Fatalf("File(%s) = %d docs, failures %+v; want one %s failure mentioning %q", tt.file, len(res.Docs), res.Failures, tt.reason, tt.detail)
			}
			if d := res.Failures[0].Detail; d != corpus.CleanDetail(d) {
				t.Errorf("File(%s): detail %q is not one clean line", tt.file, d)
			}
			if limit := KillAfter(opt.Timeout) + 2*time.Second; took > limit {
				t.Errorf("File(%s) took %s, want less than %s", tt.file, took, limit)
			}
			if !gone(pid) {
				t.Errorf("worker %d still runs after failing %s", pid, tt.file)
			}
			res, err = s.File(context.Background(), fsys, input("good.txt"), Options{Timeout: time.Minute})
			if err != nil || len(res.Docs) != 1 || len(res.Failures) != 0 {
				t.Fatalf("File(good.txt) after the fault = %d docs, failures %+v, %v; want 1 document", len(res.Docs), res.Failures, err)
			}
			if st := s.Stats(); st.Started != 2 || st.Replaced != 1 {
				t.Errorf("stats %+v, want 2 workers started, 1 replaced", st)
			}
		})
	}
}

// TestSupervisedCancel: cancelling File kills its worker at once.
func TestSupervisedCancel(t *testing.T) {
	s := NewSupervisor()
	defer s.Close()
	pid := startedWorker(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res, err := s.File(ctx, faultFS(), input(testenv.FaultStop+"x.txt"), Options{Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cancelled File took %s", took)
	}
	if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Detail, context.Canceled.Error()) {
		t.Errorf("cancelled File = failures %+v, want the context's error", res.Failures)
	}
	if !gone(pid) {
		t.Errorf("worker %d still runs after the cancellation", pid)
	}
}

// TestSupervisorClose: Close ends every worker, idle or busy; File after
// Close is an error.
func TestSupervisorClose(t *testing.T) {
	s := NewSupervisor()
	w, err := s.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	idle := w.cmd.Process.Pid
	busyDone := make(chan error, 1)
	go func() {
		_, err := s.File(context.Background(), faultFS(), input(testenv.FaultStop+"x.txt"), Options{Timeout: time.Hour})
		busyDone <- err
	}()
	// Wait until the busy worker runs (a second one).
	for s.Stats().Started < 2 {
		time.Sleep(10 * time.Millisecond)
	}
	s.put(w)
	time.Sleep(100 * time.Millisecond)
	s.Close()
	select {
	case err := <-busyDone:
		if !errors.Is(err, errClosed) {
			t.Errorf("File during Close = %v, want %v", err, errClosed)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("File still runs after Close")
	}
	if !gone(idle) {
		t.Errorf("idle worker %d still runs after Close", idle)
	}
	if pids, ok := testenv.Children(WorkerArg); ok && len(pids) > 0 {
		t.Errorf("workers %v still run after Close", pids)
	}
	if _, err := s.File(context.Background(), faultFS(), input("good.txt"), Options{}); !errors.Is(err, errClosed) {
		t.Errorf("File after Close = %v, want %v", err, errClosed)
	}
}

// TestWorkerCannotSupervise: a process started as a worker refuses to
// start workers of its own (a test binary that does not serve would
// otherwise start itself again and again).
func TestWorkerCannotSupervise(t *testing.T) {
	t.Setenv(WorkerEnv, "1")
	s := NewSupervisor()
	defer s.Close()
	if _, err := s.File(context.Background(), faultFS(), input("good.txt"), Options{}); err == nil || !strings.Contains(err.Error(), "cannot start workers") {
		t.Errorf("File in a worker = %v, want an error", err)
	}
}

// supervisorChildEnv makes this test binary a supervisor that starts a
// worker, prints its process ID and waits to be killed
// (TestWorkerDiesWithSupervisor).
const supervisorChildEnv = "LCITY_TEST_SUPERVISOR_CHILD"

func supervisorChild() {
	s := NewSupervisor()
	w, err := s.get(context.Background())
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(w.cmd.Process.Pid)
	time.Sleep(time.Hour)
}

// TestWorkerDiesWithSupervisor: on Linux, a worker dies when its
// supervising process is killed outright (Pdeathsig), even while it is
// not reading its input.
func TestWorkerDiesWithSupervisor(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Pdeathsig is Linux's; elsewhere a worker ends when it next reads its closed input")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), supervisorChildEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := readLine(out)
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(line)
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("supervisor said %q", line)
	}
	if !testenv.Alive(pid) {
		t.Fatalf("worker %d not running", pid)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !gone(pid) {
		t.Errorf("worker %d outlived its supervisor", pid)
	}
}

func readLine(r io.Reader) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		if _, err := r.Read(one); err != nil {
			return string(b), err
		}
		if one[0] == '\n' {
			return strings.TrimSpace(string(b)), nil
		}
		b = append(b, one[0])
	}
}

// TestServeWorkerProtocol drives ServeWorker in process over pipes: hello,
// a request answered with File's result, and a clean end at the end of
// its input; a request cut short is an error.
func TestServeWorkerProtocol(t *testing.T) {
	fsys := faultFS()
	data := fsys["good.txt"].Data
	serve := func() (io.WriteCloser, io.Reader, chan error) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan error, 1)
		go func() {
			err := ServeWorker(inR, outW)
			outW.CloseWithError(io.EOF)
			done <- err
		}()
		return inW, outR, done
	}
	in, out, done := serve()
	var h hello
	if err := readFrame(out, &h); err != nil || h.Magic != protocolMagic || h.PID != os.Getpid() {
		t.Fatalf("hello = %+v, %v", h, err)
	}
	go func() {
		writeFrame(in, request{Input: input("good.txt"), Size: int64(len(data))})
		in.Write(data)
	}()
	var resp response
	if err := readFrame(out, &resp); err != nil {
		t.Fatal(err)
	}
	gotG, gotJ := encode(t, resp.Result)
	wantG, wantJ := encode(t, File(context.Background(), fsys, input("good.txt"), Options{}))
	if !bytes.Equal(gotG, wantG) || !bytes.Equal(gotJ, wantJ) {
		t.Errorf("worker answered %s, want %s", gotJ, wantJ)
	}
	in.Close()
	if err := <-done; err != nil {
		t.Errorf("ServeWorker at the end of its input = %v, want nil", err)
	}

	in, out, done = serve()
	readFrame(out, &h)
	go func() {
		writeFrame(in, request{Input: input("good.txt"), Size: int64(len(data))})
		in.Write(data[:10])
		in.Close()
	}()
	if err := <-done; err == nil {
		t.Error("ServeWorker with a request cut short = nil, want an error")
	}
}

// TestFrames: frames round-trip; a frame cut short is io.ErrUnexpectedEOF
// and no frame at all io.EOF.
func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	want := request{Input: input("good.txt"), Options: Options{Timeout: time.Second}, Size: 42}
	if err := writeFrame(&buf, want); err != nil {
		t.Fatal(err)
	}
	whole := bytes.Clone(buf.Bytes())
	var got request
	if err := readFrame(&buf, &got); err != nil || got.Size != 42 || got.Input.File != "good.txt" || got.Options.Timeout != time.Second {
		t.Errorf("readFrame = %+v, %v; want %+v", got, err, want)
	}
	if err := readFrame(&buf, &got); err != io.EOF {
		t.Errorf("readFrame at the end = %v, want io.EOF", err)
	}
	for _, n := range []int{4, 8, len(whole) - 1} {
		if err := readFrame(bytes.NewReader(whole[:n]), &got); !errors.Is(err, io.ErrUnexpectedEOF) && !(n < 8 && err == io.ErrUnexpectedEOF) {
			t.Errorf("readFrame of %d of %d bytes = %v, want io.ErrUnexpectedEOF", n, len(whole), err)
		}
	}
}

func TestKillAfter(t *testing.T) {
	tests := map[time.Duration]time.Duration{
		300 * time.Millisecond: 1300 * time.Millisecond,
		time.Minute:            time.Minute + 15*time.Second,
		DefaultTimeout:         DefaultTimeout + 30*time.Second,
		time.Hour:              time.Hour + 30*time.Second,
	}
	for in, want := range tests {
		if got := KillAfter(in); got != want {
			t.Errorf("KillAfter(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestSupervisorPrestart: workers started ahead of need serve the files
// (no more are started than Prestart asked for, however often it is
// called), and Close right after Prestart leaves no worker behind.
func TestSupervisorPrestart(t *testing.T) {
	s := NewSupervisor()
	s.Prestart(2)
	s.Prestart(2)
	var wg sync.WaitGroup
	results := make([]Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			results[i], errs[i] = s.File(context.Background(), faultFS(), input("good.txt"), Options{})
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil || len(results[i].Failures) > 0 || len(results[i].Docs) != 1 {
			t.Errorf("File %d = %d docs, failures %v, error %v; want 1 doc", i, len(results[i].Docs), results[i].Failures, errs[i])
		}
	}
	if got := s.Stats().Started; got != 2 {
		t.Errorf("after Prestart(2) twice and two files, %d workers started, want 2", got)
	}
	s.Close()
	if pids, ok := testenv.Children(WorkerArg); ok && len(pids) > 0 {
		t.Errorf("workers %v still run after Close", pids)
	}

	s = NewSupervisor()
	s.Prestart(3)
	s.Close()
	if pids, ok := testenv.Children(WorkerArg); ok && len(pids) > 0 {
		t.Errorf("prestarted workers %v still run after Close", pids)
	}
	if _, err := s.File(context.Background(), faultFS(), input("good.txt"), Options{}); !errors.Is(err, errClosed) {
		t.Errorf("File after Close = %v, want %v", err, errClosed)
	}
}

// TestWorkerEnv: a worker starts with the collector off and is told the
// supervisor's GOGC, whatever the supervisor's environment held.
func TestWorkerEnv(t *testing.T) {
	tests := []struct {
		env  []string
		want []string
	}{
		{[]string{"PATH=/bin"}, []string{"PATH=/bin", WorkerEnv + "=1", "GOGC=off", workerGOGCEnv + "="}},
		{[]string{"GOGC=50", "HOME=/h"}, []string{"HOME=/h", WorkerEnv + "=1", "GOGC=off", workerGOGCEnv + "=50"}},
		{[]string{WorkerEnv + "=0", workerGOGCEnv + "=7", "GOGC=off"}, []string{WorkerEnv + "=1", "GOGC=off", workerGOGCEnv + "=off"}},
	}
	for _, tt := range tests {
		if got := workerEnv(tt.env); !slices.Equal(got, tt.want) {
			t.Errorf("workerEnv(%q) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

// TestRestoreGC: ServeWorker gives the runtime back the supervisor's GOGC
// (100 when it had none or an unreadable one) and the environment too.
func TestRestoreGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tests := []struct {
		given   string
		wantPct int
		wantEnv string
	}{
		{"", 100, ""},
		{"50", 50, "50"},
		{"off", -1, "off"},
		{"lots", 100, "lots"},
	}
	for _, tt := range tests {
		t.Setenv(WorkerEnv, "1")
		t.Setenv("GOGC", "off")
		t.Setenv(workerGOGCEnv, tt.given)
		debug.SetGCPercent(-1)
		restoreGC()
		if got := debug.SetGCPercent(100); got != tt.wantPct {
			t.Errorf("GC percent after restoreGC with GOGC %q = %d, want %d", tt.given, got, tt.wantPct)
		}
		if got := os.Getenv("GOGC"); got != tt.wantEnv {
			t.Errorf("GOGC after restoreGC with GOGC %q = %q, want %q", tt.given, got, tt.wantEnv)
		}
		if _, ok := os.LookupEnv(workerGOGCEnv); ok {
			t.Errorf("%s still set after restoreGC", workerGOGCEnv)
		}
	}
}
