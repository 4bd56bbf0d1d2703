package check_test

import (
	"testing"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

func TestBugFreeServerPasses(t *testing.T) {
	rep := check.Run(t, plantedserver.Spec, check.Handler(plantedserver.New(plantedserver.NoBug)),
		check.WithTokenFactory(plantedserver.Token), check.WithSeed(1))
	var b stringsBuilder
	rep.Summary(&b)
	t.Log("\n" + b.String())
}
