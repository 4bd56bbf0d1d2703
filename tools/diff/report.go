package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Result is the comparison of one spec with its base.
type Result struct {
	// Spec is the spec's file name, e.g. materials.yaml.
	Spec string `json:"spec"`
	// Base and Next are where the two versions were read from.
	Base string `json:"base,omitempty"`
	Next string `json:"next,omitempty"`
	// BaseVersion and NextVersion are the two info.version values.
	BaseVersion string `json:"baseVersion,omitempty"`
	NextVersion string `json:"nextVersion,omitempty"`
	// MajorBumped is set when NextVersion's major is above BaseVersion's.
	MajorBumped bool `json:"majorBumped"`
	// Findings are in document order.
	Findings []Finding `json:"findings"`
	// SDKSkipped says why the generated Go clients were not compared,
	// when they could not be.
	SDKSkipped string `json:"sdkSkipped,omitempty"`
}

// Accept applies the version rule: a breaking change is allowed when the
// same change bumps the major version, so its findings stay listed but no
// longer fail the gate.
func (r *Result) Accept() {
	r.MajorBumped = MajorBumped(r.BaseVersion, r.NextVersion)
	if r.Findings == nil {
		r.Findings = []Finding{} // an empty list, not null, in JSON
	}
	for i := range r.Findings {
		r.Findings[i].Spec = r.Spec
		r.Findings[i].Category = CategoryWire
		if r.Findings[i].SDK() {
			r.Findings[i].Category = CategorySDK
		}
		if r.MajorBumped && r.Findings[i].Severity == Error {
			r.Findings[i].Accepted = true
		}
	}
}

// Report is the outcome of one run over one or more specs.
type Report struct {
	Results []Result `json:"results"`
	// FailOn is the lowest severity that fails the gate.
	FailOn Severity `json:"failOn"`
	// SDKFails makes the generated Go client's incompatible changes fail
	// the gate like wire breaks (and a major version bump let them
	// through like wire breaks). Off, they are reported apart and fail
	// nothing: they break the builds of Go code that uses the generated
	// client, not the API's clients, and only a project that publishes
	// that client knows whether anyone builds against it.
	SDKFails bool `json:"sdkFails"`
}

// Summary counts the findings of a report.
type Summary struct {
	// Errors counts the wire breaks, SDK the generated client's
	// incompatible changes.
	Errors   int  `json:"errors"`
	SDK      int  `json:"sdk"`
	Warnings int  `json:"warnings"`
	Infos    int  `json:"infos"`
	Ignored  int  `json:"ignored"`
	Accepted int  `json:"accepted"`
	Bump     Bump `json:"recommendedBump"`
	// Failing is the number of findings that fail the gate.
	Failing int `json:"failing"`
}

// Summary counts the findings per severity; ignored ones are counted apart.
func (r *Report) Summary() Summary {
	s := Summary{Bump: Patch}
	for _, res := range r.Results {
		switch Recommend(res.Findings) {
		case Major:
			s.Bump = Major
		case Minor:
			if s.Bump == Patch {
				s.Bump = Minor
			}
		}
		for _, f := range res.Findings {
			switch {
			case f.Ignored:
				s.Ignored++
				continue
			case f.SDK() && f.Severity == Error:
				s.SDK++
			case f.Severity == Error:
				s.Errors++
			case f.Severity == Warning:
				s.Warnings++
			default:
				s.Infos++
			}
			if f.Accepted {
				s.Accepted++
			}
			if r.fails(f) {
				s.Failing++
			}
		}
	}
	return s
}

func (r *Report) fails(f Finding) bool {
	failOn := r.FailOn
	if failOn == "" {
		failOn = Error
	}
	if f.SDK() && !r.SDKFails {
		return false
	}
	return f.Counts() && f.Severity.AtLeast(failOn)
}

// shown is the severity a report shows f with: an incompatible change of
// the generated client that does not fail the gate (--sdk report) is a
// warning, so that ERROR always means what fails the gate; the JSON
// report keeps the finding's own severity, beside sdkFails.
func (r *Report) shown(f Finding) Severity {
	if f.SDK() && !r.SDKFails && f.Severity == Error {
		return Warning
	}
	return f.Severity
}

// Failed reports whether the gate fails.
func (r *Report) Failed() bool { return r.Summary().Failing > 0 }

// Line is the one-line summary a reviewer reads first.
func (s Summary) Line() string {
	verdict := "PASS"
	if s.Failing > 0 {
		verdict = "FAIL"
	}
	sdk := ""
	if s.SDK > 0 {
		sdk = ", " + plural(s.SDK, "incompatible Go SDK change")
	}
	return fmt.Sprintf("%s: %s%s, %s, %d info (%d ignored, %d accepted by a major version bump); recommended bump: %s",
		verdict, plural(s.Errors, "breaking change"), sdk, plural(s.Warnings, "warning"), s.Infos, s.Ignored, s.Accepted, s.Bump)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// WriteJSON writes the report and its summary as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*Report
		Summary Summary `json:"summary"`
	}{r, r.Summary()})
}

// group is the findings of one operation (or of the document), or of
// one cause.
type group struct {
	name     string
	findings []Finding
}

// byOperation groups findings by operation, errors first inside a group,
// keeping document order otherwise.
func byOperation(fs []Finding) []group {
	return groupBy(fs, func(f Finding) string {
		if f.Operation == "" {
			return "(document)"
		}
		return f.Operation
	})
}

// groupBy groups findings by key, in the order keys first appear, errors
// first inside a group and in their order otherwise.
func groupBy(fs []Finding, key func(Finding) string) []group {
	var groups []group
	at := map[string]int{}
	for _, f := range fs {
		name := key(f)
		i, ok := at[name]
		if !ok {
			i = len(groups)
			at[name] = i
			groups = append(groups, group{name: name})
		}
		groups[i].findings = append(groups[i].findings, f)
	}
	for _, g := range groups {
		sort.SliceStable(g.findings, func(i, j int) bool {
			return g.findings[i].Severity.rank() > g.findings[j].Severity.rank()
		})
	}
	return groups
}

// BumpHint says, for a spec with breaking changes that count, that only a
// major version bump lets them through; empty otherwise.
func (r *Result) BumpHint() string {
	if r.MajorBumped {
		return ""
	}
	for _, f := range r.Findings {
		if f.Counts() && f.Severity == Error && !f.SDK() {
			return "breaking changes pass only with a major bump of info.version (" +
				orNone(r.BaseVersion) + " → " + orNone(r.NextVersion) + " is not one)"
		}
	}
	return ""
}

// splitSDK separates the generated client's findings from the wire's,
// keeping the order of each.
func splitSDK(fs []Finding) (wire, sdk []Finding) {
	for _, f := range fs {
		if f.SDK() {
			sdk = append(sdk, f)
		} else {
			wire = append(wire, f)
		}
	}
	return wire, sdk
}

// byCause groups SDK findings by cause, in the order causes first appear,
// errors first inside a group.
func byCause(fs []Finding) []group {
	return groupBy(fs, func(f Finding) string {
		if f.Cause == "" {
			return ruleWhat(f.Rule)
		}
		return f.Cause
	})
}

// ruleWhat is the description of a rule id.
func ruleWhat(id string) string {
	for _, r := range Rules {
		if r.ID == id {
			return r.What
		}
	}
	return id
}
