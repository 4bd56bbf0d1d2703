package junit

import (
	"bytes"
	"encoding/xml"
	"testing"
)

func TestAddCountsAndWriteRoundTrips(t *testing.T) {
	s := Suite{Name: "GET /materials"}
	s.Add(Case{Name: "passes", Classname: "c"})
	s.Add(Case{Name: "fails", Classname: "c", Failure: &Failure{Message: "boom", Text: "<details & more>"}})
	s.Add(Case{Name: "skips", Classname: "c", Skipped: &Skipped{Message: "off"}})
	if s.Tests != 3 || s.Failures != 1 || s.Skipped != 1 {
		t.Fatalf("counts = %d tests, %d failures, %d skipped; want 3, 1, 1", s.Tests, s.Failures, s.Skipped)
	}
	var buf bytes.Buffer
	if err := Write(&buf, Suites{Name: "charter", Suites: []Suite{s}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(xml.Header)) {
		t.Fatalf("no XML header: %q", buf.String())
	}
	var back Suites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, buf.String())
	}
	if got, want := back.Suites[0].Cases[1].Failure.Text, "<details & more>"; got != want {
		t.Fatalf("failure text = %q, want %q", got, want)
	}
	if back.Suites[0].Cases[0].Failure != nil || back.Suites[0].Cases[0].Skipped != nil {
		t.Fatal("the passing case came back failed or skipped")
	}
}
