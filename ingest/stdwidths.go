package ingest

import (
	"strings"
	"unicode/utf8"
)

// Fonts of the standard 14 may be used without /Widths (fpdf and older
// writers do so); the text position after each glyph is then unknown. For
// the page geometry (word gaps, column gutters), such fonts get widths
// from the published metrics of Helvetica and Times for the letters,
// digits and common punctuation (in 1/1000 em), 600 for Courier, and an
// average for anything else. Only positions depend on them, never text.

// helvetica and times hold widths for the characters of ASCII in order
// from ' ' (32) to '~' (126); 0 means "use the average".
var (
	helvetica = [95]int{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
		278, 278, 584, 584, 584, 556, 1015, // : to @
		667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
		722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
		278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
		556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
		556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
		334, 260, 334, 584, // { | } ~
	}
	times = [95]int{
		250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500,
		278, 278, 564, 564, 564, 444, 921,
		722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
		722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611,
		333, 278, 333, 469, 500, 333,
		444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
		500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444,
		480, 200, 480, 541,
	}
)

// standardWidths returns widths for codes 0-255 of a standard-14 font
// without /Widths, given the text of each code; nil for other fonts.
func standardWidths(base string, text *[256]string) []float64 {
	name := strings.ToLower(base)
	var table *[95]int
	fixed, avg := 0.0, 500.0
	switch {
	case strings.Contains(name, "courier"):
		fixed = 600
	case strings.Contains(name, "times"):
		table, avg = &times, 470
	case strings.Contains(name, "helvetica") || strings.Contains(name, "arial"):
		table, avg = &helvetica, 520
	case strings.Contains(name, "symbol") || strings.Contains(name, "dingbats"):
	default:
		return nil
	}
	scale := 1.0
	if fixed == 0 && strings.Contains(name, "bold") {
		scale = 1.06 // bold faces run a little wider
	}
	ws := make([]float64, 256)
	for c := range ws {
		if fixed > 0 {
			ws[c] = fixed
			continue
		}
		w := avg
		if s := text[c]; s != "" {
			r, _ := utf8.DecodeRuneInString(s)
			if table != nil && r >= 32 && r <= 126 && table[r-32] > 0 {
				w = float64(table[r-32])
			}
		}
		ws[c] = w * scale
	}
	return ws
}
