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
		if res.SDKSkipped != "" {
			fmt.Fprintf(w, "> Go SDK (generated client): not compared: %s\n\n", mdCell(res.SDKSkipped))
		}
		var loud, quiet []Finding
		wire, sdk := splitSDK(res.Findings)
		for _, f := range wire {
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
		r.writeSDKMarkdown(w, sdk)
	}
	return nil
}

// writeSDKMarkdown lists the generated client's findings apart from the
// wire's, by cause, each cause capped at sdkShown.
func (r *Report) writeSDKMarkdown(w io.Writer, sdk []Finding) {
	if len(sdk) == 0 {
		return
	}
	verdict := "reported apart, they fail the gate only with `--sdk fail`"
	if r.SDKFails {
		verdict = "they fail the gate (`--sdk fail`)"
	}
	fmt.Fprintf(w, "<details><summary>Go SDK (generated client): %d changes; %s</summary>\n\n", len(sdk), verdict)
	for _, g := range byCause(sdk) {
		fmt.Fprintf(w, "**%s**: %d\n\n", mdCell(g.name), len(g.findings))
		for i, f := range g.findings {
			if i == sdkShown {
				fmt.Fprintf(w, "- … and %d more (`--format json` lists every one)\n", len(g.findings)-sdkShown)
				break
			}
			hint := ""
			if f.Hint != "" {
				hint = "; to keep it: " + f.Hint
			}
			shown := f
			shown.Severity = r.shown(f)
			fmt.Fprintf(w, "- %s %s%s (`%s`)\n", mdIcon(shown), mdCell(mdNote(f)), mdCell(hint), f.Rule)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "</details>\n\n")
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
