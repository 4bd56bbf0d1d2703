package materials_test

import (
	"context"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// encodeOnly is an outbox that makes the rows of the events it is given
// (outbox.New, which encodes their data) and keeps none.
type encodeOnly struct{}

func (encodeOnly) Record(_ context.Context, evs ...story.Event) error {
	_, err := outbox.New(time.Now(), evs...)
	return err
}

// BenchmarkRecordEvent is what recording a created material's event costs
// the story, up to the outbox's row: its payload made, encoded and checked
// against the contract as each policy says.
func BenchmarkRecordEvent(b *testing.B) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	m := domain.Material{ID: 42, CompanyID: 7, Name: "10 mm Steel", Quality: "steel", Thickness: 10, IsActive: true,
		Price: &domain.Money{Amount: 12000, Currency: "EUR"}, CreatedAt: at, UpdatedAt: at, Version: 1}
	e := story.Event{Type: domain.EventCreated, Subject: "42", Data: m}
	for _, p := range []checks.Policy{{Mode: checks.Strict}, {Mode: checks.Sampled, Rate: 0.01}, {Mode: checks.Off}} {
		b.Run(p.String(), func(b *testing.B) {
			rec := materials.Events(encodeOnly{}, events.PayloadCheck{Policy: p})
			b.ReportAllocs()
			for b.Loop() {
				if err := rec.Record(context.Background(), e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
