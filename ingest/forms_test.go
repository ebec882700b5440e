package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// formPDF writes a page with the label "Contact person" and one text field
// beside it whose value is value (a UTF-16 text string), drawn by the
// appearance stream ap ("" for an appearance that shows nothing, as a
// form saved with /NeedAppearances has); the field's type and /DA sit on
// its parent field, as in a field with several widgets.
func formPDF(value, ap string) []byte {
	var v strings.Builder
	v.WriteString("<FEFF")
	for _, r := range value {
		fmt.Fprintf(&v, "%04X", r)
	}
	v.WriteString(">")
	objs := []fixtureObj{
		obj("<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [6 0 R] /NeedAppearances true>>>>"),
		obj("<</Type /Pages /Kids [3 0 R] /Count 1>>"),
		obj("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 4 0 R>>>> /Contents 5 0 R /Annots [7 0 R]>>"),
		obj("<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"),
		stm("", "BT /F1 11 Tf 72 700 Td (Contact person) Tj ET"),
		obj("<</FT /Tx /T (contact) /DA (0 g /F1 11 Tf) /V " + v.String() + " /Kids [7 0 R]>>"),
		obj("<</Type /Annot /Subtype /Widget /Parent 6 0 R /Rect [170 696 400 712] /F 4 /AP <</N 8 0 R>>>>"),
		stm("/Type /XObject /Subtype /Form /BBox [0 0 230 16] /Resources <</Font <</F1 4 0 R>>>>", "/Tx BMC "+ap+" EMC"),
	}
	return fixturePDF(objs)
}

// TestFormFieldValues checks that a filled-in text field's value is read
// once: from its /V when its appearance shows nothing, from the
// appearance when it shows the value.
func TestFormFieldValues(t *testing.T) {
	tests := []struct {
		name string
		pdf  []byte
		want string
	}{
		{"value without appearance", formPDF("Ana Müller", ""), "Contact person Ana Müller"},
		{"value drawn by its appearance", formPDF("Ana Müller", "BT /F1 11 Tf 2 4 Td (Ana M\xfcller) Tj ET"), "Contact person Ana Müller"},
		{"empty value", formPDF("", ""), "Contact person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts, err := PageTexts(context.Background(), bytes.NewReader(tt.pdf), int64(len(tt.pdf)), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(strings.Fields(strings.Join(texts, " ")), " "); got != tt.want {
				t.Errorf("PageTexts = %q, want %q", got, tt.want)
			}
		})
	}
}
