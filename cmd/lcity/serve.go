package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/web"
	"github.com/lcity/lcity/workspace"
)

func newServeCmd() *cobra.Command {
	var out, addr, coder, tokenFile string
	var public bool
	c := &cobra.Command{
		Use:   "serve [--out DIR] [--addr 127.0.0.1:8080] [--coder NAME] [--public --token FILE]",
		Short: "Browse the workspace and review its coding in a local web UI",
		Long: `serve starts a web UI over the workspace: search with facet filters and
highlighted snippets, a page per city with its theme profile, the
similarity heat map, a JSON API (/api/search?q=…&region=…,
/api/passages/{id}), and the review of the coding. A passage's page marks
the evidence of each code in the code's colour; accept or reject each
coding, select text and add a code to exactly that span, and write a memo.
/review is the queue of passages left to review (filter by code, city or
model confidence; the lowest confidence comes first) and the progress per
code. Decisions go to the workspace's review.sqlite under --coder (default:
your user name) and are acknowledged only once committed.

serve answers from a snapshot of the workspace, so a run into the same
folder never makes a page mix two runs; once the run has finished, serve
moves to its outputs by itself. A run never touches the review store.

It listens on loopback only. --public allows any address and needs
--token FILE: a file readable by its owner only, holding a secret of at
least 32 printable ASCII characters without spaces, e.g.
  head -c 32 /dev/urandom | base64 > token && chmod 600 token
Every request must then carry it: scripts as "Authorization: Bearer TOKEN",
browsers by logging in once at /login (or /login?token=TOKEN), which sets a
cookie. --token without --public protects a loopback server too. Stop it
with Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAddr(addr, public); err != nil {
				return err
			}
			var token string
			switch {
			case tokenFile != "":
				t, err := readToken(tokenFile)
				if err != nil {
					return pipeline.Usagef("--token %s: %v", tokenFile, err)
				}
				token = t
			case public:
				return pipeline.Usagef("--public needs --token FILE: without it anyone on the network could read and change the review (see lcity serve --help)")
			}
			if coder == "" {
				coder = review.DefaultCoder()
			}
			s, err := web.New(out, web.Config{Coder: coder, Public: public, Token: token})
			var oe *review.OpenError
			switch {
			case errors.As(err, &oe):
				return &pipeline.UsageError{Err: fmt.Errorf("serve %s: %w", out, err)}
			case errors.Is(err, index.ErrNoIndex), errors.Is(err, fs.ErrNotExist), errors.Is(err, workspace.ErrModified):
				return pipeline.Usagef("serve %s: %v (run `lcity run --out %s` first)", out, err, out)
			case err != nil:
				return err
			}
			defer s.Close()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return pipeline.Usagef("serve: %v", err)
			}
			srv := s.NewHTTPServer(addr)
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: serving %s on http://%s/ as coder %s (Ctrl-C to stop)\n", out, ln.Addr(), s.Coder())
			done := make(chan error, 1)
			go func() { done <- srv.Serve(ln) }()
			select {
			case err := <-done:
				return err
			case <-cmd.Context().Done():
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				srv.Shutdown(ctx)
				if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			}
		},
	}
	c.Flags().StringVar(&out, "out", pipeline.DefaultOut, "workspace folder")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	c.Flags().BoolVar(&public, "public", false, "allow an address other than loopback (needs --token)")
	c.Flags().StringVar(&coder, "coder", "", "name to record review decisions under (default: the OS user name)")
	c.Flags().StringVar(&tokenFile, "token", "", "file holding the secret every request must carry")
	return c
}

// Rules of a --token file.
const (
	minTokenLen  = 32
	maxTokenFile = 4 << 10
)

// readToken reads the secret of a --token file: the file's text without
// surrounding white space, at least minTokenLen printable ASCII
// characters and no space (it travels in a header and a URL). On Unix the
// file must not be readable or writable by group or others, as ssh
// requires of a private key.
func readToken(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("other users may read or change it (mode %04o); chmod 600 it", st.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxTokenFile {
		return "", fmt.Errorf("longer than %d bytes; the file holds only the token", maxTokenFile)
	}
	tok := strings.TrimSpace(string(data))
	for _, r := range tok {
		if r <= ' ' || r > '~' {
			return "", fmt.Errorf("the token has %q: want printable ASCII without spaces", r)
		}
	}
	if len(tok) < minTokenLen {
		return "", fmt.Errorf("the token has %d characters, want at least %d (e.g. head -c 32 /dev/urandom | base64)", len(tok), minTokenLen)
	}
	return tok, nil
}

// checkAddr refuses non-loopback addresses unless public is set.
func checkAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return pipeline.Usagef("--addr %q: %v", addr, err)
	}
	if public {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return pipeline.Usagef("--addr %q is not a loopback address; give --public --token FILE to serve it to the network", addr)
}
