package materials

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
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

// TestSeedDemoRecordsCreatedEvents checks that the demo materials the
// service seeds are created through the create story, each recording its
// created event, so that other services learn of them.
func TestSeedDemoRecordsCreatedEvents(t *testing.T) {
	ctx := context.Background()
	repo, box := memory.NewMaterials(), memory.NewOutbox()
	w, err := Wire(repo, box, events.PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}}, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := seedDemoThrough(ctx, repo, w.Staff.Create)
	if err != nil || n != len(DemoMaterials) {
		t.Fatalf("seeded %d (err %v), want %d", n, err, len(DemoMaterials))
	}
	recorded := box.Events()
	if len(recorded) != len(DemoMaterials) {
		t.Fatalf("recorded %d events, want %d", len(recorded), len(DemoMaterials))
	}
	for i, e := range recorded {
		if e.Type != domain.EventCreated || e.Subject != strconv.Itoa(i+1) {
			t.Errorf("event %d: %s about %q, want created about %d", i, e.Type, e.Subject, i+1)
		}
	}
	if n, err := seedDemoThrough(ctx, repo, w.Staff.Create); err != nil || n != 0 || len(box.Events()) != len(DemoMaterials) {
		t.Errorf("a second seed added %d (err %v) and recorded more", n, err)
	}
}
