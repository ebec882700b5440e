package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lcity/lcity/corpus"
)

// handshakeTimeout bounds how long a new worker may take to say hello.
const handshakeTimeout = 30 * time.Second

// stderrKept is how much of what a worker writes to its standard error
// while it extracts one file is kept, to tell why it died.
const stderrKept = 32 << 10

// KillAfter is the wall-clock limit of one file in a worker process:
// Options.Timeout plus a margin of a quarter of it, at least one second
// and at most 30. A worker answers with a timeout failure by itself when
// the timeout passes; one that cannot (it is stuck as a whole) is killed
// at this limit.
func KillAfter(timeout time.Duration) time.Duration {
	margin := min(max(timeout/4, time.Second), 30*time.Second)
	return timeout + margin
}

// Supervisor extracts files in worker processes, so that a file that
// crashes the extractor, loops in it or takes memory without bound fails
// alone (as crashed, timeout or too-much-memory) instead of taking the
// whole run with it.
//
// A worker is the running executable started again as a worker (WorkerArg
// as its argument, WorkerEnv=1 in its environment; see ServeWorker). Each
// call of File takes an idle worker or starts one, so there are never
// more workers than concurrent calls; a worker serves one file at a time
// and is reused until it fails. A worker that dies, is killed at the
// time limit or answers with a timeout (its stuck extraction cannot be
// stopped otherwise) is replaced by a new one at the next call. Workers
// die with the supervisor: Close kills them, and on Linux so does the
// kernel when the supervising process dies.
//
// A Supervisor is safe for concurrent use. Its results are those of File
// in process, byte for byte, but for the failures only a worker can have.
type Supervisor struct {
	mu     sync.Mutex
	idle   []*worker
	live   map[*worker]struct{}
	closed bool
	stats  SupervisorStats

	// Workers started ahead of need (Prestart): how many are starting,
	// a channel closed (and replaced) when one of them is done, a
	// context Close cancels, and the goroutines to wait for.
	starting int
	started  chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// SupervisorStats counts what a Supervisor did.
type SupervisorStats struct {
	// Started is the number of worker processes started.
	Started int
	// Replaced is the number of workers ended after a failure, a timeout
	// or a cancellation.
	Replaced int
	// PeakRSS is the largest peak resident set size a worker reached, in
	// bytes (0 where the system does not tell).
	PeakRSS int64
}

// NewSupervisor returns a Supervisor with no workers yet.
func NewSupervisor() *Supervisor {
	ctx, cancel := context.WithCancel(context.Background())
	return &Supervisor{live: map[*worker]struct{}{}, started: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// Prestart starts workers in the background until n are idle or
// starting, so that the first files need not wait for a worker process
// to start (about 15 ms of CPU and 20 ms of wall-clock time each, most of
// it the Go runtime and the package initialisation of the executable): a
// caller that knows it will extract calls it as early as it can, before
// the work that precedes extraction (reading the manifest, hashing the
// inputs). A File call waits for a starting worker rather than start one
// more. A worker that cannot be started here is forgotten: File then
// starts one itself and returns its error.
func (s *Supervisor) Prestart(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.closed && len(s.idle)+s.starting < n {
		s.starting++
		s.wg.Add(1)
		go s.prestart()
	}
}

func (s *Supervisor) prestart() {
	defer s.wg.Done()
	w, err := startWorker(s.ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.starting--
	close(s.started)
	s.started = make(chan struct{})
	if err != nil {
		return
	}
	s.stats.Started++
	if s.closed {
		go w.end()
		return
	}
	s.live[w] = struct{}{}
	s.idle = append(s.idle, w)
}

// Stats returns what the supervisor did so far.
func (s *Supervisor) Stats() SupervisorStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// File extracts one input in a worker process and returns what File
// would return in this process. A worker that dies while extracting it
// makes every entry of the input fail as crashed or, when it ran out of
// memory, as too-much-memory; one that has not answered by
// KillAfter(opt.Timeout) is killed and the input fails as timeout. When
// ctx is done, File kills the worker and returns at once (the Result then
// holds ctx's error, as File's does).
//
// The error is not the input's: it is returned when no worker can be
// started (the executable cannot be found or does not answer as a
// worker) or the supervisor is closed.
func (s *Supervisor) File(ctx context.Context, fsys fs.FS, in Input, opt Options) (Result, error) {
	res, err := s.file(ctx, fsys, in, opt)
	return cleanMessages(res), err
}

func (s *Supervisor) file(ctx context.Context, fsys fs.FS, in Input, opt Options) (Result, error) {
	opt = opt.withDefaults()
	if err := ctx.Err(); err != nil {
		return failAll(in, "", err), nil
	}
	f, size, err := openInput(fsys, in.File, opt.MaxBytes)
	if err != nil {
		return failAll(in, "", err), nil
	}
	defer f.Close()
	w, err := s.get(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return failAll(in, "", ctx.Err()), nil
		}
		return Result{}, err
	}
	w.stderr.reset()
	var resp response
	src := &inputReader{r: f}
	stop, err := w.run(ctx, KillAfter(opt.Timeout), func() error {
		if err := writeFrame(w.stdin, request{Input: in, Options: opt, Size: size}); err != nil {
			return err
		}
		if _, err := io.CopyN(w.stdin, src, size); err != nil {
			return err
		}
		return readFrame(w.stdout, &resp)
	})
	switch {
	case stop == stopCancelled:
		s.retire(w)
		return failAll(in, "", ctx.Err()), nil
	case stop == stopTimedOut:
		s.retire(w)
		return failAll(in, "", fmt.Errorf("%w: more than %s; the worker process was killed", corpus.ErrTimeout, opt.Timeout)), nil
	case src.err != nil:
		// The file could not be read to the end: the worker has half a
		// request, so it goes too.
		s.retire(w)
		return failAll(in, "", fmt.Errorf("%w: %v", corpus.ErrCorrupt, src.err)), nil
	case err != nil:
		// The worker went away: let it end by itself, to tell why.
		w.await(exitWait)
		why := w.failure(opt)
		s.retire(w)
		if s.isClosed() {
			return Result{}, errClosed
		}
		return failAll(in, "", why), nil
	}
	s.notePeak(resp.PeakRSS)
	if timedOut(resp.Result) {
		// The worker answered at the time limit, but its extraction may
		// still be running: only ending the process stops it.
		s.retire(w)
	} else {
		s.put(w)
	}
	return resp.Result, nil
}

// Close kills every worker and waits for them to end. A File still
// running returns an error; File after Close does too. Close may be
// called more than once.
func (s *Supervisor) Close() error {
	s.cancel()
	s.wg.Wait()
	s.mu.Lock()
	s.closed = true
	ws := make([]*worker, 0, len(s.live))
	for w := range s.live {
		ws = append(ws, w)
	}
	s.idle = nil
	s.mu.Unlock()
	for _, w := range ws {
		w.end()
	}
	s.mu.Lock()
	for _, w := range ws {
		delete(s.live, w)
	}
	s.mu.Unlock()
	return nil
}

func (s *Supervisor) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Supervisor) notePeak(rss int64) {
	s.mu.Lock()
	s.stats.PeakRSS = max(s.stats.PeakRSS, rss)
	s.mu.Unlock()
}

// get returns an idle live worker, waits for one that Prestart is
// starting, or starts one.
func (s *Supervisor) get(ctx context.Context) (*worker, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, errClosed
		}
		if n := len(s.idle); n == 0 && s.starting > 0 {
			started := s.started
			s.mu.Unlock()
			select {
			case <-started:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if n := len(s.idle); n > 0 {
			w := s.idle[n-1]
			s.idle = s.idle[:n-1]
			s.mu.Unlock()
			select {
			case <-w.exited: // died while idle: replace it
				s.retire(w)
				continue
			default:
				return w, nil
			}
		}
		s.mu.Unlock()
		break
	}
	w, err := startWorker(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Started++
	if s.closed {
		go w.end()
		return nil, errClosed
	}
	s.live[w] = struct{}{}
	return w, nil
}

// put makes a worker idle again.
func (s *Supervisor) put(w *worker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[w]; !ok || s.closed {
		go w.end()
		return
	}
	s.idle = append(s.idle, w)
}

// retire ends a worker that failed or was stopped.
func (s *Supervisor) retire(w *worker) {
	w.end()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[w]; ok {
		delete(s.live, w)
		s.stats.Replaced++
	}
	s.stats.PeakRSS = max(s.stats.PeakRSS, w.peakRSS)
}

// timedOut reports whether a result holds a timeout failure.
func timedOut(res Result) bool {
	for _, f := range res.Failures {
		if f.Reason == corpus.ReasonTimeout {
			return true
		}
	}
	return false
}

// worker is one worker process.
type worker struct {
	cmd     *exec.Cmd
	stdin   *os.File      // the worker's standard input, our end
	stdout  *bufio.Reader // the worker's standard output, our end
	rout    *os.File
	stderr  *headWriter
	exited  chan struct{} // closed when the process has ended and been waited for
	state   *os.ProcessState
	killed  atomic.Bool // end killed it
	peakRSS int64       // set by end
	endOnce sync.Once
}

// startWorker starts a worker process and waits for its hello.
func startWorker(ctx context.Context) (*worker, error) {
	if IsWorker() {
		return nil, errors.New("ingest: a worker process cannot start workers (call ServeWorker when IsWorker reports true)")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start ingest worker: %w", err)
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start ingest worker: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("start ingest worker: %w", err)
	}
	cmd := exec.Command(exe, WorkerArg)
	cmd.Env = workerEnv(os.Environ())
	cmd.Stdin, cmd.Stdout = inR, outW
	w := &worker{cmd: cmd, stdin: inW, rout: outR, stdout: bufio.NewReaderSize(outR, 1<<16), stderr: &headWriter{max: stderrKept}, exited: make(chan struct{})}
	cmd.Stderr = w.stderr
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = time.Second
	err = startProcess(cmd)
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("start ingest worker %s: %w", exe, err)
	}
	go func() {
		cmd.Wait()
		w.state = cmd.ProcessState
		close(w.exited)
	}()
	var h hello
	stop, err := w.run(ctx, handshakeTimeout, func() error { return readFrame(w.stdout, &h) })
	switch {
	case err == io.EOF:
		err = errors.New("it ended without a word")
	case err != nil:
		err = errors.New("it did not answer as an ingest worker")
	case h.Magic != protocolMagic:
		err = fmt.Errorf("it speaks %q, want %q", h.Magic, protocolMagic)
	}
	if err != nil {
		w.end()
		switch {
		case stop == stopCancelled:
			return nil, ctx.Err()
		case stop == stopTimedOut:
			err = fmt.Errorf("no answer in %s", handshakeTimeout)
		}
		msg := strings.TrimSpace(w.stderr.String())
		if msg != "" {
			msg = ": " + firstLines(msg, 5)
		}
		return nil, fmt.Errorf("start ingest worker %s %s: %v (a program that extracts in worker processes must call ingest.ServeWorker when started as one)%s", exe, WorkerArg, err, msg)
	}
	return w, nil
}

// workerEnv is the environment of a worker: the supervisor's, with
// WorkerEnv=1, and the garbage collector off (GOGC=off) until ServeWorker
// begins, which sets it back to the supervisor's GOGC (workerGOGCEnv).
// The package initialisation of the lcity executable allocates about
// 3.4 MB, just under a new heap's first 4 MB goal, so with the collector
// on each worker start runs a collection of garbage that is nearly all
// still live: about 6 % of a worker's start-up CPU (BENCHMARKS.md).
func workerEnv(env []string) []string {
	gogc := ""
	out := make([]string, 0, len(env)+3)
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "GOGC="):
			gogc = strings.TrimPrefix(kv, "GOGC=")
			continue
		case strings.HasPrefix(kv, WorkerEnv+"="), strings.HasPrefix(kv, workerGOGCEnv+"="):
			continue
		}
		out = append(out, kv)
	}
	return append(out, WorkerEnv+"=1", "GOGC=off", workerGOGCEnv+"="+gogc)
}

type stopCause int

const (
	stopNone stopCause = iota
	stopCancelled
	stopTimedOut
)

// run runs fn, which talks to the worker, until it returns, ctx is done
// or limit passes; in the two latter cases it kills the worker, which
// makes fn return, and reports why.
func (w *worker) run(ctx context.Context, limit time.Duration, fn func() error) (stopCause, error) {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		return stopNone, err
	case <-ctx.Done():
		w.end()
		return stopCancelled, <-done
	case <-timer.C:
		w.end()
		return stopTimedOut, <-done
	}
}

// end kills the worker (and its process group) and waits for it to end.
func (w *worker) end() {
	w.endOnce.Do(func() {
		select {
		case <-w.exited:
		default:
			w.killed.Store(true)
			killProcess(w.cmd.Process)
		}
		w.stdin.Close()
		<-w.exited
		w.rout.Close()
		w.peakRSS = exitPeakRSS(w.state)
	})
	<-w.exited
}

// exitWait is how long a worker that stopped answering is given to end
// by itself before it is killed.
const exitWait = 5 * time.Second

// await waits for the worker to end by itself, at most d.
func (w *worker) await(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-w.exited:
	case <-t.C:
	}
}

// failure tells why a worker died while it extracted a file: too much
// memory when the Go runtime or the system said so, else a crash. Call
// it once the worker has ended (await), before end.
func (w *worker) failure(opt Options) error {
	out := w.stderr.String()
	lower := strings.ToLower(out)
	if strings.Contains(lower, "out of memory") || strings.Contains(lower, "cannot allocate memory") || strings.Contains(lower, "errno=12") ||
		strings.Contains(lower, "failed to allocate") || strings.Contains(lower, "address space collisions") { // the race detector's runtime
		return fmt.Errorf("%w of %s", corpus.ErrTooMuchMemory, formatBytes(opt.MaxMemory))
	}
	var st *os.ProcessState
	select {
	case <-w.exited:
		st = w.state
	default:
	}
	if st != nil && !w.killed.Load() && killedOutright(st) {
		return fmt.Errorf("%w of %s: the worker process was killed (SIGKILL), most likely by the system for want of memory", corpus.ErrTooMuchMemory, formatBytes(opt.MaxMemory))
	}
	what := "ended without an answer"
	if st != nil {
		what = st.String()
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			what += ": " + strings.TrimSuffix(strings.TrimSpace(l), " [recovered]")
			break
		}
	}
	return fmt.Errorf("%w: %s", corpus.ErrCrashed, what)
}

// inputReader reads the input file for a worker and keeps the first
// read error, so that a file that cannot be read is told from a worker
// that went away. A file shorter than its size is an error too.
type inputReader struct {
	r   io.Reader
	err error
}

func (r *inputReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && r.err == nil {
		r.err = err
		if err == io.EOF {
			r.err = io.ErrUnexpectedEOF
		}
	}
	return n, err
}

// formatBytes writes a limit in the largest binary unit that divides it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "; ")
}

// headWriter keeps the first max bytes written to it since the last
// reset.
type headWriter struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (h *headWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headWriter) reset() {
	h.mu.Lock()
	h.buf = h.buf[:0]
	h.mu.Unlock()
}

func (h *headWriter) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.buf)
}
