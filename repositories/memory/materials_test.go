package memory_test

import (
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/stories/materials"
)

func newMaterials(testing.TB) materials.Repository { return memory.NewMaterials() }

func TestMaterials(t *testing.T) {
	repotest.Materials(t, newMaterials)
}

func BenchmarkMaterials(b *testing.B) {
	repotest.BenchmarkMaterials(b, newMaterials)
}
