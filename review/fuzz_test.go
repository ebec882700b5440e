package review

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParseDecision: whatever a client posts, ParseDecision either refuses
// it with an ErrInvalid or returns a decision that validates (once a coder
// is set) and survives encoding and parsing again unchanged.
func FuzzParseDecision(f *testing.F) {
	for _, s := range []string{
		`{"passage_id":"p1","code_id":"c.a","action":"accept"}`,
		`{"passage_id":"p1","code_id":"c.a","action":"add","span":{"start":3,"end":17},"memo":"Zoë","request_id":"r"}`,
		`{"passage_id":"p1","code_id":"c.a","action":"remove","span":null}`,
		`{"passage_id":"p1","code_id":"c.a","action":"add","span":{"start":-1,"end":2}}`,
		`{"passage_id":"p1","code_id":"c.a","action":"reject","coder":"x"}`,
		`{"passage_id":"\u0000","code_id":"c","action":"add"}`,
		`{"passage_id":"p","code_id":"c","action":"add","span":{"start":1e30,"end":2}}`,
		`{} {}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDecision(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseDecision(%q) = %v, not an ErrInvalid", data, err)
			}
			return
		}
		d.Coder = "fuzz"
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDecision(%q) accepted %+v, which does not validate: %v", data, d, err)
		}
		in := input{PassageID: d.PassageID, CodeID: d.CodeID, Action: d.Action, Span: d.Span, Memo: d.Memo, RequestID: d.RequestID}
		again, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := ParseDecision(again)
		d2.Coder = "fuzz"
		if err != nil || !sameContent(d, d2) {
			t.Fatalf("ParseDecision(%q) = %+v; encoded again as %s it parses as %+v, %v", data, d, again, d2, err)
		}
	})
}
