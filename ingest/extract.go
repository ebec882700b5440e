package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/lcity/lcity/corpus"
)

// PageTexts extracts the text of every page of the PDF held in r, one
// string per page with one line per heading or paragraph, in reading order,
// hyphenation at line ends mended, running headers and page numbers kept
// (they are removed across pages of a document). It is the extractor's
// output, for comparison with other extractors such as pdftotext. Errors
// wrap the corpus.Err* sentinels; a panic inside the PDF library becomes
// corpus.ErrCorrupt. An encrypted file is opened with the empty user
// password. Up to workers pages are read at once (Options.PageWorkers).
func PageTexts(ctx context.Context, r io.ReaderAt, size int64, workers int) (texts []string, err error) {
	defer func() {
		if x := recover(); x != nil {
			texts, err = nil, fmt.Errorf("%w: pdf library panic: %v", corpus.ErrCorrupt, x)
		}
	}()
	f, err := openPDF(r, size, "")
	if err != nil {
		return nil, err
	}
	nums := make([]int, f.pages)
	for i := range nums {
		nums[i] = i + 1
	}
	pages, errs := f.extractPages(ctx, nums, workers)
	texts = make([]string, 0, f.pages)
	for i, p := range pages {
		if err := errs[i]; err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%w: stopped at page %d", corpus.ErrTimeout, nums[i])
			}
			p = page{number: nums[i]}
		}
		var b strings.Builder
		for _, bl := range blocks([]page{p}) {
			b.WriteString(bl.text)
			b.WriteByte('\n')
		}
		texts = append(texts, b.String())
	}
	return texts, nil
}

// Words cuts text into lower-case words at anything that is not a letter or
// a digit, after NFKC normalisation; it is the tokenisation under which
// extractors are compared.
func Words(text string) []string {
	text = strings.ToLower(norm.NFKC.String(text))
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TokenF1 is the agreement between two extractions of the same file: the
// F1 of their bags of words (a word counted min(count in a, count in b)
// times as matched). Word order does not matter, so a different reading
// order of columns costs nothing, while glued or split words, lost or
// doubled text do. Two empty texts agree fully.
func TokenF1(a, b string) float64 {
	wa, wb := Words(a), Words(b)
	if len(wa) == 0 && len(wb) == 0 {
		return 1
	}
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	count := make(map[string]int, len(wa))
	for _, w := range wa {
		count[w]++
	}
	matched := 0
	for _, w := range wb {
		if count[w] > 0 {
			count[w]--
			matched++
		}
	}
	p := float64(matched) / float64(len(wb))
	r := float64(matched) / float64(len(wa))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
