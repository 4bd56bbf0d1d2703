// Command benchratio copies the output of go test -bench from its input
// to its output and then reports, for each pair of benchmarks named
// .../full and .../bare, the share of bare throughput the full stack
// keeps (see package benchratio). make bench pipes into it.
//
// It exits 1 when the benchmarks failed (a FAIL line in the input), and
// only reports targets: a missed target is a figure to act on, not a
// failed build, since timings depend on the machine.
//
//	go test -run '^$' -bench . -benchmem -count 5 ./... | benchratio -target memory=70 -target sqlite=85
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charterhq/charter/tools/benchratio"
)

type targetsFlag []benchratio.Target

func (t *targetsFlag) String() string { return fmt.Sprint(*t) }

func (t *targetsFlag) Set(s string) error {
	target, err := benchratio.ParseTarget(s)
	if err != nil {
		return err
	}
	*t = append(*t, target)
	return nil
}

func main() {
	var targets targetsFlag
	flag.Var(&targets, "target", "element=percent: the least share pairs with that name element should keep (repeatable)")
	flag.Parse()
	os.Exit(run(os.Stdin, os.Stdout, os.Stderr, targets))
}

func run(in io.Reader, out, errOut io.Writer, targets []benchratio.Target) int {
	// Echo as it comes, so that a long run shows progress, and keep a copy
	// to parse at the end.
	var all bytes.Buffer
	failed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
		all.WriteString(line)
		all.WriteByte('\n')
		if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "panic:") {
			failed = true
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(errOut, "benchratio:", err)
		return 2
	}
	pairs, err := benchratio.Read(&all)
	if err != nil {
		fmt.Fprintln(errOut, "benchratio:", err)
		return 2
	}
	benchratio.Report(out, pairs, targets)
	if failed {
		return 1
	}
	return 0
}
