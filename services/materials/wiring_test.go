package materials_test

import (
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/stories/story"
)

func TestDescribeNamesTheWiredRepository(t *testing.T) {
	w, err := materials.Wire(memory.NewMaterials(), memory.NewOutbox(), events.PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}}, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "github.com/charterhq/charter/repositories/memory.(*Materials)."
	seen := 0
	var walk func(d story.Description)
	walk = func(d story.Description) {
		for _, dep := range d.Dependencies {
			if strings.Contains(dep.Implementation, ".Repository.") {
				t.Errorf("%s: %s = %s names the interface, not the repository", d.Name, dep.Field, dep.Implementation)
			}
			if strings.HasPrefix(dep.Implementation, want) {
				seen++
				if method := strings.TrimPrefix(dep.Implementation, want); method != dep.Field {
					t.Errorf("%s: %s is filled by the repository's %s", d.Name, dep.Field, method)
				}
			}
		}
		for _, st := range d.Steps {
			if st.Sub != nil {
				walk(*st.Sub)
			}
		}
	}
	for _, d := range w.Describe() {
		walk(d)
	}
	// Per injector: list Count and Find, get Get, create Create, update
	// Get and Update, delete Get and Delete; and two injectors.
	if seen != 16 {
		t.Errorf("%d dependencies are filled by the memory repository, want 16", seen)
	}
}
