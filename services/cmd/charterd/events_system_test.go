package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	materialsapi "github.com/charterhq/charter/gen/materials"
	quotesapi "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/quotes"
)

// startBroker starts a NATS server with JetStream for the hosts of one
// test, as a cluster would be, and returns its URL.
func startBroker(t *testing.T) string {
	t.Helper()
	srv, err := events.StartServer(events.ServerOptions{
		StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return srv.ClientURL()
}

// copies reads quotes' copies of materials in its SQLite file under dir,
// beside the running service, as another reader of the same database.
func copies(t *testing.T, dir string) *sqldb.MaterialCopies {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(dir, "quotes.db"), "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqldb.NewMaterialCopies(db)
}

// waitForCopy polls quotes' copy of material id until ok says it is as
// expected, and returns it.
func waitForCopy(t *testing.T, store *sqldb.MaterialCopies, id int64, what string, ok func(c domain.MaterialCopy, found bool) bool) domain.MaterialCopy {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a hang guard, not a speed target
	for {
		got, err := store.Copies(context.Background(), []int64{id})
		if err != nil {
			t.Fatal(err)
		}
		c, found := got[id]
		if ok(c, found) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("quotes' copy of material %d never became %s: %+v (found %v)", id, what, c, found)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSystemEvents runs materials and quotes in hosts of their own over
// one broker: a material created, updated and deleted through materials'
// API reaches quotes' copies through the events, a quote is priced from
// the copy with materials stopped, and the copies are rebuilt by
// replaying the stream.
func TestSystemEvents(t *testing.T) {
	dir, broker := t.TempDir(), startBroker(t)
	materials := startHost(t, map[string]string{"CHARTER_DATA_DIR": dir, "NATS_URL": broker}, "materials")
	quotesHost := startHost(t, map[string]string{
		"CHARTER_DATA_DIR": dir, "CHARTER_MATERIALS_URL": "http://" + materials.addrs["materials"], "NATS_URL": broker,
	}, "quotes")
	store := copies(t, dir)
	ctx := context.Background()
	mc, err := materialsapi.NewClientWithResponses("http://" + materials.addrs["materials"])
	if err != nil {
		t.Fatal(err)
	}
	qc, err := quotesapi.NewClientWithResponses("http://" + quotesHost.addrs["quotes"])
	if err != nil {
		t.Fatal(err)
	}
	asStaff, asBob := bearer(signFor(t, staffCaller)), bearer(signFor(t, externalCaller))
	create := func(name string, price int64) materialsapi.Material {
		t.Helper()
		return createMaterial(t, mc, name, price)
	}
	submit := func(material int64) *quotesapi.SubmitQuoteResponse {
		t.Helper()
		lines := []quotesapi.NewQuoteLine{{MaterialId: material, Quantity: 1, WidthMm: 1000, HeightMm: 1000}}
		draft, err := qc.CreateQuoteWithResponse(ctx, nil, quotesapi.NewQuote{Lines: &lines}, asBob)
		if err != nil || draft.JSON201 == nil {
			t.Fatalf("create quote: %v", err)
		}
		res, err := qc.SubmitQuoteWithResponse(ctx, draft.JSON201.Id, nil, asBob)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	steel := create("2 mm Steel", 4500)
	waitForCopy(t, store, steel.Id, "created", func(c domain.MaterialCopy, found bool) bool {
		return found && c.Name == "2 mm Steel" && c.Price != nil && c.Price.Amount == 4500 && c.Active
	})

	upd, err := mc.UpdateMaterialWithResponse(ctx, steel.Id, nil, materialsapi.UpdateMaterialJSONRequestBody{
		Name: "2 mm Steel S355", Quality: "steel", Thickness: 2, IsActive: true,
		PricePerSquareMetre: &shared.Money{Amount: 5000, Currency: "EUR"},
	}, asStaff)
	if err != nil || upd.JSON200 == nil {
		t.Fatalf("update material: %v %s", err, upd.Body)
	}
	waitForCopy(t, store, steel.Id, "updated", func(c domain.MaterialCopy, found bool) bool {
		return found && c.Name == "2 mm Steel S355" && c.Price != nil && c.Price.Amount == 5000
	})

	gone := create("3 mm Copper", 30000)
	waitForCopy(t, store, gone.Id, "created", func(_ domain.MaterialCopy, found bool) bool { return found })
	del, err := mc.DeleteMaterialWithResponse(ctx, gone.Id, nil, asStaff)
	if err != nil || del.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete material: %v %v", err, del.Status())
	}
	waitForCopy(t, store, gone.Id, "deleted", func(c domain.MaterialCopy, found bool) bool { return found && c.Deleted })

	materials.stop()

	t.Run("with materials stopped, a quote is priced from quotes' copy", func(t *testing.T) {
		res := submit(steel.Id)
		if res.JSON200 == nil || res.JSON200.Total == nil || res.JSON200.Total.Amount != 5000 {
			t.Fatalf("submit: %d %s, want priced at 50.00 EUR, the updated price", res.StatusCode(), res.Body)
		}
		if n := res.JSON200.Lines[0].MaterialName; n == nil || *n != "2 mm Steel S355" {
			t.Errorf("the line names %v, want the updated name", n)
		}
	})

	t.Run("with materials stopped, a deleted material is unavailable", func(t *testing.T) {
		if res := submit(gone.Id); res.StatusCode() != http.StatusConflict {
			t.Errorf("submit: %d %s, want 409", res.StatusCode(), res.Body)
		}
	})

	t.Run("the copies are rebuilt by replaying the stream", func(t *testing.T) {
		// The command an operator runs, on the database the running
		// service reads.
		var stdout, stderr bytes.Buffer
		env := map[string]string{"CHARTER_DATA_DIR": dir, "NATS_URL": broker}
		if err := run([]string{"rebuild", "quotes", "material-copies"}, func(k string) string { return env[k] }, &stdout, &stderr); err != nil {
			t.Fatalf("charterd rebuild: %v\n%s", err, stderr.String())
		}
		if got, want := stdout.String(), "rebuilt quotes material-copies from 4 events\n"; got != want {
			t.Errorf("charterd rebuild said %q, want %q: two created, one updated, one deleted", got, want)
		}
		waitForCopy(t, store, steel.Id, "rebuilt", func(c domain.MaterialCopy, found bool) bool {
			return found && c.Name == "2 mm Steel S355" && c.Price.Amount == 5000
		})
		waitForCopy(t, store, gone.Id, "rebuilt deleted", func(c domain.MaterialCopy, found bool) bool { return found && c.Deleted })
		if res := submit(steel.Id); res.JSON200 == nil || res.JSON200.Total.Amount != 5000 {
			t.Errorf("submit after the rebuild: %d %s", res.StatusCode(), res.Body)
		}
	})
}
