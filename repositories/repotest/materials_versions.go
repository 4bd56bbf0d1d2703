package repotest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/charterhq/charter/stories/materials"
)

// The version tests of the materials suite: a material's version counts
// its writes, and an update or delete that names a version happens only
// at that version, decided in the same step as the write.

func createStoresVersionOne(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	if m.Version != 1 {
		t.Errorf("Create: Version = %d, want 1", m.Version)
	}
	if got := mustGet(t, r, m.ID); got.Version != 1 {
		t.Errorf("Get: Version = %d, want 1", got.Version)
	}
}

func updateAddsOneToVersion(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	for want := int64(2); want <= 4; want++ {
		// Unconditional and conditional updates count alike.
		expected := int64(0)
		if want%2 == 1 {
			expected = want - 1
		}
		got, err := r.Update(context.Background(), m.ID, expected, materials.Fields{Name: fmt.Sprint("Steel ", want)}, epoch)
		if err != nil {
			t.Fatalf("Update at %d: %v", expected, err)
		}
		if got.Version != want {
			t.Errorf("Update: Version = %d, want %d", got.Version, want)
		}
		if stored := mustGet(t, r, m.ID); stored.Version != want {
			t.Errorf("Get after Update: Version = %d, want %d", stored.Version, want)
		}
	}
}

func updateAtStaleVersionChangesNothing(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	if _, err := r.Update(context.Background(), m.ID, 1, materials.Fields{Name: "First"}, epoch); err != nil {
		t.Fatalf("Update at the current version: %v", err)
	}
	for _, stale := range []int64{1, 3, -1} {
		_, err := r.Update(context.Background(), m.ID, stale, materials.Fields{Name: "Second"}, epoch)
		if !errors.Is(err, materials.ErrVersionMismatch) {
			t.Errorf("Update at version %d of a material at 2: error = %v, want ErrVersionMismatch", stale, err)
		}
	}
	if got := mustGet(t, r, m.ID); got.Name != "First" || got.Version != 2 {
		t.Errorf("after refused updates: name %q version %d, want First at 2", got.Name, got.Version)
	}
	if _, err := r.Update(context.Background(), 99, 1, materials.Fields{Name: "X"}, epoch); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Update at a version of an unknown id: error = %v, want ErrNotFound", err)
	}
}

func deleteAtVersion(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	if err := r.Delete(context.Background(), m.ID, 2); !errors.Is(err, materials.ErrVersionMismatch) {
		t.Errorf("Delete at a stale version: error = %v, want ErrVersionMismatch", err)
	}
	mustGet(t, r, m.ID)
	if err := r.Delete(context.Background(), m.ID, 1); err != nil {
		t.Fatalf("Delete at the current version: %v", err)
	}
	if err := r.Delete(context.Background(), m.ID, 1); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Delete at a version of a deleted material: error = %v, want ErrNotFound", err)
	}
}

// parallelUpdatesAtOneVersion is the lost update: writers that read the
// same version each write a change; exactly one may succeed.
func parallelUpdatesAtOneVersion(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = r.Update(context.Background(), m.ID, m.Version, materials.Fields{Name: fmt.Sprint("writer ", i)}, epoch)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, materials.ErrVersionMismatch):
			t.Errorf("Update error = %v, want nil or ErrVersionMismatch", err)
		}
	}
	if won != 1 {
		t.Errorf("%d updates at one version succeeded, want 1", won)
	}
	if got := mustGet(t, r, m.ID); got.Version != 2 {
		t.Errorf("Version = %d after one update, want 2", got.Version)
	}
}
