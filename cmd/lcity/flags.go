package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcity/lcity/pipeline"
)

// config binds the flags of the pipeline commands to a pipeline.Config
// that starts from pipeline.Default.
type config struct{ pipeline.Config }

func newConfig() *config { return &config{pipeline.Default()} }

func (c *config) addOut(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.Out, "out", c.Out, "workspace folder")
	cmd.Flags().DurationVar(&c.LockWait, "lock-wait", c.LockWait, "how long to wait for another lcity process reading the workspace")
}

func (c *config) addWorkers(cmd *cobra.Command) {
	if cmd.Flags().Lookup("workers") == nil {
		cmd.Flags().IntVar(&c.Workers, "workers", 0, "parallel workers (default: one per CPU); never changes the outputs")
	}
}

func (c *config) addIngest(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&c.Corpus.Path, "corpus", "", "corpus folder or manifest (default: the embedded illustrative sample)")
	f.Int64Var(&c.Ingest.MaxBytes, "max-bytes", c.Ingest.MaxBytes, "largest input file accepted, in bytes")
	f.DurationVar(&c.Ingest.Timeout, "timeout", c.Ingest.Timeout, "time limit per input file")
	f.StringVar(&c.Ingest.Fallback, "fallback", "", "external extractor for PDFs the built-in one cannot read or gets no text from: pdftotext")
	f.Int64Var(&c.Ingest.MaxMemory, "max-memory", c.Ingest.MaxMemory, "memory a worker process may take for one input file, in bytes (more fails the file as too-much-memory)")
	f.BoolVar(&c.Ingest.InProcess, "in-process", false, "extract in the lcity process itself, not in worker processes (for debugging: a file that crashes the extractor or exhausts memory then stops the run)")
	c.addWorkers(cmd)
}

func (c *config) addCode(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&c.Coding.Codebooks, "codebook", nil, "codebook name or file (repeatable; default charter, keyfeatures, drivers)")
	f.StringVar(&c.Coding.Model, "model", "", "also code with this model file (made by lcity learn with the same codebooks)")
	f.StringVar(&c.Coding.Combine, "combine", pipeline.CombineUnion, "with a model: union (coded when the terms or the model say so) or model (the model decides for its codes)")
	c.addWorkers(cmd)
}

// addLearn adds the flags of learning a model from a gold coding.
func (c *config) addLearn(cmd *cobra.Command, gold string) {
	cmd.Flags().StringVar(&c.Coding.Gold, "gold", "", gold)
	cmd.Flags().Float64Var(&c.Coding.Lambda, "lambda", 0, "L2 penalty of the model (default 0.01)")
}

func (c *config) addAnalyze(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Uint64Var(&c.Analysis.Seed, "seed", c.Analysis.Seed, "seed of the permutation tests")
	f.StringVar(&c.Analysis.Weight, "weight", c.Analysis.Weight, "profile weighting: rate, share, tfidf or binary")
	f.IntVar(&c.Analysis.Permutations, "permutations", c.Analysis.Permutations, "permutations per test")
	f.StringVar(&c.Analysis.Hypotheses, "hypotheses", "", "YAML file of hypotheses to test (default: the embedded Longworth and Han–Makino hypotheses)")
}

// stage is a pipeline stage (pipeline.Run, pipeline.Ingest, …).
type stage func(context.Context, pipeline.Config) (*pipeline.Result, error)

// runStage runs a stage with the flags' configuration and a progress bar
// on stderr, then prints what the stage removed from the workspace and,
// with summary, what it did.
func (c *config) runStage(cmd *cobra.Command, run stage, summary func(w io.Writer, cfg pipeline.Config, res *pipeline.Result)) error {
	if err := c.Validate(); err != nil {
		return err
	}
	prog := newProgress(cmd.ErrOrStderr())
	cfg := c.Config
	cfg.Progress = prog.update
	res, err := run(cmd.Context(), cfg)
	prog.done()
	if res == nil {
		return err
	}
	w := cmd.ErrOrStderr()
	if len(res.Removed) > 0 {
		fmt.Fprintf(w, "note: removed what an interrupted run left: %s\n", strings.Join(res.Removed, ", "))
	}
	if len(res.Cleared) > 0 {
		fmt.Fprintf(w, "note: removed the outputs of %s, made from the earlier data (run those stages again)\n", strings.Join(res.Cleared, ", "))
	}
	summary(w, cfg, res)
	return err
}

// printNotes prints the ingest notes and failures.
func printNotes(w io.Writer, res *pipeline.Result) {
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, f := range res.Failures {
		fmt.Fprintf(w, "failed: %s: %s: %s\n", f.Source, f.Reason, f.Detail)
	}
}
