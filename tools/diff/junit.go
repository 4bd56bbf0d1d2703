package diff

import (
	"io"

	"github.com/charterhq/charter/tools/junit"
)

// WriteJUnit writes one test suite per spec and one test case per finding
// of warning or error severity, so CI dashboards list each break; a spec
// without any gets one passing case.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junit.Suites{Name: "charter diff"}
	for _, res := range r.Results {
		s := junit.Suite{Name: res.Spec}
		for _, f := range res.Findings {
			if f.Severity == Info {
				continue
			}
			c := junit.Case{Name: f.Rule + " " + f.Location(), Classname: res.Spec + " " + f.Operation}
			switch {
			case f.Ignored || f.Accepted:
				reason := f.Reason
				if f.Accepted {
					reason = "major version bumped"
				}
				c.Skipped = &junit.Skipped{Message: f.Message + ": " + reason}
			case r.fails(f):
				c.Failure = &junit.Failure{Message: f.Message, Type: f.Rule, Text: "old: " + f.Old + "\nnew: " + f.New}
			}
			s.Add(c)
		}
		if len(s.Cases) == 0 {
			s.Add(junit.Case{Name: "no breaking changes", Classname: res.Spec})
		}
		out.Suites = append(out.Suites, s)
	}
	return junit.Write(w, out)
}
