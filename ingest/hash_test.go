package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
)

// countFS wraps an fs.FS and counts the files opened, the Read and ReadAt
// calls and the bytes they return. afterRead, if set, runs after each
// Read.
type countFS struct {
	fs.FS
	opens, reads, bytes atomic.Int64
	afterRead           func()
}

func (c *countFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	c.opens.Add(1)
	return &countFile{File: f, c: c}, nil
}

type countFile struct {
	fs.File
	c *countFS
}

func (f *countFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.c.reads.Add(1)
	f.c.bytes.Add(int64(n))
	if f.c.afterRead != nil {
		f.c.afterRead()
	}
	return n, err
}

func (f *countFile) ReadAt(p []byte, off int64) (int, error) {
	ra, ok := f.File.(io.ReaderAt)
	if !ok {
		return 0, errors.New("countFile: no ReadAt")
	}
	n, err := ra.ReadAt(p, off)
	f.c.reads.Add(1)
	f.c.bytes.Add(int64(n))
	return n, err
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestHashFile(t *testing.T) {
	small := []byte("Pécs is a learning city.\n")
	big := []byte(strings.Repeat("learning festival ", 5<<20/18)) // about 5 MiB
	fsys := fstest.MapFS{"small.txt": {Data: small}, "big.txt": {Data: big}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		file      string
		maxBytes  int64
		ctx       func(*countFS) context.Context
		wantErr   error // nil: the digest of the file
		wantReads int64 // -1: any
	}{
		{name: "small file", file: "small.txt", maxBytes: 1000, wantReads: -1},
		{name: "default limit", file: "small.txt", maxBytes: 0, wantReads: -1},
		{name: "exactly maxBytes", file: "small.txt", maxBytes: int64(len(small)), wantReads: -1},
		{name: "multi-MiB file", file: "big.txt", maxBytes: 0, wantReads: -1},
		{name: "maxBytes+1 bytes", file: "small.txt", maxBytes: int64(len(small)) - 1, wantErr: corpus.ErrTooLarge, wantReads: 0},
		{name: "missing file", file: "none.txt", maxBytes: 0, wantErr: corpus.ErrMissing, wantReads: 0},
		{name: "cancelled before", file: "big.txt", maxBytes: 0, wantErr: context.Canceled, wantReads: 0,
			ctx: func(*countFS) context.Context { return cancelled }},
		{name: "cancelled while hashing", file: "big.txt", maxBytes: 0, wantErr: context.Canceled, wantReads: 1,
			ctx: func(c *countFS) context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				c.afterRead = cancel
				return ctx
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countFS{FS: fsys}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(c)
			}
			sum, size, err := HashFile(ctx, c, tt.file, tt.maxBytes)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("HashFile(%q, %d) error = %v, want %v", tt.file, tt.maxBytes, err, tt.wantErr)
				}
				if sum != "" {
					t.Errorf("HashFile(%q, %d) sum = %q with an error, want \"\"", tt.file, tt.maxBytes, sum)
				}
			} else {
				data := fsys[tt.file].Data
				if err != nil || sum != hexSum(data) || size != int64(len(data)) {
					t.Errorf("HashFile(%q, %d) = %s, %d, %v, want %s, %d, nil", tt.file, tt.maxBytes, sum, size, err, hexSum(data), len(data))
				}
			}
			if n := c.reads.Load(); tt.wantReads >= 0 && n != tt.wantReads {
				t.Errorf("HashFile(%q, %d) made %d Read calls, want %d", tt.file, tt.maxBytes, n, tt.wantReads)
			}
		})
	}
}

// TestFileKnownDigest checks that File with Input.SHA256 set opens and
// reads the file once and records that digest, unchecked, as the result's
// and the documents' sha256.
func TestFileKnownDigest(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 32<<10; i++ {
		fmt.Fprintf(&b, "Paragraph %d. The learning festival of Cork brings generations together.\n\n", i)
	}
	data := []byte(b.String())
	real := hexSum(data)
	vouched := strings.Repeat("ab", 32) // not the file's digest: File must not check it
	tests := []struct {
		name, known, want string
		onePass           bool
	}{
		{name: "known digest", known: real, want: real, onePass: true},
		{name: "vouched digest is not checked", known: vouched, want: vouched, onePass: true},
		{name: "no digest", known: "", want: real},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countFS{FS: fstest.MapFS{"cork.txt": {Data: data}}}
			in := Input{File: "cork.txt", Source: "cork.txt", SHA256: tt.known,
				Entries: []corpus.Entry{{File: "cork.txt", City: "Cork"}}}
			res := File(context.Background(), c, in, Options{})
			if len(res.Failures) != 0 || len(res.Docs) != 1 {
				t.Fatalf("File: %d documents, failures %+v, want 1 document", len(res.Docs), res.Failures)
			}
			if res.SHA256 != tt.want || res.Docs[0].SHA256 != tt.want {
				t.Errorf("File(SHA256 %q) sha256 = %q, document %q, want %q", tt.known, res.SHA256, res.Docs[0].SHA256, tt.want)
			}
			if n := c.opens.Load(); n != 1 {
				t.Errorf("File opened the file %d times, want 1", n)
			}
			if n := c.bytes.Load(); tt.onePass && n >= 2*int64(len(data)) {
				t.Errorf("File read %d bytes of a %d-byte file, want one pass", n, len(data))
			}
		})
	}
}

// TestFileKnownDigestFailure checks that a file that fails keeps its known
// digest in the result.
func TestFileKnownDigestFailure(t *testing.T) {
	sum := strings.Repeat("cd", 32)
	in := Input{File: "big.txt", Source: "big.txt", SHA256: sum, Entries: []corpus.Entry{{File: "big.txt", City: "Big"}}}
	res := File(context.Background(), fstest.MapFS{"big.txt": {Data: make([]byte, 100)}}, in, Options{MaxBytes: 10})
	if len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonTooLarge || res.SHA256 != sum {
		t.Errorf("File of a too large file = sha256 %q, failures %+v, want %q and one too-large failure", res.SHA256, res.Failures, sum)
	}
}
