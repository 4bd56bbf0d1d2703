package diff

import "strings"

// Severity says how an existing client is affected by a change.
type Severity string

// The severities, from the most to the least serious.
const (
	// Error: an existing client breaks.
	Error Severity = "error"
	// Warning: strict clients break, or a break is announced.
	Warning Severity = "warning"
	// Info: additive or neutral for clients.
	Info Severity = "info"
)

// rank orders severities so that --fail-on can compare them.
func (s Severity) rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as serious as other or more.
func (s Severity) AtLeast(other Severity) bool { return s.rank() >= other.rank() }

// ParseSeverity turns a flag value into a Severity; ok is false for anything
// else than error, warning or info.
func ParseSeverity(v string) (s Severity, ok bool) {
	s = Severity(strings.ToLower(v))
	return s, s.rank() > 0
}

// Finding is one classified difference between two versions of a spec.
type Finding struct {
	// Rule is the stable id of the rule that produced the finding.
	Rule string `json:"rule"`
	// Severity is the rule's severity, lowered to info when a deprecated
	// element is removed after its sunset.
	Severity Severity `json:"severity"`
	// Spec is the name of the spec file (without directory), empty in
	// two-file mode.
	Spec string `json:"spec,omitempty"`
	// Operation is "METHOD /path" of the affected operation, empty for
	// document-level findings.
	Operation string `json:"operation,omitempty"`
	// Pointer is a JSON pointer into the new document (into the old one for
	// removals) where the change is.
	Pointer string `json:"pointer"`
	// Old and New are the values before and after, when there is one.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Message is one line for a human.
	Message string `json:"message"`
	// Category is "wire" for a change a client sees on the wire and "sdk"
	// for a change to the generated Go client only (see Report.SDKFails).
	Category string `json:"category"`
	// Cause groups SDK findings by what in the spec made them, such as
	// "operationIds added or changed: methods renamed"; empty for wire
	// findings.
	Cause string `json:"cause,omitempty"`
	// Hint is the spec change that keeps the generated client as it was,
	// when there is one.
	Hint string `json:"hint,omitempty"`
	// Ignored is set when an entry of the ignore file matched; Reason is
	// that entry's reason.
	Ignored bool   `json:"ignored,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Accepted is set for breaking findings of a spec whose major version
	// was bumped: they are intended and do not fail the gate.
	Accepted bool `json:"accepted,omitempty"`
}

// Location is the operation and pointer of f, the string the ignore file
// matches against.
func (f Finding) Location() string {
	if f.Operation == "" {
		return f.Pointer
	}
	return f.Operation + " " + f.Pointer
}

// The categories of findings.
const (
	CategoryWire = "wire"
	CategorySDK  = "sdk"
)

// SDK reports whether f is about the generated Go client rather than the
// wire.
func (f Finding) SDK() bool { return strings.HasPrefix(f.Rule, "sdk-") }

// Counts reports whether f still counts against the gate.
func (f Finding) Counts() bool { return !f.Ignored && !f.Accepted }

// pointer appends escaped reference tokens to a JSON pointer (RFC 6901).
func pointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(tokenEscaper.Replace(t))
	}
	return b.String()
}

// tokenEscaper escapes one reference token of a JSON pointer.
var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")
