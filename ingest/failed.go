package ingest

// Failed is the Result of an input that could not be processed at all:
// one failure per entry, its reason from corpus.Reason(err). The pipeline
// uses it for an input whose processing panicked after extraction.
func Failed(in Input, err error) Result { return failAll(in, in.SHA256, err) }
