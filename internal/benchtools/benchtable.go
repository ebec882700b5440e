package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// result is one line of `go test -bench` output.
type result struct {
	pkg, name string
	n         int64
	metrics   map[string]float64 // by unit: ns/op, MB/s, B/op, allocs/op, custom
	units     []string           // in the order printed
}

// procSuffix is the -GOMAXPROCS suffix go test appends to a benchmark name.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads `go test -bench` output: the pkg: and cpu: lines and
// the Benchmark lines; everything else is ignored.
func parseBench(r io.Reader) (results []result, cpu string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	pkg := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "pkg: "))
		case strings.HasPrefix(line, "cpu: "):
			cpu = strings.TrimSpace(strings.TrimPrefix(line, "cpu: "))
		case strings.HasPrefix(line, "Benchmark"):
			f := strings.Fields(line)
			if len(f) < 4 || len(f)%2 != 0 {
				continue // a benchmark's own log line, or one that failed
			}
			n, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				continue
			}
			res := result{pkg: pkg, name: procSuffix.ReplaceAllString(f[0], ""), n: n, metrics: map[string]float64{}}
			for i := 2; i+1 < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return nil, "", fmt.Errorf("%s: value %q: %v", f[0], f[i], err)
				}
				res.metrics[f[i+1]] = v
				res.units = append(res.units, f[i+1])
			}
			results = append(results, res)
		}
	}
	return results, cpu, sc.Err()
}

// benchTable writes the results of `go test -bench` output as a Markdown
// table: time, throughput, memory and allocations per operation, and any
// metric a benchmark reports itself.
func benchTable(r io.Reader, w io.Writer) error {
	results, cpu, err := parseBench(r)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	fmt.Fprintln(w, "| package | benchmark | runs | time/op | MB/s | memory/op | allocs/op | other |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		var other []string
		for _, u := range r.units {
			switch u {
			case "ns/op", "MB/s", "B/op", "allocs/op":
			default:
				other = append(other, fmt.Sprintf("%s %s", sig3(r.metrics[u]), u))
			}
		}
		fmt.Fprintf(w, "| %s | `%s` | %d | %s | %s | %s | %s | %s |\n",
			shortPkg(r.pkg), r.name, r.n,
			opt(r.metrics, "ns/op", duration), opt(r.metrics, "MB/s", sig3),
			opt(r.metrics, "B/op", bytesSize), opt(r.metrics, "allocs/op", count),
			strings.Join(other, ", "))
	}
	if cpu != "" {
		fmt.Fprintf(w, "\nCPU as go test reports it: %s.\n", cpu)
	}
	return nil
}

// shortPkg drops the module path from a package path.
func shortPkg(p string) string {
	return strings.TrimPrefix(strings.TrimPrefix(p, "github.com/lcity/lcity"), "/")
}

func opt(m map[string]float64, unit string, f func(float64) string) string {
	v, ok := m[unit]
	if !ok {
		return "-"
	}
	return f(v)
}

// sig3 formats v with three significant digits, without an exponent.
func sig3(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// duration formats nanoseconds in the largest unit that keeps the value
// at least 1.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return sig3(ns/1e9) + " s"
	case ns >= 1e6:
		return sig3(ns/1e6) + " ms"
	case ns >= 1e3:
		return sig3(ns/1e3) + " µs"
	default:
		return sig3(ns) + " ns"
	}
}

// bytesSize formats a byte count in decimal units (kB = 1,000 bytes).
func bytesSize(b float64) string {
	switch {
	case b >= 1e9:
		return sig3(b/1e9) + " GB"
	case b >= 1e6:
		return sig3(b/1e6) + " MB"
	case b >= 1e3:
		return sig3(b/1e3) + " kB"
	default:
		return sig3(b) + " B"
	}
}

// count formats a count with k and M.
func count(n float64) string {
	switch {
	case n >= 1e6:
		return sig3(n/1e6) + "M"
	case n >= 1e4:
		return sig3(n/1e3) + "k"
	default:
		return sig3(n)
	}
}

// metric returns the value of unit for the benchmark named name (without
// the -GOMAXPROCS suffix) in `go test -bench` output.
func metric(r io.Reader, name, unit string) (float64, error) {
	results, _, err := parseBench(r)
	if err != nil {
		return 0, err
	}
	for _, res := range results {
		if res.name == name {
			if v, ok := res.metrics[unit]; ok {
				return v, nil
			}
		}
	}
	return 0, fmt.Errorf("no %s of %s in the input", unit, name)
}
