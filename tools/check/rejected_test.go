package check_test

import (
	"testing"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// TestRejectedStatusesPerOperation: the planted createWidget answers 422
// to a valid weight over 50. Naming 400 alone for createWidget makes that
// 422 a legitimate refusal there; naming it for another operation leaves
// createWidget on the run's statuses, which still include 422.
func TestRejectedStatusesPerOperation(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	run := func(opts ...check.Option) *check.Report {
		t.Helper()
		opts = append(opts, check.WithTokenFactory(plantedserver.Token), check.WithSeed(plantedSeed),
			check.WithMaxExamples(pinnedExamples), check.WithChecks(check.ValidAccepted))
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.ValidRejected)), opts...)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := run(check.WithRejectedStatusesFor("createWidget", 400)); rep.Failed() {
		t.Errorf("422 is legitimate on createWidget, yet: %v", rep.Failures)
	}
	rep := run(check.WithRejectedStatuses(400), check.WithRejectedStatusesFor("createWidget", 400, 422))
	if len(rep.Failures) != 1 || rep.Failures[0].Operation != "createWidget" {
		t.Errorf("422 means a schema refusal on createWidget, want one failure there, got %v", rep.Failures)
	}
	rep = run(check.WithRejectedStatusesFor("listWidgets", 400))
	if len(rep.Failures) != 1 || rep.Failures[0].Operation != "createWidget" {
		t.Errorf("createWidget keeps the default statuses, want one failure there, got %v", rep.Failures)
	}
	if _, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.NoBug)),
		check.WithRejectedStatusesFor("createGadget", 400)); err == nil {
		t.Error("statuses for an operation the spec lacks were accepted")
	}
}
