package corpus

import (
	"errors"
	"sort"
)

// Regions a document can belong to.
const (
	RegionEurope      = "Europe"
	RegionAsiaPacific = "Asia-Pacific"
	RegionUnknown     = "unknown"
)

// Failure reasons, the fixed vocabulary of failures.csv.
const (
	ReasonEncrypted   = "encrypted"
	ReasonCorrupt     = "corrupt"
	ReasonNoText      = "no-text-layer"
	ReasonTooLarge    = "too-large"
	ReasonTimeout     = "timeout"
	ReasonUnsupported = "unsupported"
	ReasonInternal    = "internal-error"
	// ReasonCrashed and ReasonTooMuchMemory come from supervised
	// extraction (ingest.Supervisor): the worker process extracting the
	// file died, or took more memory than its limit.
	ReasonCrashed       = "crashed"
	ReasonTooMuchMemory = "too-much-memory"
	// ReasonMissing is an input the manifest names that is not there.
	ReasonMissing = "missing"
)

// Sentinel errors the ingest stage wraps; callers branch on them with errors.Is
// and Reason maps them to the failures.csv vocabulary.
var (
	ErrEncrypted   = errors.New("encrypted PDF")
	ErrCorrupt     = errors.New("corrupt or unreadable file")
	ErrNoText      = errors.New("no text layer (image-only or empty)")
	ErrTooLarge    = errors.New("file larger than the size limit")
	ErrTimeout     = errors.New("extraction exceeded the time limit")
	ErrUnsupported = errors.New("unsupported file type")
	// ErrInternal is a bug in lcity met while processing one input (a
	// panic, recovered); the input fails and the run goes on.
	ErrInternal = errors.New("internal error (please report it with the file)")
	// ErrCrashed is a worker process that died while extracting one input
	// (a fatal runtime error, an unrecovered panic, an exit or a signal);
	// the input fails and the run goes on with a new worker.
	ErrCrashed = errors.New("worker process crashed")
	// ErrTooMuchMemory is a worker process that ran out of its memory
	// limit while extracting one input.
	ErrTooMuchMemory = errors.New("extraction exceeded the memory limit")
	// ErrMissing is an input file that does not exist (a manifest entry
	// naming a file that is not in the corpus folder).
	ErrMissing = errors.New("file not found")
)

// ReasonUndecodableFont and ErrUndecodableFont: text is drawn, but only in
// fonts that map no glyph to a character (no /ToUnicode, no usable
// encoding); unlike ReasonNoText, the file has a text layer.
const ReasonUndecodableFont = "undecodable-font"

// ErrUndecodableFont is wrapped by an input whose text cannot be decoded.
var ErrUndecodableFont = errors.New("text drawn in fonts with no usable character mapping")

// Reason returns the failures.csv reason for err: one of the Reason*
// constants, "corrupt" when err wraps no known sentinel.
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrEncrypted):
		return ReasonEncrypted
	case errors.Is(err, ErrNoText):
		return ReasonNoText
	case errors.Is(err, ErrUndecodableFont):
		return ReasonUndecodableFont
	case errors.Is(err, ErrTooLarge):
		return ReasonTooLarge
	case errors.Is(err, ErrTimeout):
		return ReasonTimeout
	case errors.Is(err, ErrUnsupported):
		return ReasonUnsupported
	case errors.Is(err, ErrInternal):
		return ReasonInternal
	case errors.Is(err, ErrCrashed):
		return ReasonCrashed
	case errors.Is(err, ErrTooMuchMemory):
		return ReasonTooMuchMemory
	case errors.Is(err, ErrMissing):
		return ReasonMissing
	default:
		return ReasonCorrupt
	}
}

// Document is one city's case study: a whole file, or the pages of a
// compilation PDF that belong to one city.
type Document struct {
	ID          string `json:"id"`
	City        string `json:"city"`
	Country     string `json:"country"`
	Region      string `json:"region"`
	Year        int    `json:"year"`
	Publication string `json:"publication"`
	Source      string `json:"source"`
	SHA256      string `json:"sha256"`
	// FirstPage and LastPage are the 1-based pages of Source this document
	// was cut from (equal to 1 and Pages for a whole file).
	FirstPage int    `json:"first_page"`
	LastPage  int    `json:"last_page"`
	Pages     int    `json:"pages"`
	Extractor string `json:"extractor"`
	Words     int    `json:"words"`
	Passages  int    `json:"passages"`
	// Repaired tells that the PDF's cross-reference data was missing or
	// broken and was rebuilt by scanning the file for its objects.
	Repaired bool `json:"repaired,omitempty"`
	// Title is the title a web page or Word file gives itself (the
	// page's title, the file's document properties); URL is a web page's
	// canonical address (its rel=canonical link, og:url, or the address
	// a browser noted when saving it). Empty for PDFs and text files.
	Title string `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
	// Text is the cleaned text of the document; passages' Start and End are
	// byte offsets into it. It is written to texts/<id>.txt, not to
	// documents.jsonl.
	Text string `json:"-"`
}

// Span is a half-open byte range [Start, End) of a document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Passage is a paragraph of a document: the unit that is indexed and coded.
// Start and End are byte offsets into the document's Text, so that
// doc.Text[p.Start:p.End] == p.Text.
//
// ID is derived from DocID and the passage's text (PassageIDs), not from
// its position, so it survives a re-extraction that leaves the text as it
// was; the passage's place in reading order is DocID and Start.
type Passage struct {
	ID     string `json:"id"`
	DocID  string `json:"doc_id"`
	City   string `json:"city"`
	Region string `json:"region"`
	Year   int    `json:"year"`
	Page   int    `json:"page"`
	// LastPage is the page the passage ends on: Page, or a later page
	// for a paragraph that runs across a page break.
	LastPage  int    `json:"last_page"`
	Section   string `json:"section"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Words     int    `json:"words"`
	Text      string `json:"text"`
	Sentences []Span `json:"sentences,omitempty"`
}

// Failure records an input that could not be processed.
type Failure struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// Code is a theme of a codebook. ID is "<codebook>.<code>".
type Code struct {
	ID          string   `json:"id"`
	Codebook    string   `json:"codebook"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Colour      string   `json:"colour,omitempty"`
	Parent      string   `json:"parent,omitempty"`
	Group       bool     `json:"group,omitempty"`
	Terms       []string `json:"terms,omitempty"`
}

// Matches is the number of term matches behind the coding.
func (c Coding) Matches() int { return len(c.Evidence) }

// Evidence is one match of a code's term in a passage; Start and End are
// byte offsets into the document's text.
type Evidence struct {
	Term  string `json:"term"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Where a coding came from.
const (
	SourceDictionary = "dictionary" // the codebook's terms matched
	SourceModel      = "model"      // a model learned from examples coded it, the terms did not match
	SourceBoth       = "both"       // both
	SourceHuman      = "human"      // a person added it in the review (review.sqlite); the auto-coder did not give it
)

// Coding assigns a code to a passage, with the evidence that triggered it.
type Coding struct {
	PassageID string     `json:"passage_id"`
	DocID     string     `json:"doc_id"`
	City      string     `json:"city"`
	Region    string     `json:"region"`
	Page      int        `json:"page"`
	CodeID    string     `json:"code_id"`
	Score     float64    `json:"score"`
	Evidence  []Evidence `json:"evidence"`
	// Source is SourceDictionary, SourceModel, SourceBoth or, in the
	// reviewed coding, SourceHuman; empty means SourceDictionary.
	Source string `json:"source,omitempty"`
	// Confidence is the model's probability of the code for the passage,
	// when a model was applied.
	Confidence *float64 `json:"confidence,omitempty"`
}

// From returns c's source, SourceDictionary when it is empty.
func (c Coding) From() string {
	if c.Source == "" {
		return SourceDictionary
	}
	return c.Source
}

// Profile is one cell of the city × code matrix.
type Profile struct {
	City     string  `json:"city"`
	Region   string  `json:"region"`
	CodeID   string  `json:"code_id"`
	Passages int     `json:"passages"`
	Matches  int     `json:"matches"`
	Rate     float64 `json:"rate_per_1k_words"`
	Share    float64 `json:"share"`
}

// SortCodings orders codings by passage, then code.
func SortCodings(cs []Coding) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].PassageID != cs[j].PassageID {
			return cs[i].PassageID < cs[j].PassageID
		}
		return cs[i].CodeID < cs[j].CodeID
	})
}

// SortFailures orders failures by source, then detail.
func SortFailures(fs []Failure) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Source != fs[j].Source {
			return fs[i].Source < fs[j].Source
		}
		return fs[i].Detail < fs[j].Detail
	})
}
