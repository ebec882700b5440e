package main

import (
	"bytes"
	"strings"
	"testing"
)

const benchOut = `goos: linux
goarch: amd64
pkg: github.com/lcity/lcity/coding
cpu: AMD EPYC
BenchmarkCode/embedded-2         	      87	  17582922 ns/op	   6.01 MB/s	 4359919 B/op	   19931 allocs/op
BenchmarkCodeAll-2               	    1988	    595922 ns/op	  12.99 MB/s	  345616 B/op	     214 allocs/op
PASS
ok  	github.com/lcity/lcity/coding	4.068s
pkg: github.com/lcity/lcity/ingest
BenchmarkBook500-2   	       1	1912345678 ns/op	   0.16 MB/s	       262.0 pages/s	834000000 B/op	 7500000 allocs/op
    bench_test.go:9: a log line
BenchmarkSlow
`

func TestBenchTable(t *testing.T) {
	var b bytes.Buffer
	if err := benchTable(strings.NewReader(benchOut), &b); err != nil {
		t.Fatal(err)
	}
	want := "| package | benchmark | runs | time/op | MB/s | memory/op | allocs/op | other |\n" +
		"|---|---|---:|---:|---:|---:|---:|---|\n" +
		"| coding | `BenchmarkCode/embedded` | 87 | 17.6 ms | 6.01 | 4.36 MB | 19.9k |  |\n" +
		"| coding | `BenchmarkCodeAll` | 1988 | 596 µs | 13.0 | 346 kB | 214 |  |\n" +
		"| ingest | `BenchmarkBook500` | 1 | 1.91 s | 0.16 | 834 MB | 7.50M | 262 pages/s |\n" +
		"\nCPU as go test reports it: AMD EPYC.\n"
	if b.String() != want {
		t.Errorf("benchTable =\n%s\nwant\n%s", b.String(), want)
	}
	if err := benchTable(strings.NewReader("PASS\n"), &b); err == nil {
		t.Error("benchTable of no results: no error")
	}
}

func TestMetric(t *testing.T) {
	v, err := metric(strings.NewReader(benchOut), "BenchmarkCode/embedded", "MB/s")
	if err != nil || v != 6.01 {
		t.Errorf("metric = %v, %v; want 6.01", v, err)
	}
	if _, err := metric(strings.NewReader(benchOut), "BenchmarkCode/terms1000", "MB/s"); err == nil {
		t.Error("metric of a missing benchmark: no error")
	}
}

const prov = "Measured at commit 0123abcd (clean), 2026-11-26 10:00 UTC, go1.26.8, 2 CPUs, x86_64: `go test -bench . ./coding`"

func TestFigures(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want []figure
	}{
		{"table with provenance", "# B\n\n" + prov + "\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
			[]figure{{5, "table", "0123abcd"}}},
		{"table without", "# B\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
			[]figure{{3, "table", ""}}},
		{"provenance of another section", prov + "\n\n## Next\n\n| a |\n|---|\n",
			[]figure{{5, "table", ""}}},
		{"provenance after the table", "| a |\n|---|\n\n" + prov + "\n",
			[]figure{{1, "table", ""}}},
		{"provenance in a subsection", "## A\n\n### B\n\n" + prov + "\n\n```\nout\n```\n\n| a |\n| --- |\n",
			[]figure{{7, "result block", "0123abcd"}, {11, "table", "0123abcd"}}},
		{"command blocks need none", "```sh\ngo test\n```\n\n~~~bash\nx\n~~~\n", nil},
		{"result block without", "## R\n\n```text\n| a |\n|---|\n```\n",
			[]figure{{3, "result block", ""}}},
		{"bad provenance: no hash", "Measured at commit unknown (clean), 2026-11-26 10:00 UTC, go1.26.8, 2 CPUs, x86_64: `x`\n\n| a |\n|---|\n",
			[]figure{{3, "table", ""}}},
		{"bad provenance: no command", "Measured at commit 0123abcd (clean), 2026-11-26 10:00 UTC, go1.26.8, 2 CPUs, x86_64\n\n| a |\n|---|\n",
			[]figure{{3, "table", ""}}},
		{"a pipe in prose is no table", "a | b\n\n|x|\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := figures(tt.md)
			if len(got) != len(tt.want) {
				t.Fatalf("figures = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("figure %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCurve(t *testing.T) {
	in := `{"cross_validation": {"folds": 10, "learning_curve": [
		{"fraction": 0.25, "train_passages": 77, "model_kappa": [0.659, 0.667, 0.663], "union_kappa": [0.679, 0.679, 0.679]},
		{"fraction": 1, "train_passages": 306, "model_kappa": [0.691], "union_kappa": [0.68]}]}}`
	var b bytes.Buffer
	if err := curve(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	want := "| 25 % | 77 | 0.663 (0.659–0.667) | 0.679 (0.679–0.679) |\n" +
		"| 100 % | 306 | 0.691 | 0.680 |\n"
	if b.String() != want {
		t.Errorf("curve =\n%s\nwant\n%s", b.String(), want)
	}
	if err := curve(strings.NewReader(`{"cross_validation": {"folds": 10}}`), &b); err == nil {
		t.Error("curve of an evaluation without a curve: no error")
	}
}
