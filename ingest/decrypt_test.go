package ingest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

// Passwords of the encrypted fixtures.
const (
	fixtureUser  = "lcity-user"
	fixtureOwner = "lcity-owner"
	// fixtureUnicode is the user password of aes-256-unicode-user.pdf, as
	// SASLprep and OpaqueString leave it (é composed).
	fixtureUnicode = "Caf\u00e9 user"
)

// encryptedFixtures are the files under testdata/encrypted, each made from
// plain.pdf by qpdf with these arguments before "-- plain.pdf OUT"
// (testdata/encrypted/SOURCES lists the same commands).
var encryptedFixtures = []struct {
	file string
	args []string
	// salted files (AES-256) differ on every run of qpdf: they are compared
	// by qpdf --show-encryption, not byte by byte.
	salted bool
}{
	{"rc4-40.pdf", []string{"--encrypt", "", fixtureOwner, "40"}, false},
	{"rc4-40-user.pdf", []string{"--encrypt", fixtureUser, fixtureOwner, "40"}, false},
	{"rc4-128.pdf", []string{"--encrypt", "", fixtureOwner, "128", "--use-aes=n"}, false},
	{"rc4-128-user.pdf", []string{"--encrypt", fixtureUser, fixtureOwner, "128", "--use-aes=n"}, false},
	{"aes-128.pdf", []string{"--encrypt", "", fixtureOwner, "128", "--use-aes=y"}, false},
	{"aes-128-user.pdf", []string{"--encrypt", fixtureUser, fixtureOwner, "128", "--use-aes=y"}, false},
	{"aes-256.pdf", []string{"--encrypt", "", fixtureOwner, "256"}, true},
	{"aes-256-user.pdf", []string{"--encrypt", fixtureUser, fixtureOwner, "256"}, true},
	{"aes-256-r5-user.pdf", []string{"--encrypt", fixtureUser, fixtureOwner, "256", "--force-R5"}, true},
	{"aes-128-cleartext-metadata.pdf", []string{"--encrypt", "", fixtureOwner, "128", "--use-aes=y", "--cleartext-metadata"}, false},
	{"aes-256-cleartext-metadata.pdf", []string{"--encrypt", "", fixtureOwner, "256", "--cleartext-metadata"}, true},
	{"aes-256-unicode-user.pdf", []string{"--encrypt", fixtureUnicode, fixtureOwner, "256"}, true},
}

// qpdfArgs is the whole qpdf command line that makes an encrypted fixture.
func qpdfArgs(args []string, in, out string) []string {
	all := append([]string{"--static-id", "--static-aes-iv", "--allow-weak-crypto"}, args...)
	return append(all, "--", in, out)
}

// TestEncryptedFixtures regenerates the encrypted fixtures with qpdf and
// compares them with the committed files (-update rewrites them). Without
// qpdf the test skips, or fails under CI.
func TestEncryptedFixtures(t *testing.T) {
	qpdf := testenv.Tool(t, "qpdf", "qpdf")
	sources := string(readFixture(t, "testdata/encrypted/SOURCES"))
	plain := filepath.Join("testdata", "encrypted", "plain.pdf")
	tmp := t.TempDir()
	for _, f := range encryptedFixtures {
		t.Run(f.file, func(t *testing.T) {
			out := filepath.Join(tmp, f.file)
			args := qpdfArgs(f.args, plain, out)
			if msg, err := exec.Command(qpdf, args...).CombinedOutput(); err != nil {
				t.Fatalf("qpdf %q: %v\n%s", args, err, msg)
			}
			if line := "qpdf " + shellWords(qpdfArgs(f.args, "plain.pdf", f.file)); !strings.Contains(sources, line) {
				t.Errorf("SOURCES does not list %s", line)
			}
			committed := filepath.Join("testdata", "encrypted", f.file)
			fresh, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(committed, fresh, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !f.salted {
				if !bytes.Equal(readFixture(t, committed), fresh) {
					t.Errorf("%s differs from what qpdf writes now", committed)
				}
				return
			}
			show := func(file string) string {
				b, err := exec.Command(qpdf, "--show-encryption", "--password="+fixtureOwner, file).CombinedOutput()
				if err != nil {
					t.Fatalf("qpdf --show-encryption %s: %v\n%s", file, err, b)
				}
				return string(b)
			}
			if got, want := show(committed), show(out); got != want {
				t.Errorf("qpdf --show-encryption %s:\n%s\nwant (as qpdf writes it now):\n%s", committed, got, want)
			}
		})
	}
}

// shellWords quotes the empty argument as "" for SOURCES.
func shellWords(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == "":
			a = `""`
		case strings.Contains(a, " "):
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// TestEncryptedFiles ingests each encrypted fixture through a manifest,
// with no password, the user or owner password, or a wrong one.
func TestEncryptedFiles(t *testing.T) {
	const text = "The learning festival of Espoo brings libraries and schools together."
	tests := []struct {
		file, password string
		want           string // the passage, or the failure detail
	}{
		{"rc4-40.pdf", "", text},
		{"rc4-128.pdf", "", text}, // the PDF library read this and the next before too
		{"aes-128.pdf", "", text},
		{"aes-256.pdf", "", text},
		{"aes-128-cleartext-metadata.pdf", "", text}, // EncryptMetadata false enters the R4 key
		{"aes-256-cleartext-metadata.pdf", "", text},
		{"rc4-40-user.pdf", "", "encrypted PDF: password required"},
		{"rc4-40-user.pdf", fixtureUser, text},
		{"rc4-40-user.pdf", fixtureOwner, text},
		{"rc4-40-user.pdf", "nope", "encrypted PDF: wrong password"},
		{"rc4-128-user.pdf", "", "encrypted PDF: password required"},
		{"rc4-128-user.pdf", fixtureUser, text},
		{"rc4-128-user.pdf", fixtureOwner, text},
		{"rc4-128-user.pdf", "nope", "encrypted PDF: wrong password"},
		{"aes-128-user.pdf", "", "encrypted PDF: password required"},
		{"aes-128-user.pdf", fixtureUser, text},
		{"aes-128-user.pdf", fixtureOwner, text},
		{"aes-128-user.pdf", "nope", "encrypted PDF: wrong password"},
		{"aes-256-user.pdf", "", "encrypted PDF: password required"},
		{"aes-256-user.pdf", fixtureUser, text},
		{"aes-256-user.pdf", fixtureOwner, text},
		{"aes-256-user.pdf", "nope", "encrypted PDF: wrong password"},
		{"aes-256-r5-user.pdf", fixtureUser, text},
		{"aes-256-r5-user.pdf", "nope", "encrypted PDF: wrong password"},
		// R6 passwords are tried as typed, after SASLprep and after
		// OpaqueString (aes256Passwords).
		{"aes-256-unicode-user.pdf", fixtureUnicode, text},
		{"aes-256-unicode-user.pdf", "Cafe\u0301 user", text},                                // é decomposed: both
		{"aes-256-unicode-user.pdf", "Caf\u00e9\u00a0user", text},                            // no-break space: both
		{"aes-256-unicode-user.pdf", "Ca\u00adf\u00e9 user", text},                           // soft hyphen: SASLprep drops it
		{"aes-256-unicode-user.pdf", "\uff23af\u00e9 user", text},                            // full-width C: SASLprep's NFKC
		{"aes-256-unicode-user.pdf", "\u1d04af\u00e9 user", "encrypted PDF: wrong password"}, // small capital C is another letter
		{"aes-256-unicode-user.pdf", "cafe user", "encrypted PDF: wrong password"},
		{"aes-256-unicode-user.pdf", fixtureOwner, text},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.password, func(t *testing.T) {
			yaml := "documents:\n  - file: " + tt.file + "\n    city: Espoo\n"
			if tt.password != "" {
				yaml += "    password: " + strconv.Quote(tt.password) + "\n"
			}
			m, err := corpus.ParseManifest(strings.NewReader(yaml), "corpus.yaml")
			if err != nil {
				t.Fatalf("manifest: %v", err)
			}
			fsys := fstest.MapFS{tt.file: {Data: readFixture(t, filepath.Join("testdata", "encrypted", tt.file))}}
			in := Input{File: tt.file, Source: tt.file, Entries: m.Entries}
			res := File(context.Background(), fsys, in, Options{})
			var got string
			switch {
			case len(res.Failures) == 1 && len(res.Docs) == 0:
				if r := res.Failures[0].Reason; r != corpus.ReasonEncrypted {
					t.Errorf("reason %q, want %q", r, corpus.ReasonEncrypted)
				}
				got = res.Failures[0].Detail
			case len(res.Docs) == 1 && len(res.Docs[0].Passages) > 0:
				got = res.Docs[0].Passages[0].Text
			default:
				t.Fatalf("File(%s) = %d docs, failures %+v", tt.file, len(res.Docs), res.Failures)
			}
			if got != tt.want {
				t.Errorf("File(%s, password %q) = %q, want %q", tt.file, tt.password, got, tt.want)
			}
		})
	}
}

// TestEncryptedStrings reads the bookmark title of each encrypted
// fixture, a string, which the security handler encrypts apart from the
// streams, and the text of a CID font's page encrypted with AES-128. The
// PDF library left AES's padding on strings: the title read "Espoo city"
// and six bytes of value 6 (which the outline's cleaning hid), and the
// font's /Ordering "Japan1" so padded named no collection: the page had
// no text at all.
func TestEncryptedStrings(t *testing.T) {
	for _, fx := range encryptedFixtures {
		t.Run(fx.file, func(t *testing.T) {
			data := readFixture(t, filepath.Join("testdata", "encrypted", fx.file))
			password := ""
			if strings.Contains(fx.file, "-user") {
				password = fixtureOwner
			}
			f, err := openPDF(bytes.NewReader(data), int64(len(data)), password)
			if err != nil {
				t.Fatal(err)
			}
			title := f.r.Trailer().Key("Root").Key("Outlines").Key("First").Key("Title").RawString()
			if title != "Espoo city" {
				t.Errorf("bookmark title %q, want %q", title, "Espoo city")
			}
		})
	}
	t.Run("cid-japan1 AES-128", func(t *testing.T) {
		qpdf := testenv.Tool(t, "qpdf", "qpdf")
		out := filepath.Join(t.TempDir(), "enc.pdf")
		args := qpdfArgs([]string{"--encrypt", "", fixtureOwner, "128", "--use-aes=y"}, filepath.Join("testdata", "fonts", "cid-japan1.pdf"), out)
		if msg, err := exec.Command(qpdf, args...).CombinedOutput(); err != nil {
			t.Fatalf("qpdf %q: %v\n%s", args, err, msg)
		}
		data := readFixture(t, out)
		texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(texts, ""); !strings.Contains(got, "岡山市") {
			t.Errorf("text %q, want it to hold 岡山市", got)
		}
	})
}

// TestObjectKeyLength checks Algorithm 1's key length: the first n+5
// bytes of the digest, at most 16 (the PDF library uses all 16, which
// breaks 40-bit RC4).
func TestObjectKeyLength(t *testing.T) {
	for _, n := range []int{5, 7, 11, 16} {
		s := &security{key: make([]byte, n)}
		if got, want := len(s.objectKey(1, 0, cryptRC4)), min(n+5, 16); got != want {
			t.Errorf("objectKey with a %d-byte file key: %d bytes, want %d", n, got, want)
		}
	}
}

// FuzzDecryptPDF feeds arbitrary bytes to the decryption path (object
// scanner, encryption dictionary, key derivation, rewriting): it must
// return, never panic.
func FuzzDecryptPDF(f *testing.F) {
	for _, fx := range encryptedFixtures {
		if data, err := os.ReadFile(filepath.Join("testdata", "encrypted", fx.file)); err == nil {
			f.Add(data, fixtureUser)
		}
	}
	f.Add([]byte("1 0 obj <</Filter/Standard/V 5/R 6/O<00>/U<00>>> endobj trailer <</Encrypt 1 0 R>>"), "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		out, err := decryptPDF(data, password)
		if err == nil && !bytes.HasPrefix(out, []byte("%PDF-")) {
			t.Fatalf("decryptPDF gave no PDF: %q", out[:min(len(out), 40)])
		}
	})
}

// TestSharedEncrypted opens the real-world encrypted PDF of ../shared/pdfs
// (LibreOffice, RC4 128-bit, user password "openpassword").
func TestSharedEncrypted(t *testing.T) {
	dir := filepath.Dir(sharedPDFs(t)[0])
	const file = "libreoffice-writer-password.pdf"
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ password, want string }{
		{"", "encrypted PDF: password required"},
		{"openpassword", ""},
		{"closedpassword", "encrypted PDF: wrong password"},
	} {
		in := Input{File: file, Source: file, Entries: []corpus.Entry{{File: file, City: "X", Password: tt.password}}}
		res := File(context.Background(), fstest.MapFS{file: {Data: data}}, in, Options{})
		got := ""
		if len(res.Failures) > 0 {
			got = res.Failures[0].Detail
		} else if len(res.Docs) != 1 || len(res.Docs[0].Passages) == 0 {
			t.Fatalf("password %q: no failure and no text", tt.password)
		}
		if got != tt.want {
			t.Errorf("File(%s, password %q) failure = %q, want %q", file, tt.password, got, tt.want)
		}
	}
}

// TestDecryptPDFHostile feeds decryptPDF megabytes of broken objects that
// a naive scanner would re-read from every header (quadratic time): each
// must come back with an error, in linear time.
func TestDecryptPDFHostile(t *testing.T) {
	tests := map[string]string{
		"open arrays":     "1 0 obj [ 1 2 ",
		"open strings":    "1 0 obj (abc ",
		"open dicts":      "1 0 obj << /A [ ",
		"trailer strings": "trailer << /Encrypt (",
		"nested arrays":   "1 0 obj [[[[[[[[",
	}
	for name, unit := range tests {
		t.Run(name, func(t *testing.T) {
			data := bytes.Repeat([]byte(unit), (1<<20)/len(unit))
			if _, err := decryptPDF(data, ""); err == nil {
				t.Errorf("decryptPDF(%q × %d) succeeded", unit, len(data)/len(unit))
			}
		})
	}
}
