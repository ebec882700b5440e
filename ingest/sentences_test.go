package ingest

import (
	"encoding/json"
	"reflect"
	"testing"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
)

// TestDecodePunktModel: the English model prose segments with is read by
// the fast decoder, to exactly what sentences.LoadTraining makes of it.
func TestDecodePunktModel(t *testing.T) {
	b, err := data.Asset(punktModelAsset)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sentences.LoadTraining(b)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := decodePunktModel(b)
	if !ok {
		t.Fatal("decodePunktModel refused the English model; the segmenter would load it the slow way")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodePunktModel differs from sentences.LoadTraining (%d/%d/%d/%d entries against %d/%d/%d/%d)",
			len(got.AbbrevTypes), len(got.Collocations), len(got.SentStarters), len(got.OrthoContext),
			len(want.AbbrevTypes), len(want.Collocations), len(want.SentStarters), len(want.OrthoContext))
	}
}

func TestDecodePunktModelShapes(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`{}`, true},
		{` { "AbbrevTypes" : { "dr" : 1 , "mr":1 } , "OrthoContext":{"the":32}} `, true},
		{`{"AbbrevTypes":{}}`, true},
		{`{"Collocations":{"a":-3}}`, true},
		{`{"AbbrevTypes":{"dr":1.5}}`, false},
		{`{"AbbrevTypes":{"dr":1e3}}`, false},
		{`{"AbbrevTypes":{"dr":01}}`, false},
		{`{"AbbrevTypes":{"d\"r":1}}`, false},
		{`{"AbbrevTypes":{"dr":1}`, false},
		{`{"AbbrevTypes":{"dr":1}}x`, false},
		{`{"Other":{"dr":1}}`, false},
		{`{"AbbrevTypes":{"dr":99999999999999999999}}`, false},
		{"{\"AbbrevTypes\":{\"\xff\":1}}", false},
		{`[]`, false},
		{``, false},
	}
	for _, tt := range tests {
		got, ok := decodePunktModel([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("decodePunktModel(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok {
			checkAgainstJSON(t, []byte(tt.in), got)
		}
	}
}

// checkAgainstJSON fails when encoding/json reads b other than as got.
func checkAgainstJSON(t *testing.T, b []byte, got *sentences.Storage) {
	t.Helper()
	var want sentences.Storage
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("decodePunktModel accepted %q, encoding/json: %v", b, err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("decodePunktModel(%q) = %+v, encoding/json %+v", b, *got, want)
	}
}

// FuzzDecodePunktModel: whatever the fast decoder accepts, encoding/json
// reads the same way (what it refuses goes to the library).
func FuzzDecodePunktModel(f *testing.F) {
	for _, s := range []string{`{}`, `{"AbbrevTypes":{"dr":1,"mr":1},"OrthoContext":{"the":32}}`, `{"SentStarters":{"but":1}} `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, ok := decodePunktModel(b); ok {
			checkAgainstJSON(t, b, got)
		}
	})
}

func BenchmarkDecodePunktModel(b *testing.B) {
	raw, err := data.Asset(punktModelAsset)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if _, ok := decodePunktModel(raw); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("LoadTraining", func(b *testing.B) {
		for b.Loop() {
			if _, err := sentences.LoadTraining(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
