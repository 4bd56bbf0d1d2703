package diff

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Pair names one spec and the files of its two versions; Base or Next is
// empty when the spec was added or removed. Events marks a pair of event
// contracts (AsyncAPI, events.go).
type Pair struct {
	Name, Base, Next string
	Events           bool
}

// isSpecFile reports whether a file directly in a spec directory is an
// OpenAPI document (fragments that only hold shared components are not).
func isSpecFile(path string) bool { return declares(path, "openapi") }

// declares reports whether the YAML or JSON file at path has the top-level
// field key (openapi, asyncapi) in its first lines.
func declares(path, key string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
	default:
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 0; i < 50 && sc.Scan(); i++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, key+":") || strings.HasPrefix(line, `"`+key+`"`) {
			return true
		}
	}
	return false
}

// specsIn lists the files directly in dir that is accepts, by name; a
// missing dir has none.
func specsIn(dir string, is func(path string) bool) (map[string]string, error) {
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") && is(p) {
			out[e.Name()] = p
		}
	}
	return out, nil
}

// PairDirs pairs the specs of two directories by file name, including specs
// present on one side only, then the event contracts of their events/
// directories, named events/<file>.
func PairDirs(baseDir, nextDir string) ([]Pair, error) {
	pairs, err := pairFiles(baseDir, nextDir, isSpecFile, "")
	if err != nil {
		return nil, err
	}
	events, err := pairFiles(filepath.Join(baseDir, eventsDir), filepath.Join(nextDir, eventsDir), IsEventContract, eventsDir+"/")
	if err != nil {
		return nil, err
	}
	for i := range events {
		events[i].Events = true
	}
	return append(pairs, events...), nil
}

// pairFiles pairs the files two directories hold that is accepts, by name,
// each name with prefix before it.
func pairFiles(baseDir, nextDir string, is func(string) bool, prefix string) ([]Pair, error) {
	base, err := specsIn(baseDir, is)
	if err != nil {
		return nil, err
	}
	next, err := specsIn(nextDir, is)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for n := range base {
		names[n] = true
	}
	for n := range next {
		names[n] = true
	}
	pairs := make([]Pair, 0, len(names))
	for n := range names {
		pairs = append(pairs, Pair{Name: prefix + n, Base: base[n], Next: next[n]})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Name < pairs[j].Name })
	return pairs, nil
}

// ComparePair loads both versions of a pair and compares them on the wire.
// An added or removed spec is one finding.
func ComparePair(p Pair, opts Options) (Result, error) {
	if p.Events || IsEventContract(p.Base) || IsEventContract(p.Next) {
		return compareEventPair(p, opts)
	}
	res := Result{Spec: p.Name, Base: p.Base, Next: p.Next}
	switch {
	case p.Base == "" && p.Next == "":
		return res, fmt.Errorf("%s: no file on either side", p.Name)
	case p.Base == "":
		next, err := Load(p.Next)
		if err != nil {
			return res, err
		}
		res.NextVersion = next.Version()
		res.Findings = []Finding{newFinding("", RuleSpecAdded, "", "", p.Name, "new spec "+p.Name)}
	case p.Next == "":
		base, err := Load(p.Base)
		if err != nil {
			return res, err
		}
		res.BaseVersion = base.Version()
		res.Findings = []Finding{newFinding("", RuleSpecRemoved, "", p.Name, "", "spec "+p.Name+" removed, with all its operations")}
	default:
		base, next, err := loadBoth(p.Base, p.Next)
		if err != nil {
			return res, err
		}
		res.BaseVersion, res.NextVersion = base.Version(), next.Version()
		res.Findings = Compare(base, next, opts)
	}
	return res, nil
}

// Snapshot writes the files under dir (relative to the repository root) as
// they are at git ref into a new temporary directory, so that specs split
// over several files resolve their $refs as they did at ref. The caller
// removes the returned directory.
func Snapshot(repoRoot, ref, dir string) (string, error) {
	tmp, err := os.MkdirTemp("", "charter-diff-base-")
	if err != nil {
		return "", err
	}
	list, err := git(repoRoot, "ls-tree", "-r", "--name-only", "--full-tree", ref, "--", dir)
	if err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	for _, name := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		if name == "" {
			continue
		}
		data, err := git(repoRoot, "show", ref+":"+name)
		if err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
		dst := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
	}
	return tmp, nil
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// loadBoth loads two specs one after the other. Loading one in parallel
// with the other would be faster on two cores, but would hold both of
// libopenapi's parsed documents at once (see Parse).
func loadBoth(basePath, nextPath string) (base, next *Spec, err error) {
	base, err = Load(basePath)
	if err != nil {
		return nil, nil, err
	}
	next, err = Load(nextPath)
	if err != nil {
		return nil, nil, err
	}
	return base, next, nil
}
