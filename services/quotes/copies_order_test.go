package quotes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/quotes"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// copyStores are quotes' copies of materials on each store, with the
// transaction the consumer's handlers run in.
var copyStores = []struct {
	name string
	open func(t *testing.T) (domain.MaterialCopies, story.Middleware)
}{
	{"memory", func(*testing.T) (domain.MaterialCopies, story.Middleware) { return memory.NewMaterialCopies(), nil }},
	{"sqlite", func(t *testing.T) (domain.MaterialCopies, story.Middleware) {
		return openCopies(t, filepath.Join(t.TempDir(), "quotes.db"))
	}},
	{"postgres", func(t *testing.T) (domain.MaterialCopies, story.Middleware) {
		return openCopies(t, pgtest.NewDatabase(t)) // skips without PostgreSQL
	}},
}

func openCopies(t *testing.T, url string) (domain.MaterialCopies, story.Middleware) {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqldb.NewMaterialCopies(db), sqldb.Transaction(db)
}

// materialEvent is the message materials' relay publishes for the outbox
// row seq recording eventType with payload, decoded as quotes' consumer
// decodes it.
func materialEvent(t *testing.T, seq int64, eventType string, subject int64, payload any, at time.Time) events.Envelope {
	t.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := materialsevents.Validate(eventType, data); err != nil {
		t.Fatal(err)
	}
	msg, err := events.Message("materials", outbox.Event{
		Seq: seq, ID: fmt.Sprintf("event-%d", seq), Type: eventType, Subject: strconv.FormatInt(subject, 10), Time: at, Data: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	env, err := events.Decode(msg.Data)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestCopiesFollowTheProducersOrder delivers the events of one material's
// history to quotes' handlers out of order and twice over: the copy ends
// at the state of the last change materials committed. The history is one
// materials' clock cannot order: three updates dated the same instant (a
// clock that did not move between them), then one dated before them (a
// replica whose clock is behind, or a clock stepped back). Only the
// events' sequence orders it.
func TestCopiesFollowTheProducersOrder(t *testing.T) {
	const id = 42
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	material := func(price int64, updated time.Time) materialsevents.MaterialUpdatedData {
		return materialsevents.MaterialUpdatedData{Id: id, CompanyId: 7, Name: fmt.Sprintf("Steel at %d", price), Quality: "steel",
			Thickness: 2, IsActive: true, PricePerSquareMetre: &shared.Money{Amount: price, Currency: "EUR"},
			CreatedAt: at, UpdatedAt: updated}
	}
	history := func(t *testing.T) []events.Envelope {
		return []events.Envelope{
			materialEvent(t, 3, materialsevents.MaterialCreated, id, material(1000, at), at),
			materialEvent(t, 5, materialsevents.MaterialUpdated, id, material(2000, at.Add(time.Second)), at),
			materialEvent(t, 8, materialsevents.MaterialUpdated, id, material(3000, at.Add(time.Second)), at),
			materialEvent(t, 9, materialsevents.MaterialUpdated, id, material(4000, at.Add(time.Second)), at),
			materialEvent(t, 12, materialsevents.MaterialUpdated, id, material(5000, at.Add(-time.Minute)), at),
		}
	}
	orders := map[string][]int{
		"in order":                  {0, 1, 2, 3, 4},
		"in order, each twice":      {0, 0, 1, 1, 2, 2, 3, 3, 4, 4},
		"reversed":                  {4, 3, 2, 1, 0},
		"the last first, then all":  {4, 0, 1, 2, 3, 4},
		"shuffled with duplicates":  {2, 0, 4, 1, 3, 2, 0, 4},
		"a replay after the stream": {0, 1, 2, 3, 4, 0, 1, 2, 3, 4},
	}
	for _, store := range copyStores {
		t.Run(store.name, func(t *testing.T) {
			ctx := context.Background()
			for name, order := range orders {
				t.Run(name, func(t *testing.T) {
					copies, tx := store.open(t)
					keep, err := quotes.Wire(quotes.Parts{Repository: memory.NewQuotes(), Copies: copies,
						Materials: noPrices, Events: memory.NewOutbox(), Now: time.Now, Transaction: tx})
					if err != nil {
						t.Fatal(err)
					}
					handlers := quotes.Handlers(keep.KeepMaterialCopy)
					h := history(t)
					for _, i := range order {
						if err := handlers.Run(ctx, h[i]); err != nil {
							t.Fatalf("event %d: %v", i, err)
						}
					}
					got, err := copies.Copies(ctx, []int64{id})
					if err != nil {
						t.Fatal(err)
					}
					c := got[id]
					if c.Price == nil || c.Price.Amount != 5000 || c.Sequence != 12 || c.Name != "Steel at 5000" {
						t.Errorf("the copy is %+v (price %+v), want the change of sequence 12 at 50.00 EUR", c, c.Price)
					}

					// The deletion, then every change again: it stays deleted.
					gone := materialEvent(t, 14, materialsevents.MaterialDeleted, id,
						materialsevents.MaterialDeletedData{Id: id, CompanyId: 7}, at.Add(-time.Hour))
					for _, e := range append([]events.Envelope{gone}, h...) {
						if err := handlers.Run(ctx, e); err != nil {
							t.Fatal(err)
						}
					}
					if got, _ := copies.Copies(ctx, []int64{id}); !got[id].Deleted {
						t.Errorf("after the deletion the copy is %+v", got[id])
					}
				})
			}
		})
	}
}

// noPrices is a materials service nobody should call.
func noPrices(context.Context, []int64) (map[int64]domain.PricedMaterial, error) {
	return nil, fmt.Errorf("materials called")
}
