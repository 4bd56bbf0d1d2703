package diff

import (
	"fmt"
	"io"
)

// ANSI colors for terminals.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// WriteText writes the human report, grouped by spec and operation. color
// is for terminals only: CI logs and files get plain text.
func (r *Report) WriteText(w io.Writer, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + reset
	}
	for _, res := range r.Results {
		fmt.Fprintf(w, "%s %s → %s (%s → %s)\n", paint(bold, res.Spec), orNone(res.Base), orNone(res.Next),
			orNone(res.BaseVersion), orNone(res.NextVersion))
		if len(res.Findings) == 0 {
			fmt.Fprintln(w, "  no changes a client can see")
		}
		wire, sdk := splitSDK(res.Findings)
		for _, g := range byOperation(wire) {
			fmt.Fprintf(w, "  %s\n", paint(bold, g.name))
			for _, f := range g.findings {
				fmt.Fprintf(w, "    %s\n", textLine(f, f.Severity, paint))
			}
		}
		r.writeSDKText(w, sdk, paint)
		if res.SDKSkipped != "" {
			fmt.Fprintf(w, "  %s: not compared: %s\n", paint(bold, "Go SDK (generated client)"), res.SDKSkipped)
		}
		if hint := res.BumpHint(); hint != "" {
			fmt.Fprintf(w, "  %s\n", hint)
		}
	}
	_, err := fmt.Fprintln(w, r.Summary().Line())
	return err
}

// textLine is one finding: the severity it is shown with, its message,
// rule and pointer, and what became of it.
func textLine(f Finding, sev Severity, paint func(code, s string) string) string {
	label, code := "INFO ", cyan
	switch sev {
	case Error:
		label, code = "ERROR", red
	case Warning:
		label, code = "WARN ", yellow
	}
	note := ""
	switch {
	case f.Ignored:
		code, note = dim, " [ignored: "+f.Reason+"]"
	case f.Accepted:
		note = " [accepted: major version bumped]"
	}
	if f.Hint != "" {
		note += "; to keep it: " + f.Hint
	}
	return fmt.Sprintf("%s %s %s%s", paint(code, label), f.Message, paint(dim, "("+f.Rule+" at "+f.Pointer+")"), note)
}

// sdkShown is how many findings of one cause the text report lists: an
// operationId change renames a dozen generated identifiers, and a
// release that adds operationIds to every operation renames hundreds.
const sdkShown = 5

// writeSDKText writes the generated client's findings apart from the
// wire's, grouped by cause, each cause capped at sdkShown lines.
func (r *Report) writeSDKText(w io.Writer, sdk []Finding, paint func(code, s string) string) {
	if len(sdk) == 0 {
		return
	}
	breaks := 0
	for _, f := range sdk {
		if f.Severity == Error && !f.Ignored {
			breaks++
		}
	}
	verdict := "reported apart: they fail the gate only with --sdk fail"
	if r.SDKFails {
		verdict = "they fail the gate (--sdk fail)"
	}
	fmt.Fprintf(w, "  %s: %s; %s\n", paint(bold, "Go SDK (generated client)"), plural(breaks, "incompatible change"), verdict)
	for _, g := range byCause(sdk) {
		fmt.Fprintf(w, "    %s: %d\n", g.name, len(g.findings))
		for i, f := range g.findings {
			if i == sdkShown {
				fmt.Fprintf(w, "      … and %d more (--format json lists every one)\n", len(g.findings)-sdkShown)
				break
			}
			fmt.Fprintf(w, "      %s\n", textLine(f, r.shown(f), paint))
		}
	}
}
