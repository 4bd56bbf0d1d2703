package materials

import (
	"context"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	domain "github.com/charterhq/charter/stories/materials"
)

func TestSeedDemoFillsOnlyAnEmptyStore(t *testing.T) {
	ctx := context.Background()
	repo := memory.NewMaterials()
	n, err := SeedDemo(ctx, repo, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n, len(DemoMaterials); got != want {
		t.Fatalf("added %d, want %d", got, want)
	}
	if n, err = SeedDemo(ctx, repo, time.Now()); err != nil || n != 0 {
		t.Fatalf("second seed added %d (err %v), want 0", n, err)
	}
	total, err := repo.Count(ctx, domain.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := total, int64(len(DemoMaterials)); got != want {
		t.Fatalf("store holds %d, want %d", got, want)
	}
}

// TestDemoMaterialsArePricedInEuros holds every demo material to a price
// in EUR, as stored and read back, so that a demo quote can be priced
// from any of them.
func TestDemoMaterialsArePricedInEuros(t *testing.T) {
	ctx := context.Background()
	repo := memory.NewMaterials()
	if _, err := SeedDemo(ctx, repo, time.Now()); err != nil {
		t.Fatal(err)
	}
	seeded, err := repo.Find(ctx, domain.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(seeded), len(DemoMaterials); got != want {
		t.Fatalf("%d materials seeded, want %d", got, want)
	}
	for _, m := range seeded {
		if m.Price == nil || m.Price.Currency != "EUR" || m.Price.Amount <= 0 {
			t.Errorf("demo material %q has price %+v, want a positive amount in EUR", m.Name, m.Price)
		}
	}
}
