package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/web"
	"github.com/lcity/lcity/workspace"
)

func newServeCmd() *cobra.Command {
	var out, addr string
	var public bool
	c := &cobra.Command{
		Use:   "serve [--out DIR] [--addr 127.0.0.1:8080]",
		Short: "Browse and search the workspace in a local, read-only web UI",
		Long: `serve starts a read-only web UI over the workspace: search with facet
filters and highlighted snippets, a page per passage with its codes and the
matched terms marked, a page per city with its theme profile, the similarity
heat map, and a JSON API (/api/search?q=…&region=…, /api/passages/{id}).
It answers from a snapshot of the workspace, so a run into the same folder
never makes a page mix two runs; the first request after the run has
finished moves it to the new one. It listens on loopback only unless
--public is given. Stop it with Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAddr(addr, public); err != nil {
				return err
			}
			s, err := web.New(out)
			switch {
			case errors.Is(err, index.ErrNoIndex), errors.Is(err, fs.ErrNotExist), errors.Is(err, workspace.ErrModified):
				return pipeline.Usagef("serve %s: %v (run `lcity run --out %s` first)", out, err, out)
			case err != nil:
				return err
			}
			defer s.Close()
			s.Public = public
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return pipeline.Usagef("serve: %v", err)
			}
			srv := s.NewHTTPServer(addr)
			fmt.Fprintf(cmd.ErrOrStderr(), "lcity: serving %s on http://%s/ (Ctrl-C to stop)\n", out, ln.Addr())
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
	c.Flags().BoolVar(&public, "public", false, "allow an address other than loopback (the UI has no login)")
	return c
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
	return pipeline.Usagef("--addr %q is not a loopback address; the UI has no login, so give --public to serve it to the network", addr)
}
