package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/charterhq/charter/tools/diff"
	"github.com/charterhq/charter/tools/diff/sdk"
	"github.com/mattn/go-isatty"
)

func init() {
	commands["diff"] = command{
		summary: "report the changes between two versions of a spec that break clients",
		run:     runDiff,
	}
}

const diffUsage = `usage:
  charter diff [flags] BASE.yaml NEXT.yaml   compare two spec files
  charter diff [flags] --base REF            compare every spec in api/ at git REF with the working tree
  charter diff [flags] --released            compare every spec in api/ with api/released/<name>

Exit status: 0 nothing fails the gate, 1 breaking changes, 2 the tool could not run
(an unreadable spec, --released with no released specs). go run reports every
non-zero exit as 1: scripts that branch on the code build the command and run it.
A breaking change passes when the same change bumps the major number of info.version.

Event contracts (AsyncAPI 3: api/events/<name>.yaml, paired as events/<name>.yaml
by --base and --released, or two AsyncAPI files) are compared from a consumer's
side: an event type no longer published or with another channel address (its
NATS subject) breaks, and a payload is judged as a response body is.

The generated Go client of both versions is compared too (oapi-codegen, with the
settings of --codegen-config). Its incompatible changes (a renamed type or method,
a field that became a pointer) are reported apart from the wire's, grouped by
cause, with the spec change that keeps the old Go API where there is one. By
default (--sdk report) they do not fail the gate: they break the builds of Go
code that uses the generated client, not the API's clients, and only a project
that publishes that client knows whether anyone builds against it; such a project
runs --sdk fail, where a major version bump lets them through as it does wire
breaks. --sdk off skips the comparison. The packages the generated client imports
are built in, so the comparison runs anywhere; a client that imports another (a
type named by x-go-type-import) needs the go command and a Go module that
provides it. Where it cannot run, the report says why and the wire verdict and
exit status stand (--sdk fail exits 2 there).

flags:
`

// diffFlags are the options of charter diff.
type diffFlags struct {
	base, api, format, failOn, ignore, codegenConfig, color, today, sdk string
	released, noSDK                                                     bool
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	var f diffFlags
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, diffUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&f.base, "base", "", "git `ref` to compare the specs of the working tree with")
	fs.BoolVar(&f.released, "released", false, "compare the specs with their released versions in <api>/released")
	fs.StringVar(&f.api, "api", "api", "`directory` of the specs")
	fs.StringVar(&f.format, "format", "text", "output `format`: text, markdown, json or junit")
	fs.StringVar(&f.failOn, "fail-on", "error", "lowest `severity` that fails: error or warning")
	fs.StringVar(&f.ignore, "ignore", "", "ignore `file` (default <api>/.breaking-ignore.yaml)")
	fs.StringVar(&f.sdk, "sdk", "report", "the generated Go clients' incompatible changes: `mode` report (listed apart, do not fail), fail, or off (not compared)")
	fs.BoolVar(&f.noSDK, "no-sdk", false, "the same as --sdk off")
	fs.StringVar(&f.codegenConfig, "codegen-config", "gen/oapi-codegen.yaml", "oapi-codegen `file` whose settings the generated client uses")
	fs.StringVar(&f.color, "color", "auto", "color the text report: auto (on a terminal), always or never")
	fs.StringVar(&f.today, "today", "", "`date` (2006-01-02) x-sunset dates are compared with (default today)")

	// Flags may follow the two file arguments.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	defer collectLessOften()()
	report, err := gate(f, files)
	if err != nil {
		fmt.Fprintln(stderr, "charter diff:", err)
		return 2
	}
	if err := write(report, f, stdout); err != nil {
		fmt.Fprintln(stderr, "charter diff:", err)
		return 2
	}
	if report.Failed() {
		return 1
	}
	return 0
}

// gate runs the comparison the flags ask for.
func gate(f diffFlags, files []string) (*diff.Report, error) {
	failOn, ok := diff.ParseSeverity(f.failOn)
	if !ok || failOn == diff.Info {
		return nil, fmt.Errorf("--fail-on %q: want error or warning", f.failOn)
	}
	switch f.format {
	case "text", "markdown", "json", "junit":
	default:
		return nil, fmt.Errorf("--format %q: want text, markdown, json or junit", f.format)
	}
	switch f.sdk {
	case "report", "fail", "off":
	default:
		return nil, fmt.Errorf("--sdk %q: want report, fail or off", f.sdk)
	}
	if f.noSDK {
		f.sdk = "off"
	}
	opts := diff.Options{}
	if f.today != "" {
		t, err := time.Parse(time.DateOnly, f.today)
		if err != nil {
			return nil, fmt.Errorf("--today: %w", err)
		}
		opts.Now = t
	}
	ignorePath := f.ignore
	if ignorePath == "" {
		ignorePath = filepath.Join(f.api, ".breaking-ignore.yaml")
	}
	ignore, err := diff.LoadIgnore(ignorePath)
	if err != nil {
		return nil, err
	}

	var pairs []diff.Pair
	modes := 0
	for _, on := range []bool{len(files) > 0, f.base != "", f.released} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return nil, errors.New("give two spec files, --base REF or --released (see charter diff -h)")
	}
	switch {
	case len(files) > 0:
		if len(files) != 2 {
			return nil, fmt.Errorf("want two spec files, got %d", len(files))
		}
		pairs = []diff.Pair{{Name: filepath.Base(files[1]), Base: files[0], Next: files[1]}}
	case f.released:
		releasedDir := filepath.Join(f.api, "released")
		if pairs, err = diff.PairDirs(releasedDir, f.api); err != nil {
			return nil, err
		}
		// With no baseline every spec is new and nothing can fail: a
		// wrong --api or a missing release must not read as a pass.
		if !slices.ContainsFunc(pairs, func(p diff.Pair) bool { return p.Base != "" }) {
			return nil, fmt.Errorf("no released specs in %s to compare with (is --api right? make release-spec records them)", releasedDir)
		}
	default:
		snapshot, err := snapshotAPI(f.base, f.api)
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(snapshot.root)
		if pairs, err = diff.PairDirs(snapshot.api, f.api); err != nil {
			return nil, err
		}
		if len(pairs) == 0 {
			return nil, fmt.Errorf("no specs in %s, at %s or in the working tree", f.api, f.base)
		}
	}

	report := &diff.Report{FailOn: failOn, SDKFails: f.sdk == "fail"}
	sdkSkipped := ""
	for _, p := range pairs {
		// The SDK check generates and type-checks both clients while the
		// wire comparison runs: the two share nothing.
		checkSDK := sdkSkipped == "" && f.sdk != "off" && p.Base != "" && p.Next != "" && !p.Events && !diff.IsEventContract(p.Next)
		var findings []diff.Finding
		var sdkErr error
		done := make(chan struct{})
		if checkSDK {
			go func() {
				defer close(done)
				findings, sdkErr = sdkFindings(p, f.codegenConfig)
			}()
		} else {
			close(done)
		}
		res, err := diff.ComparePair(p, opts)
		<-done
		if err != nil {
			return nil, err
		}
		switch {
		case sdkSkipped != "":
			res.SDKSkipped = sdkSkipped
		case checkSDK:
			// Where the SDK check cannot run (no go command, no Go
			// module), the wire verdict stands: only --sdk fail, which
			// asks for the SDK check's verdict, needs it.
			if errors.Is(sdkErr, sdk.ErrUnavailable) && f.sdk != "fail" {
				sdkSkipped = sdkErr.Error()
				res.SDKSkipped = sdkSkipped
				break
			}
			if sdkErr != nil {
				return nil, sdkErr
			}
			res.Findings = append(res.Findings, findings...)
		}
		res.Accept()
		ignore.Apply(res.Spec, res.Findings)
		report.Results = append(report.Results, res)
	}
	return report, nil
}

// collectLessOften lets the heap grow to five times what is live before
// the garbage collector runs, rather than twice, up to 2 GiB, unless
// GOGC or GOMEMLIMIT says otherwise, and returns what restores the
// settings. The comparison of two large specs allocates several times
// its live heap and keeps it for a few seconds: with the default, the
// collector took a quarter of its CPU time. It still collects as often as
// by default once the heap nears 2 GiB.
func collectLessOften() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(2 << 30)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

func sdkFindings(p diff.Pair, configPath string) ([]diff.Finding, error) {
	cfg, err := sdk.Config(configPath)
	if err != nil {
		return nil, err
	}
	findings, err := sdk.Compare(p.Base, p.Next, ".", cfg)
	if errors.Is(err, sdk.ErrUnavailable) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("SDK check of %s: %w", p.Name, err)
	}
	return findings, nil
}

// snapshotDir is the base ref's copy of the spec directory.
type snapshotDir struct{ root, api string }

func snapshotAPI(ref, apiDir string) (snapshotDir, error) {
	top, err := gitTopLevel()
	if err != nil {
		return snapshotDir{}, err
	}
	abs, err := filepath.Abs(apiDir)
	if err != nil {
		return snapshotDir{}, err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return snapshotDir{}, fmt.Errorf("%s is not inside the git repository %s", apiDir, top)
	}
	root, err := diff.Snapshot(top, ref, filepath.ToSlash(rel))
	if err != nil {
		return snapshotDir{}, err
	}
	return snapshotDir{root: root, api: filepath.Join(root, rel)}, nil
}

func gitTopLevel() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			if resolved, err := filepath.EvalSymlinks(dir); err == nil {
				return resolved, nil
			}
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("--base needs a git repository")
		}
	}
}

func write(r *diff.Report, f diffFlags, w io.Writer) error {
	switch f.format {
	case "markdown":
		return r.WriteMarkdown(w)
	case "json":
		return r.WriteJSON(w)
	case "junit":
		return r.WriteJUnit(w)
	}
	return r.WriteText(w, useColor(f.color, w))
}

// useColor colors only a terminal, and never when NO_COLOR is set.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	file, ok := w.(*os.File)
	return ok && isatty.IsTerminal(file.Fd())
}
