// Command lcity ingests, indexes, codes and compares case studies of
// learning cities. Run `lcity --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Version is the tool version recorded in run.json.
const Version = "0.1.0"

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // some inputs failed (the rest was processed) or a runtime error
	exitUsage  = 2 // bad usage or configuration
)

// usageError marks an error as the user's: bad flags, arguments or configuration.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// errPartial reports that the command finished but some inputs failed.
var errPartial = errors.New("some inputs failed; see failures.csv")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes lcity with args and returns the exit code. It is the whole
// program but for os.Exit, so tests drive it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errPartial):
		fmt.Fprintln(stderr, "lcity:", err)
		return exitFailed
	case isUsage(err):
		fmt.Fprintln(stderr, "lcity:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "lcity:", err)
		return exitFailed
	}
}

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	// cobra's own errors for unknown commands and flags.
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "lcity",
		Short: "Text mining and thematic coding of learning-city case studies",
		Long: `lcity ingests case-study PDFs of UNESCO Global Learning Cities, cuts them into
passages with page provenance, indexes them for search, codes every passage
against codebooks of themes, and compares the cities' theme profiles, Europe
against Asia-Pacific. With no --corpus it runs on its embedded illustrative
sample corpus (written by the lcity authors, not UNESCO text).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	addProfileFlags(root)
	root.AddCommand(
		newRunCmd(), newIngestCmd(), newIndexCmd(), newCodeCmd(), newAnalyzeCmd(),
		newSearchCmd(), newKwicCmd(), newCodebookCmd(), newEvalCmd(), newExportCmd(), newVerifyCmd(), newDiffCmd(), newServeCmd(),
	)
	// Unknown commands and wrong argument counts are usage errors too.
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		orig := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := orig(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}
