// Package junit writes JUnit XML reports, the format CI dashboards read,
// for the charter tools: each tool maps its findings to suites and cases
// and leaves the encoding here.
package junit

import (
	"encoding/xml"
	"io"
)

// Suites is the root of a report.
type Suites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr,omitempty"`
	Suites  []Suite  `xml:"testsuite"`
}

// Suite groups cases. Add cases with Add, which keeps the counts right.
type Suite struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Cases    []Case `xml:"testcase"`
}

// Case is one test case: passed unless Failure or Skipped is set.
type Case struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Failure   *Failure `xml:"failure,omitempty"`
	Skipped   *Skipped `xml:"skipped,omitempty"`
}

// Failure says why a case failed.
type Failure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// Skipped marks a case that did not run, or whose failure was accepted.
type Skipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// Add appends c to the suite and counts it.
func (s *Suite) Add(c Case) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	} else if c.Skipped != nil {
		s.Skipped++
	}
}

// Write encodes the report, indented, with the XML header.
func Write(w io.Writer, r Suites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
