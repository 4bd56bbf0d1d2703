package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/charterhq/charter/tools/check"
	"github.com/mattn/go-isatty"
	"gopkg.in/yaml.v3"
)

func init() {
	commands["check"] = command{
		summary: "test a running service against its spec with generated requests",
		run:     runCheck,
	}
}

// runCheck is charter check: exit 0 when every check passes, 1 when one
// fails, 2 when the run could not happen.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("charter check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "the OpenAPI spec of the service (required)")
	url := fs.String("url", "", "the base URL of the running service, e.g. http://localhost:8080 (required)")
	var ids identityFlags
	fs.Var(&ids, "token", "a bearer `token` sent with the requests that need one; repeat as name=TOKEN or name@tenant=TOKEN for several identities")
	authFile := fs.String("auth", "", "a YAML or JSON `file` of identities: name: {token: ..., token_env: VAR, tenant: ...}")
	only := fs.String("checks", "", "comma-separated checks to run (default all: "+strings.Join(check.Checks(), ",")+")")
	skip := fs.String("skip-checks", "", "comma-separated checks to switch off")
	maxExamples := fs.Int("max-examples", 100, "cases drawn per property")
	seed := fs.Uint64("seed", 0, "the seed to replay a run with (0 draws one)")
	shrinkLimit := fs.Int("shrink-limit", check.DefaultShrinkLimit, "requests that shrinking one failure may send (0 reports it unshrunk)")
	junit := fs.String("junit", "", "write a JUnit XML report to this file")
	stateless := fs.Bool("no-stateful", false, "skip the stateful create/update/delete sequences")
	var rejected rejectedFlags
	fs.Var(&rejected, "rejected-statuses", "comma-separated `statuses` that mean the input broke the schema (default 400,422): a schema-valid request answered with one of them fails valid_accepted; leave out a status the API also uses for rules the schema cannot state (for example 422 for a business rule). Repeat as operationId=STATUSES to set them for one operation, e.g. --rejected-statuses 400,422 --rejected-statuses createQuote=400; operationId= leaves none for it")
	replayOut := fs.String("replay-out", "", "write each failure's shrunk sequence, with ids taken from earlier responses, to this JSON `file`")
	replay := fs.String("replay", "", "replay the failures of a --replay-out `file` instead of a run: exit 1 when one reproduces, 0 when none does")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: charter check --spec api/x.yaml --url http://localhost:8080 [flags]")
		fmt.Fprintln(stderr, "       charter check --replay FILE --url http://localhost:8080 [--token name=TOKEN ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *replay != "" && *url != "" {
		if *authFile != "" {
			more, err := readAuthFile(*authFile)
			if err != nil {
				fmt.Fprintf(stderr, "charter check: %v\n", err)
				return 2
			}
			ids = append(ids, more...)
		}
		return runReplay(*replay, *spec, *url, ids, rejected.options(), stdout, stderr)
	}
	if *spec == "" || *url == "" {
		fmt.Fprintln(stderr, "charter check: --spec and --url are required")
		fs.Usage()
		return 2
	}
	// From the file, not its bytes: its $refs into other files
	// (shared/components.yaml) resolve relative to where it is.
	doc, err := check.LoadSpecFile(*spec)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	opts := []check.Option{check.WithMaxExamples(*maxExamples), check.WithSeed(*seed), check.WithShrinkLimit(*shrinkLimit)}
	if *authFile != "" {
		more, err := readAuthFile(*authFile)
		if err != nil {
			fmt.Fprintf(stderr, "charter check: %v\n", err)
			return 2
		}
		ids = append(ids, more...)
	}
	if len(ids) > 0 {
		opts = append(opts, check.WithIdentities(ids...))
	}
	if *only != "" {
		opts = append(opts, check.WithChecks(splitList(*only)...))
	}
	if *skip != "" {
		opts = append(opts, check.WithoutChecks(splitList(*skip)...))
	}
	if *stateless {
		opts = append(opts, check.WithoutStateful())
	}
	opts = append(opts, rejected.options()...)
	if f, ok := stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		opts = append(opts, check.WithProgress(progressBar(stderr)))
	}
	rep, err := check.Execute(doc, check.URL(*url), opts...)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(stdout, f.String())
	}
	rep.Summary(stdout)
	if *replayOut != "" {
		if err := writeReplay(*replayOut, *spec, rep); err != nil {
			fmt.Fprintf(stderr, "charter check: %v\n", err)
			return 2
		}
		if rep.Failed() {
			fmt.Fprintf(stdout, "the failures are in %s: charter check --replay %s --url %s replays them on a fresh server\n", *replayOut, *replayOut, *url)
		}
	}
	if *junit != "" {
		if err := writeJUnit(*junit, rep); err != nil {
			fmt.Fprintf(stderr, "charter check: %v\n", err)
			return 2
		}
	}
	if rep.Failed() {
		if len(ids) > 0 {
			fmt.Fprintf(stdout, "the curl commands read tokens from %s\n", variables(ids))
		}
		fmt.Fprintf(stdout, "replay with --seed %d\n", rep.Seed)
		return 1
	}
	return 0
}

// identityFlags collects the identities of repeated --token flags, in
// the order given: the first sends the stateless requests.
type identityFlags []check.Identity

// namedToken is the name@tenant= prefix of a named token.
var namedToken = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?:@([^=]+))?=([^=].*)$`)

func (f *identityFlags) String() string { return "" }

// Set reads TOKEN, name=TOKEN or name@tenant=TOKEN. A token of its own
// with '=' in it is taken whole unless what comes before the first '='
// looks like a name and what follows it is not more '=' (base64 padding).
func (f *identityFlags) Set(v string) error {
	if v == "" {
		return errors.New("empty token")
	}
	id := check.Identity{Token: v}
	if m := namedToken.FindStringSubmatch(v); m != nil {
		id = check.Identity{Name: m[1], Tenant: m[2], Token: m[3]}
	}
	*f = append(*f, id)
	return nil
}

// authEntry is one identity of an --auth file.
type authEntry struct {
	// Token is the bearer token; TokenEnv names an environment
	// variable holding it instead, to keep tokens out of files.
	Token    string `yaml:"token"`
	TokenEnv string `yaml:"token_env"`
	Tenant   string `yaml:"tenant"`
}

// readAuthFile reads the identities of an --auth file, a map of name to
// token (or token_env) and tenant, in the order of their names so that a
// seed replays the same run.
func readAuthFile(path string) ([]check.Identity, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries map[string]authEntry
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []check.Identity
	for _, name := range slices.Sorted(maps.Keys(entries)) {
		e := entries[name]
		tok := e.Token
		if e.TokenEnv != "" {
			if tok != "" {
				return nil, fmt.Errorf("%s: %s has both token and token_env", path, name)
			}
			tok = os.Getenv(e.TokenEnv)
			if tok == "" {
				return nil, fmt.Errorf("%s: %s: $%s is empty", path, name, e.TokenEnv)
			}
		}
		out = append(out, check.Identity{Name: name, Tenant: e.Tenant, Token: tok})
	}
	return out, nil
}

// variables lists the shell variables the curl commands read tokens from.
func variables(ids []check.Identity) string {
	var out []string
	for _, id := range ids {
		s := "$" + id.Variable()
		if id.Name != "" {
			s += " (" + id.Name + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseStatuses reads a comma-separated list of HTTP statuses.
// rejectedFlags holds the --rejected-statuses flags: the statuses of
// every operation, and those of single operations (operationId=400).
type rejectedFlags struct {
	all   []int
	byOp  map[string][]int
	order []string
}

func (f *rejectedFlags) String() string { return "" }

func (f *rejectedFlags) Set(v string) error {
	op, list, named := strings.Cut(v, "=")
	if !named {
		list = v
	} else if op = strings.TrimSpace(op); op == "" {
		return fmt.Errorf("%q names no operation before =", v)
	}
	statuses, err := parseStatuses(list)
	if err != nil {
		return err
	}
	// An empty list is a choice too: no status means a schema refusal.
	statuses = append([]int{}, statuses...)
	if !named {
		f.all = statuses
		return nil
	}
	if f.byOp == nil {
		f.byOp = map[string][]int{}
	}
	if _, seen := f.byOp[op]; !seen {
		f.order = append(f.order, op)
	}
	f.byOp[op] = statuses
	return nil
}

// options returns the run's options; without a flag for every operation
// the default (400 and 422) holds.
func (f *rejectedFlags) options() []check.Option {
	var out []check.Option
	if f.all != nil {
		out = append(out, check.WithRejectedStatuses(f.all...))
	}
	for _, op := range f.order {
		out = append(out, check.WithRejectedStatusesFor(op, f.byOp[op]...))
	}
	return out
}

func parseStatuses(s string) ([]int, error) {
	var out []int
	for _, p := range splitList(s) {
		n, err := strconv.Atoi(p)
		if err != nil || n < 100 || n > 599 {
			return nil, fmt.Errorf("%q is not an HTTP status", p)
		}
		out = append(out, n)
	}
	return out, nil
}

func writeJUnit(path string, rep *check.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.JUnit(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progressBar draws one line per operation, redrawn in place as its
// properties finish.
func progressBar(w io.Writer) func(check.Progress) {
	const width = 20
	return func(p check.Progress) {
		filled := width * p.Done / p.Total
		fmt.Fprintf(w, "\r%-24s [%s%s] %d/%d %-10s", p.Operation,
			strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.Done, p.Total, p.Phase)
		if p.Done == p.Total {
			fmt.Fprintln(w)
		}
	}
}
