package diff

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as a pull-request comment: the verdict
// first, a table of what fails or warns, additive changes folded away.
func (r *Report) WriteMarkdown(w io.Writer) error {
	s := r.Summary()
	icon := "✅"
	if s.Failing > 0 {
		icon = "❌"
	}
	fmt.Fprintf(w, "## %s API breaking-change check\n\n**%s**\n\n", icon, s.Line())
	for _, res := range r.Results {
		fmt.Fprintf(w, "### `%s` %s → %s\n\n", res.Spec, orNone(res.BaseVersion), orNone(res.NextVersion))
		var loud, quiet []Finding
		for _, f := range res.Findings {
			if f.Severity == Info && !f.Ignored {
				quiet = append(quiet, f)
			} else {
				loud = append(loud, f)
			}
		}
		if len(res.Findings) == 0 {
			fmt.Fprint(w, "No changes a client can see.\n\n")
			continue
		}
		if len(loud) > 0 {
			fmt.Fprint(w, "| | Operation | Change | Rule | Location |\n|---|---|---|---|---|\n")
			for _, f := range loud {
				fmt.Fprintf(w, "| %s | %s | %s | `%s` | `%s` |\n", mdIcon(f), mdCell(operationOrScope(f)), mdCell(mdNote(f)), f.Rule, mdCell(f.Pointer))
			}
			fmt.Fprintln(w)
		}
		if hint := res.BumpHint(); hint != "" {
			fmt.Fprintf(w, "> %s\n\n", hint)
		}
		if len(quiet) > 0 {
			fmt.Fprintf(w, "<details><summary>%d additive or neutral changes</summary>\n\n", len(quiet))
			for _, g := range byOperation(quiet) {
				for _, f := range g.findings {
					fmt.Fprintf(w, "- %s: %s (`%s`)\n", g.name, mdCell(f.Message), f.Rule)
				}
			}
			fmt.Fprint(w, "\n</details>\n\n")
		}
	}
	return nil
}

func mdIcon(f Finding) string {
	switch {
	case f.Ignored:
		return "⚪ ignored"
	case f.Accepted:
		return "🟠 accepted"
	case f.Severity == Error:
		return "🔴 breaking"
	case f.Severity == Warning:
		return "🟡 warning"
	}
	return "🔵 info"
}

func mdNote(f Finding) string {
	switch {
	case f.Ignored:
		return f.Message + " — ignored: " + f.Reason
	case f.Accepted:
		return f.Message + " — major version bumped"
	}
	return f.Message
}

// mdCell keeps a value inside one table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// operationOrScope names what a finding without an operation is about.
func operationOrScope(f Finding) string {
	switch {
	case f.Operation != "":
		return f.Operation
	case strings.HasPrefix(f.Pointer, "go:"):
		return "Go client"
	}
	return "whole spec"
}
