package coding

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 5e-4 || (math.IsNaN(a) && math.IsNaN(b)) }

// TestKappaWorkedExample: the classic two-rater example (50 items; both
// yes 20, rater A yes and B no 5, A no and B yes 10, both no 15):
// po = 35/50 = 0.70, pe = 0.5·0.6 + 0.5·0.4 = 0.50, kappa = 0.40.
func TestKappaWorkedExample(t *testing.T) {
	tb := Table{TP: 20, FP: 5, FN: 10, TN: 15}
	if k := tb.Kappa(); !near(k, 0.4) {
		t.Errorf("kappa = %v, want 0.40", k)
	}
	if a := tb.PercentAgreement(); !near(a, 0.7) {
		t.Errorf("agreement = %v, want 0.70", a)
	}
	// precision 20/25, recall 20/30, F1 = 40/55.
	if !near(tb.Precision(), 0.8) || !near(tb.Recall(), 2.0/3) || !near(tb.F1(), 40.0/55) {
		t.Errorf("precision %v recall %v F1 %v", tb.Precision(), tb.Recall(), tb.F1())
	}
}

// TestAlphaWorkedExample: Krippendorff's binary example for two observers
// and ten units (Krippendorff 2011, "Computing Krippendorff's
// Alpha-Reliability"): A = 0 1 0 0 0 0 0 0 1 0, B = 1 1 1 0 0 1 0 0 0 0.
// Four units disagree, n = 20, six 1s and fourteen 0s:
// alpha = 1 − 19·4 / (14·6) = 0.095.
func TestAlphaWorkedExample(t *testing.T) {
	a := []bool{false, true, false, false, false, false, false, false, true, false}
	b := []bool{true, true, true, false, false, true, false, false, false, false}
	var tb Table
	for i := range a {
		tb.Add(a[i], b[i])
	}
	if al := Alpha(tb); !near(al, 0.095) {
		t.Errorf("alpha = %v, want 0.095", al)
	}
	// Alpha over several tables pools their units.
	half1, half2 := Table{}, Table{}
	for i := range a {
		if i < 5 {
			half1.Add(a[i], b[i])
		} else {
			half2.Add(a[i], b[i])
		}
	}
	if al := Alpha(half1, half2); !near(al, 0.095) {
		t.Errorf("pooled alpha = %v, want 0.095", al)
	}
}

func TestAgreementEdges(t *testing.T) {
	tests := []struct {
		name         string
		t            Table
		kappa, alpha float64
	}{
		{"perfect", Table{TP: 3, TN: 7}, 1, 1},
		{"all zero on both sides", Table{TN: 10}, math.NaN(), math.NaN()},
		{"opposite", Table{FP: 5, FN: 5}, -1, -0.9}, // alpha = 1 − 19·10/(10·10)
		{"empty", Table{}, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		if k := tt.t.Kappa(); !near(k, tt.kappa) {
			t.Errorf("%s: kappa = %v, want %v", tt.name, k, tt.kappa)
		}
		if a := Alpha(tt.t); !near(a, tt.alpha) {
			t.Errorf("%s: alpha = %v, want %v", tt.name, a, tt.alpha)
		}
	}
}

func TestParseGold(t *testing.T) {
	rows, err := ParseGold([]byte("# a comment\npassage_id,code_id,note\ncork-2015-p0001,charter.inclusion,migrants\nokayama-2017-p0002,keyfeatures.quality\ncork-2015-p0002,,read: no code\n"), "g.csv")
	if err != nil || len(rows) != 3 || rows[1].Line != 4 || rows[0].CodeID != "charter.inclusion" || rows[2].CodeID != "" {
		t.Fatalf("rows %+v, err %v", rows, err)
	}
	if b := GoldCodebooks(rows); strings.Join(b, ",") != "charter,keyfeatures" {
		t.Errorf("codebooks = %v", b)
	}
	tests := []struct{ name, data, want string }{
		{"bad header", "passage,code\n", "g.csv:1"},
		{"empty", "", "g.csv:1"},
		{"no codebook", "passage_id,code_id\np1,inclusion\n", "g.csv:2"},
		{"empty passage", "passage_id,code_id\n,a.b\n", "g.csv:2"},
		{"repeat", "passage_id,code_id\np1,a.b\np1,a.b\n", "g.csv:3"},
		{"bad quote", "passage_id,code_id\n\"p1,a.b\n", "g.csv:2"},
	}
	for _, tt := range tests {
		_, err := ParseGold([]byte(tt.data), "g.csv")
		var ge *GoldError
		if err == nil || !errors.As(err, &ge) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s…", tt.name, err, tt.want)
		}
	}
}

func FuzzParseGold(f *testing.F) {
	f.Add([]byte("passage_id,code_id\np1,a.b\n"))
	f.Add([]byte("passage_id,code_id,note\n\"p,1\",a.b,\"x\"\"y\"\n"))
	f.Add([]byte("\ufeffpassage_id,code_id\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseGold(data, "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.PassageID == "" || (r.CodeID != "" && !strings.Contains(r.CodeID, ".")) || r.Line < 2 {
				t.Fatalf("accepted row %+v", r)
			}
		}
		GoldCodebooks(rows)
	})
}

// TestReliabilityMissing: three coders, six units, some values missing
// (.):
//
//	unit  A B C   m  values  Σ_{c≠k} n_uc·n_uk/(m−1)
//	u1    1 1 1   3  3       0
//	u2    1 0 .   2  2       (2·1·1)/1 = 2
//	u3    0 0 0   3  3       0
//	u4    . 1 1   2  2       0
//	u5    0 . .   1  —       not pairable
//	u6    1 0 0   3  3       (2·1·2)/2 = 2
//
// n = 13 pairable values, n1 = 7, n0 = 6, observed Σ_{c≠k} o_ck = 4,
// Σ_{c≠k} n_c·n_k = 2·7·6 = 84: alpha = 1 − 12·4/84 = 3/7 ≈ 0.4286.
// With u5 left out (it is not pairable) the result is the same, and with
// two coders and no missing values Reliability agrees with Alpha.
func TestReliabilityMissing(t *testing.T) {
	var r Reliability
	r.Add(1, 1, 1)
	r.Add(1, 0)
	r.Add(0, 0, 0)
	r.Add(1, 1)
	r.Add(0)
	r.Add(1, 0, 0)
	if a := r.Alpha(); math.Abs(a-3.0/7) > 1e-12 || r.Units() != 5 || r.Values() != 13 || r.Count(1) != 7 {
		t.Errorf("alpha = %v over %d units, %d values (%d ones); want 3/7 over 5, 13 (7)", a, r.Units(), r.Values(), r.Count(1))
	}
	// Pooling: the same units split in two and merged.
	var a, b Reliability
	a.Add(1, 1, 1)
	a.Add(1, 0)
	a.Add(0, 0, 0)
	b.Add(1, 1)
	b.Add(1, 0, 0)
	a.Merge(b)
	if got := a.Alpha(); math.Abs(got-3.0/7) > 1e-12 {
		t.Errorf("merged alpha = %v, want 3/7", got)
	}
	// Krippendorff's binary example (TestAlphaWorkedExample) as units.
	x := []int{0, 1, 0, 0, 0, 0, 0, 0, 1, 0}
	y := []int{1, 1, 1, 0, 0, 1, 0, 0, 0, 0}
	var two Reliability
	var tb Table
	for i := range x {
		two.Add(x[i], y[i])
		tb.Add(x[i] == 1, y[i] == 1)
	}
	if got, want := two.Alpha(), Alpha(tb); math.Abs(got-want) > 1e-12 {
		t.Errorf("two coders: alpha = %v, Alpha(table) = %v", got, want)
	}
	for name, r := range map[string]Reliability{"empty": {}, "one value only": func() (r Reliability) { r.Add(1, 1); r.Add(1, 1, 1); return }()} {
		if a := r.Alpha(); !math.IsNaN(a) {
			t.Errorf("%s: alpha = %v, want NaN", name, a)
		}
	}
}

// TestReliabilityNominal: Krippendorff's four-observer example with
// nominal values 1–5 and missing values (Krippendorff 2011, "Computing
// Krippendorff's Alpha-Reliability", section C), alpha = 0.743.
func TestReliabilityNominal(t *testing.T) {
	const miss = 0
	obs := [4][12]int{
		{1, 2, 3, 3, 2, 1, 4, 1, 2, miss, miss, miss},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, miss, 3},
		{miss, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, miss},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, miss},
	}
	var r Reliability
	for u := range 12 {
		var vs []int
		for o := range obs {
			if obs[o][u] != miss {
				vs = append(vs, obs[o][u])
			}
		}
		r.Add(vs...)
	}
	if a := r.Alpha(); !near(a, 0.743) || r.Values() != 40 {
		t.Errorf("alpha = %v over %d values, want 0.743 over 40", a, r.Values())
	}
}
