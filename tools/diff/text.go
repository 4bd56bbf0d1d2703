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
		for _, g := range byOperation(res.Findings) {
			fmt.Fprintf(w, "  %s\n", paint(bold, g.name))
			for _, f := range g.findings {
				label, code := "INFO ", cyan
				switch f.Severity {
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
				fmt.Fprintf(w, "    %s %s %s%s\n", paint(code, label), f.Message, paint(dim, "("+f.Rule+" at "+f.Pointer+")"), note)
			}
		}
		if hint := res.BumpHint(); hint != "" {
			fmt.Fprintf(w, "  %s\n", hint)
		}
	}
	_, err := fmt.Fprintln(w, r.Summary().Line())
	return err
}
