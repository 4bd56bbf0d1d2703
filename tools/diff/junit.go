package diff

import (
	"encoding/xml"
	"io"
)

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes one test suite per spec and one test case per finding
// of warning or error severity, so CI dashboards list each break; a spec
// without any gets one passing case.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: "charter diff"}
	for _, res := range r.Results {
		s := junitSuite{Name: res.Spec}
		for _, f := range res.Findings {
			if f.Severity == Info {
				continue
			}
			c := junitCase{Name: f.Rule + " " + f.Location(), Classname: res.Spec + " " + f.Operation}
			switch {
			case f.Ignored || f.Accepted:
				reason := f.Reason
				if f.Accepted {
					reason = "major version bumped"
				}
				c.Skipped = &junitSkipped{Message: f.Message + ": " + reason}
				s.Skipped++
			case r.fails(f):
				c.Failure = &junitFailure{Message: f.Message, Type: f.Rule, Text: "old: " + f.Old + "\nnew: " + f.New}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		if len(s.Cases) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "no breaking changes", Classname: res.Spec})
		}
		s.Tests = len(s.Cases)
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
