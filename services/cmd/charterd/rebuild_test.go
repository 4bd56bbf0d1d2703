package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	materialsapi "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/platform/host"
	domain "github.com/charterhq/charter/stories/quotes"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// rebuildWorld is a host serving materials and quotes, the materials it
// was given through materials' API and quotes' copies of them, read from
// quotes' database as another reader of it.
type rebuildWorld struct {
	env    map[string]string
	host   *running
	copies *sqldb.MaterialCopies
	// steel was created then updated, copper created then deleted.
	steel, copper materialsapi.Material
}

// startRebuildWorld starts the host with env and makes the history of two
// materials, waiting until quotes' copies have it.
func startRebuildWorld(t *testing.T, env map[string]string, quotesDB string) *rebuildWorld {
	t.Helper()
	served := map[string]string{}
	for k, v := range env {
		served[k] = v
	}
	w := &rebuildWorld{env: env, host: startHost(t, served, "materials", "quotes")}
	db, err := sqldb.Open(context.Background(), quotesDB, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.copies = sqldb.NewMaterialCopies(db)

	ctx := context.Background()
	mc, err := materialsapi.NewClientWithResponses("http://" + w.host.addrs["materials"])
	if err != nil {
		t.Fatal(err)
	}
	asStaff := bearer(signFor(t, staffCaller))
	w.steel, w.copper = createMaterial(t, mc, "2 mm Steel", 4500), createMaterial(t, mc, "3 mm Copper", 30000)
	upd, err := mc.UpdateMaterialWithResponse(ctx, w.steel.Id, nil, materialsapi.UpdateMaterialJSONRequestBody{
		Name: "2 mm Steel S355", Quality: "steel", Thickness: 2, IsActive: true,
		PricePerSquareMetre: &shared.Money{Amount: 5000, Currency: "EUR"},
	}, asStaff)
	if err != nil || upd.JSON200 == nil {
		t.Fatalf("update material: %v %s", err, upd.Body)
	}
	if del, err := mc.DeleteMaterialWithResponse(ctx, w.copper.Id, nil, asStaff); err != nil || del.StatusCode() != 204 {
		t.Fatalf("delete material: %v", err)
	}
	w.waitForHistory(t)
	return w
}

// createMaterial creates a material of company 7 through materials' API,
// as staff.
func createMaterial(t *testing.T, mc *materialsapi.ClientWithResponses, name string, price int64) materialsapi.Material {
	t.Helper()
	company := int64(7)
	res, err := mc.CreateMaterialWithResponse(context.Background(), nil, materialsapi.NewMaterial{
		CompanyId: &company, Name: name, Quality: "steel", Thickness: 2,
		PricePerSquareMetre: &shared.Money{Amount: price, Currency: "EUR"},
	}, bearer(signFor(t, staffCaller)))
	if err != nil || res.JSON201 == nil {
		t.Fatalf("create material: %v %s", err, res.Body)
	}
	return *res.JSON201
}

// waitForHistory waits until quotes' copies are as the materials' history
// left them.
func (w *rebuildWorld) waitForHistory(t *testing.T) {
	t.Helper()
	waitForCopy(t, w.copies, w.steel.Id, "updated", func(c domain.MaterialCopy, found bool) bool {
		return found && c.Name == "2 mm Steel S355" && c.Price != nil && c.Price.Amount == 5000 && !c.Deleted
	})
	waitForCopy(t, w.copies, w.copper.Id, "deleted", func(c domain.MaterialCopy, found bool) bool { return found && c.Deleted })
}

// spoil puts copies in quotes' database that no event made: a material
// that never existed, and steel at a price and a sequence of no change of
// it, which no later event could replace.
func (w *rebuildWorld) spoil(t *testing.T) {
	t.Helper()
	for _, c := range []domain.MaterialCopy{
		{ID: 9999, CompanyID: 7, Name: "never made", Active: true, Sequence: 1, ChangedAt: time.Now()},
		{ID: w.steel.Id, CompanyID: 7, Name: "spoilt", Active: true, Price: &domain.Money{Amount: 1, Currency: "EUR"},
			Sequence: 1 << 60, ChangedAt: time.Now()},
	} {
		if _, err := w.copies.Keep(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

// rebuild runs charterd rebuild quotes material-copies with the world's
// environment and checks what it says and what it leaves.
func (w *rebuildWorld) rebuild(t *testing.T) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return w.env[k] }
	if err := run([]string{"rebuild", "quotes", "material-copies"}, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("charterd rebuild: %v\n%s", err, stderr.String())
	}
	// Two created, one updated, one deleted.
	if got, want := stdout.String(), "rebuilt quotes material-copies from 4 events\n"; got != want {
		t.Errorf("charterd rebuild said %q, want %q", got, want)
	}
	got, err := w.copies.Copies(context.Background(), []int64{9999, w.steel.Id, w.copper.Id})
	if err != nil {
		t.Fatal(err)
	}
	if c, found := got[9999]; found {
		t.Errorf("a copy no event made survived the rebuild: %+v", c)
	}
	if c := got[w.steel.Id]; c.Name != "2 mm Steel S355" || c.Price == nil || c.Price.Amount != 5000 || c.Sequence == 0 {
		t.Errorf("steel's copy after the rebuild: %+v, want the update's state and sequence", c)
	}
	if c := got[w.copper.Id]; !c.Deleted {
		t.Errorf("copper's copy after the rebuild: %+v, want deleted", c)
	}
}

// TestRebuildFromNATS rebuilds quotes' copies from a broker of its own
// (NATS_URL) while the service runs, on SQLite and on PostgreSQL.
func TestRebuildFromNATS(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"CHARTER_DATA_DIR": dir, "NATS_URL": startBroker(t)}
			quotesDB := filepath.Join(dir, "quotes.db")
			if store == "postgres" {
				env["DATABASE_URL"] = pgtest.NewDatabase(t) // skips without PostgreSQL
				quotesDB = env["DATABASE_URL"]
			}
			w := startRebuildWorld(t, env, quotesDB)
			w.spoil(t)
			w.rebuild(t)
			// The service's own consumer goes on beside what was rebuilt.
			w.rebuild(t)
		})
	}
}

// TestRebuildFromTheEmbeddedBroker rebuilds quotes' copies from the broker
// charterd embeds: through the address it writes for the tools while it
// serves, and from the streams it left in the data directory once it has
// stopped.
func TestRebuildFromTheEmbeddedBroker(t *testing.T) {
	dir := t.TempDir()
	w := startRebuildWorld(t, map[string]string{"CHARTER_DATA_DIR": dir}, filepath.Join(dir, "quotes.db"))
	if _, err := os.Stat(filepath.Join(dir, host.BrokerURLFile)); err != nil {
		t.Fatalf("charterd wrote no broker address: %v", err)
	}
	t.Run("while charterd serves", func(t *testing.T) {
		w.spoil(t)
		w.rebuild(t)
	})
	w.host.stop()
	t.Run("once charterd has stopped", func(t *testing.T) {
		w.spoil(t)
		w.rebuild(t)
	})
}

func TestRebuildRefusesWhatIsNoReadModel(t *testing.T) {
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run([]string{"rebuild"}, getenv, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "quotes material-copies: ") {
		t.Errorf("charterd rebuild lists %q (%v), want quotes material-copies", stdout.String(), err)
	}
	for _, args := range [][]string{{"rebuild", "quotes"}, {"rebuild", "quotes", "copies"}, {"rebuild", "materials", "material-copies"}} {
		err := run(args, getenv, &stdout, &stderr)
		if err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	err := run([]string{"rebuild", "quotes", "material-copies"}, func(k string) string {
		return map[string]string{"DATABASE_URL": "memory"}[k]
	}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "memory") {
		t.Errorf("a rebuild of an in-memory store: %v, want an error saying why", err)
	}
}
