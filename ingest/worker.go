package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/lcity/lcity/corpus"
)

// The worker protocol. A Supervisor starts a worker process and talks to
// it over the worker's standard input and output in frames: an 8-byte
// big-endian length, then that many bytes. The worker first sends a hello
// frame; then, for each input, the supervisor sends a request frame
// followed by exactly request.Size raw bytes of the file, and the worker
// answers with a response frame. Frames hold one gob-encoded value each.
// The worker ends when its standard input ends.

// Worker process identification.
const (
	// WorkerArg is the argument a Supervisor starts a worker with: the
	// same executable, run as `<program> __ingest-worker`. A program
	// serves it by calling ServeWorker (lcity has a hidden command).
	WorkerArg = "__ingest-worker"
	// WorkerEnv is set to "1" in a worker's environment, for programs that
	// cannot take WorkerArg, such as test binaries (see IsWorker).
	WorkerEnv = "LCITY_INGEST_WORKER"
	// workerGOGCEnv holds the supervisor's GOGC ("" when unset) for the
	// worker, which starts with GOGC=off (see workerEnv).
	workerGOGCEnv = "LCITY_INGEST_WORKER_GOGC"
)

// protocolMagic opens a worker's hello; it changes with the protocol.
const protocolMagic = "lcity-ingest-worker/1"

type hello struct {
	Magic string
	PID   int
}

type request struct {
	Input   Input
	Options Options
	Size    int64 // bytes of the file that follow the frame
}

type response struct {
	Result  Result
	PeakRSS int64 // the worker's peak resident set size so far, bytes (0: unknown)
}

// gob assigns type IDs in the order a process first encodes types, and
// they are written into the encoding. Result goes first, so that it (and
// the extraction cache, which stores it) is encoded the same in every
// process, whether it extracted in process or sent requests to workers
// before.
func init() {
	gob.NewEncoder(io.Discard).Encode(Result{Docs: []Doc{{Passages: []corpus.Passage{{Sentences: []corpus.Span{{}}}}}}})
}

// IsWorker reports whether this process was started by a Supervisor as a
// worker (WorkerEnv is "1"). A test binary that runs supervised
// extraction checks it in TestMain and then calls ServeWorker instead of
// running its tests.
func IsWorker() bool { return os.Getenv(WorkerEnv) == "1" }

// ServeWorker is the worker process's side of supervised extraction: it
// says hello on w, then reads requests from r and answers each with
// File's Result, until r ends (nil) or the protocol breaks (an error).
// Before each file it sets the memory limits of Options.MaxMemory: the Go
// runtime's soft limit (debug.SetMemoryLimit) and, on Linux, RLIMIT_AS
// over the address space the process had when ServeWorker began.
//
// When w is os.Stdout, ServeWorker points os.Stdout at os.Stderr while it
// runs, so that nothing printed by accident can corrupt the frames.
func ServeWorker(r io.Reader, w io.Writer) error {
	if f, ok := w.(*os.File); ok && f == os.Stdout {
		os.Stdout = os.Stderr
		defer func() { os.Stdout = f }()
	}
	restoreGC()
	base := addressSpace()
	applied := int64(-1)
	br := bufio.NewReaderSize(r, 1<<16)
	if err := writeFrame(w, hello{Magic: protocolMagic, PID: os.Getpid()}); err != nil {
		return fmt.Errorf("ingest worker: hello: %w", err)
	}
	for {
		var req request
		if err := readFrame(br, &req); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("ingest worker: read request: %w", err)
		}
		opt := req.Options.withDefaults()
		if req.Size < 0 || req.Size > opt.MaxBytes {
			return fmt.Errorf("ingest worker: request of %d bytes, limit %d", req.Size, opt.MaxBytes)
		}
		data := make([]byte, req.Size)
		if _, err := io.ReadFull(br, data); err != nil {
			return fmt.Errorf("ingest worker: read %s: %w", req.Input.File, err)
		}
		if opt.MaxMemory != applied {
			debug.SetMemoryLimit(opt.MaxMemory - opt.MaxMemory/8)
			limitAddressSpace(base, opt.MaxMemory)
			applied = opt.MaxMemory
		}
		res := File(context.Background(), memFS{name: req.Input.File, data: data}, req.Input, opt)
		data = nil
		if err := writeFrame(w, response{Result: res, PeakRSS: selfPeakRSS()}); err != nil {
			return fmt.Errorf("ingest worker: answer: %w", err)
		}
	}
}

// restoreGC sets the garbage collector back to what the supervisor
// runs with, when this process was started with it off for its package
// initialisation (workerEnv): GOGC's value, or 100 when it was unset or
// not a number.
func restoreGC() {
	if os.Getenv(WorkerEnv) != "1" || os.Getenv("GOGC") != "off" {
		return
	}
	v, ok := os.LookupEnv(workerGOGCEnv)
	if !ok {
		return
	}
	pct := 100
	if v == "off" {
		pct = -1
	} else if n, err := strconv.Atoi(v); err == nil {
		pct = n
	}
	debug.SetGCPercent(pct)
	// Programs the worker starts (the fallback extractor) get the
	// supervisor's setting too.
	if v == "" {
		os.Unsetenv("GOGC")
	} else {
		os.Setenv("GOGC", v)
	}
	os.Unsetenv(workerGOGCEnv)
}

// writeFrame writes v, gob-encoded, as one frame in one Write.
func writeFrame(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.Write(make([]byte, 8))
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint64(b[:8], uint64(len(b)-8))
	_, err := w.Write(b)
	return err
}

// readFrame reads one frame into v. It returns io.EOF when r ends before
// the frame, io.ErrUnexpectedEOF when it ends inside it.
func readFrame(r io.Reader, v any) error {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint64(hdr[:])
	if n > 1<<62 {
		return fmt.Errorf("frame of %d bytes", n)
	}
	lr := &io.LimitedReader{R: r, N: int64(n)}
	if err := gob.NewDecoder(lr).Decode(v); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	if lr.N > 0 {
		if _, err := io.Copy(io.Discard, lr); err != nil {
			return err
		}
	}
	if lr.N > 0 {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// memFS is a file system of one file held in memory: the input a worker
// was sent, under the name it has in the corpus.
type memFS struct {
	name string
	data []byte
}

func (m memFS) Open(name string) (fs.File, error) {
	if name != m.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(m.data), info: memInfo{name: m.name, size: int64(len(m.data))}}, nil
}

type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

var errClosed = errors.New("ingest: supervisor closed")
