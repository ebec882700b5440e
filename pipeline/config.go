package pipeline

import (
	"fmt"
	"runtime"
	"time"

	"github.com/lcity/lcity/analysis"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

// Version is the lcity version. It is recorded in run.json and is part of
// the extraction cache key.
const Version = "0.2.0"

// DefaultOut is the default workspace folder.
const DefaultOut = "lcity-out"

// DefaultLockWait is how long a writer waits for readers of the workspace
// (a search, an export, the web UI opening a snapshot) to finish before it
// gives up.
const DefaultLockWait = 5 * time.Second

// Config is the configuration of a run or of one of its stages, one
// struct per concern. Start from Default, change what differs, and call
// Validate (every entry point validates again).
type Config struct {
	// Out is the workspace folder.
	Out      string
	Corpus   CorpusConfig
	Ingest   IngestConfig
	Coding   CodingConfig
	Analysis AnalysisConfig
	// Review is the human review the reviewed coding rests on (the
	// workspace's review.sqlite unless verify pins it).
	Review ReviewConfig
	// Workers is the number of parallel workers (0: GOMAXPROCS). It never
	// changes the outputs.
	Workers int
	// Force makes Run run even when the workspace is up to date.
	Force bool
	// Shard, when set, makes Run extract and code one slice of the corpus
	// into a partial workspace for Merge (see shard.go).
	Shard Shard
	// LockWait is how long a writer waits for the workspace's readers
	// (0: it tries once).
	LockWait time.Duration
	// Progress, when set, is called as work is done (from one goroutine
	// at a time).
	Progress func(Progress)

	// sup is the Supervisor a run made early (prestart) for its stream
	// to extract with; nil: the stream makes its own.
	sup *ingest.Supervisor
}

// prestart makes the Supervisor the stream will extract with and starts
// its worker processes now, one per input file up to the number of
// workers, so that they start while the run reads, hashes and checks its
// inputs instead of after it. The returned function ends them. With
// InProcess it does nothing.
func (c *Config) prestart(co *corpus.Corpus) (close func()) {
	if c.Ingest.InProcess {
		return func() {}
	}
	sup := ingest.NewSupervisor()
	sup.Prestart(min(c.workers(), len(ingest.Inputs(co))))
	c.sup = sup
	return func() {
		sup.Close()
		c.sup = nil
	}
}

// CorpusConfig says what to read.
type CorpusConfig struct {
	// Path is a corpus folder or manifest file; "" is the embedded
	// illustrative sample.
	Path string
	// Recorded is Path as an earlier run gave it, when it differs (verify
	// reruns a recorded run from its absolute corpus path, but the sources
	// in its outputs are relative to the path the user gave).
	Recorded string
	// Opened, when set, is the corpus itself (for a front end that builds
	// one from its own files); Path and Recorded are then ignored.
	Opened *corpus.Corpus
}

// IngestConfig limits extraction.
type IngestConfig struct {
	MaxBytes  int64         // largest input file accepted
	Timeout   time.Duration // time limit per input file
	Fallback  string        // "" or ingest.FallbackPdftotext
	MaxMemory int64         // memory a worker process may take for one file (ingest.Options.MaxMemory)
	// InProcess extracts in this process instead of in worker processes
	// (ingest.Supervisor). It never changes the outputs of inputs that
	// extract, but a file that crashes the extractor or exhausts memory
	// then ends the whole run, and one stuck past the timeout keeps a
	// goroutine busy. It is for debugging and profiling extraction.
	//
	// Supervised extraction (the default) starts the running executable
	// again as a worker: a program other than lcity that runs the
	// pipeline must serve ingest.WorkerArg (or ingest.IsWorker) by
	// calling ingest.ServeWorker, or set InProcess.
	InProcess bool
}

// CodingConfig names the codebooks and, optionally, a model.
type CodingConfig struct {
	// Codebooks are embedded codebook names or files (YAML codebooks, LIWC
	// .dic, quanteda-style YAML dictionaries); empty means coding.Defaults.
	Codebooks []string
	// Gold is a gold coding (passage_id,code_id) to learn a model from
	// before coding: the model is written to the workspace (model.json)
	// and codes every passage with the dictionary.
	Gold string
	// Lambda is the model's L2 penalty (0: learn.DefaultLambda).
	Lambda float64
	// Model is a model file learned earlier to code with, instead of
	// learning one; it must have been learned with the same codebooks.
	Model string
	// Combine is CombineUnion (default) or CombineModel.
	Combine string
}

// AnalysisConfig sets the comparison of the cities.
type AnalysisConfig struct {
	Seed         uint64
	Weight       string // one of analysis.Weights
	Permutations int
	// Hypotheses is a YAML file of hypotheses; "" is the embedded default.
	Hypotheses string
	// Codebooks restricts the analysis to these codebooks of the coding
	// (by name); empty means all of them.
	Codebooks []string
}

// Progress is a stage's progress: Done of Total units (Total 0 when not
// known in advance).
type Progress struct {
	Stage       string
	Done, Total int
}

// Default returns the default configuration: the embedded sample corpus,
// the embedded codebooks, the workspace lcity-out.
func Default() Config {
	return Config{
		Out:      DefaultOut,
		Ingest:   IngestConfig{MaxBytes: ingest.DefaultMaxBytes, Timeout: ingest.DefaultTimeout, MaxMemory: ingest.DefaultMaxMemory},
		Analysis: AnalysisConfig{Seed: analysis.DefaultSeed, Weight: analysis.WeightRate, Permutations: analysis.DefaultPermutations},
		LockWait: DefaultLockWait,
	}
}

// Validate fills settings left at their zero value from Default (but the
// seed and the lock wait, where zero means zero) and checks the rest; a
// bad setting is a *UsageError.
func (c *Config) Validate() error {
	d := Default()
	if c.Out == "" {
		c.Out = d.Out
	}
	if c.Ingest.MaxBytes == 0 {
		c.Ingest.MaxBytes = d.Ingest.MaxBytes
	}
	if c.Ingest.Timeout == 0 {
		c.Ingest.Timeout = d.Ingest.Timeout
	}
	if c.Ingest.MaxMemory == 0 {
		c.Ingest.MaxMemory = d.Ingest.MaxMemory
	}
	if c.Coding.Combine == "" {
		c.Coding.Combine = CombineUnion
	}
	if c.Analysis.Weight == "" {
		c.Analysis.Weight = d.Analysis.Weight
	}
	if c.Analysis.Permutations == 0 {
		c.Analysis.Permutations = d.Analysis.Permutations
	}
	switch {
	case c.Workers < 0:
		return Usagef("workers: %d, want at least 1 (or 0 for one per CPU)", c.Workers)
	case c.Ingest.MaxBytes < 0:
		return Usagef("max-bytes: %d, want a positive number of bytes", c.Ingest.MaxBytes)
	case c.Ingest.Timeout < 0:
		return Usagef("timeout: %s, want a positive duration", c.Ingest.Timeout)
	case c.Ingest.MaxMemory < 0:
		return Usagef("max-memory: %d, want a positive number of bytes", c.Ingest.MaxMemory)
	case c.Analysis.Permutations < 0:
		return Usagef("permutations: %d, want a positive number", c.Analysis.Permutations)
	case c.LockWait < 0:
		return Usagef("lock wait: %s, want a positive duration", c.LockWait)
	case c.Coding.Gold != "" && c.Coding.Model != "":
		return Usagef("gold and model: learn a model from a gold file, or code with a model file, not both")
	case c.Coding.Lambda < 0:
		return Usagef("lambda: %g, want a positive penalty", c.Coding.Lambda)
	case c.Coding.Combine != CombineUnion && c.Coding.Combine != CombineModel:
		return Usagef("combine %q: want %s or %s", c.Coding.Combine, CombineUnion, CombineModel)
	}
	ok := false
	for _, w := range analysis.Weights {
		ok = ok || w == c.Analysis.Weight
	}
	if !ok {
		return Usagef("weight %q: want one of %v", c.Analysis.Weight, analysis.Weights)
	}
	if err := ingest.CheckFallback(c.Ingest.Fallback); err != nil {
		return usage(err)
	}
	return nil
}

// workers is the number of workers to start.
func (c *Config) workers() int {
	if c.Workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return c.Workers
}

func (c *Config) progress(stage string, done, total int) {
	if c.Progress != nil {
		c.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

func (p Progress) String() string {
	if p.Total == 0 {
		return fmt.Sprintf("%s %d", p.Stage, p.Done)
	}
	return fmt.Sprintf("%s %d/%d", p.Stage, p.Done, p.Total)
}
