// Command lcity ingests, indexes, codes and compares case studies of
// learning cities. Run `lcity --help` for the commands.
//
// The command is flags, help, exit codes and printing; the work is done by
// package pipeline (and the packages it wires).
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

	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/pipeline"
)

// Exit codes (README, "Exit status").
const (
	exitOK          = 0   // success
	exitFailed      = 1   // some inputs failed (the rest was processed and written), or verify found differences
	exitUsage       = 2   // bad usage or configuration: flags, arguments, manifest, codebook, a workspace edited by hand
	exitEnv         = 3   // the workspace or the environment: --out unusable, workspace in use, disk full, internal error
	exitInterrupted = 130 // stopped by Ctrl-C or SIGTERM; nothing half-written is left
)

func main() {
	// A worker process of supervised extraction goes straight to its
	// loop: it needs none of the commands' flags and help.
	if len(os.Args) == 2 && os.Args[1] == ingest.WorkerArg {
		if err := ingest.ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "lcity:", err)
			os.Exit(exitEnv)
		}
		os.Exit(exitOK)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes lcity with args and returns the exit code. It is the whole
// program but for os.Exit, so tests drive it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "lcity:", err)
	return exitCode(ctx, err)
}

// exitCode maps an error to the exit status.
func exitCode(ctx context.Context, err error) int {
	switch {
	case errors.Is(err, pipeline.ErrPartial), errors.Is(err, pipeline.ErrDiffers), errors.Is(err, pipeline.ErrNotImported):
		return exitFailed
	case isUsage(err):
		return exitUsage
	case ctx.Err() != nil:
		return exitInterrupted
	default:
		return exitEnv
	}
}

func isUsage(err error) bool {
	var u *pipeline.UsageError
	if errors.As(err, &u) {
		return true
	}
	// cobra's own errors for unknown commands and flags.
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "lcity",
		Short: "Text mining and thematic coding of learning-city case studies",
		Long: `lcity ingests case-study PDFs of UNESCO Global Learning Cities, cuts them into
passages with page provenance, indexes them for search, codes every passage
against codebooks of themes, and compares the cities' theme profiles, Europe
against Asia-Pacific. With no --corpus it runs on its embedded illustrative
sample corpus (written by the lcity authors, not UNESCO text).

Exit status: 0 success; 1 some inputs failed (the rest was processed and
written) or verify found differences; 2 bad usage or configuration; 3 the
workspace or environment failed (--out unusable, workspace in use by another
lcity process, disk full, internal error); 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       pipeline.Version,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &pipeline.UsageError{Err: err} })
	addProfileFlags(root)
	root.AddCommand(
		newInitCmd(), newRunCmd(), newIngestCmd(), newIndexCmd(), newCodeCmd(), newLearnCmd(), newAnalyzeCmd(),
		newSearchCmd(), newKwicCmd(), newCodebookCmd(), newEvalCmd(), newExportCmd(), newVerifyCmd(), newDiffCmd(), newServeCmd(),
		newImportCmd(), newMergeCmd(), newWorkerCmd(),
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
				return &pipeline.UsageError{Err: err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}
