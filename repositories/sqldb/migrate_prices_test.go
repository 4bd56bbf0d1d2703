package sqldb

import (
	"context"
	"path"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/materials"
)

// TestPricesMigration upgrades a database that migration 0001 left with a
// material in it: the material keeps every field and has no price, and
// the schema refuses a half price, a negative amount or a malformed
// currency from any writer, not only from the stories.
func TestPricesMigration(t *testing.T) {
	urls := map[string]func(t *testing.T) string{
		"SQLite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "charter.db") },
		"Postgres": func(t *testing.T) string { return pgtest.NewDatabase(t) },
	}
	for name, newURL := range urls {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			url := newURL(t)
			id := storeBeforePrices(t, url)

			db, err := Open(ctx, url, "materials")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			repo := NewMaterials(db)
			m, err := repo.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != "10 mm Steel" || m.Quality != "steel" || m.Thickness != 10 || !m.IsActive || m.CreatedAt.UnixNano() != 42 {
				t.Errorf("after the migration the material is %+v", m)
			}
			if m.Price != nil {
				t.Errorf("a material stored before prices has price %+v, want none", *m.Price)
			}

			for _, bad := range []struct {
				name, set string
				args      []any
			}{
				{"an amount without a currency", "price_amount = ?", []any{12000}},
				{"a currency without an amount", "price_currency = ?", []any{"EUR"}},
				{"a negative amount", "price_amount = ?, price_currency = ?", []any{-1, "EUR"}},
				{"a lower-case currency", "price_amount = ?, price_currency = ?", []any{12000, "eur"}},
				{"a currency of four letters", "price_amount = ?, price_currency = ?", []any{12000, "EURO"}},
				{"a currency of two letters", "price_amount = ?, price_currency = ?", []any{12000, "EU"}},
			} {
				args := append(bad.args, id)
				if _, err := db.ExecContext(ctx, db.Rebind("UPDATE materials SET "+bad.set+" WHERE id = ?"), args...); err == nil {
					t.Errorf("the schema stored %s", bad.name)
				}
			}
			if _, err := db.ExecContext(ctx, db.Rebind("UPDATE materials SET price_amount = ?, price_currency = ? WHERE id = ?"), 12000, "EUR", id); err != nil {
				t.Errorf("the schema refused a whole price: %v", err)
			}
			if m, err := repo.Get(ctx, id); err != nil || m.Price == nil || *m.Price != (materials.Money{Amount: 12000, Currency: "EUR"}) {
				t.Errorf("Get after setting a price = %+v, %v", m, err)
			}
		})
	}
}

// storeBeforePrices brings the database at url to migration 0001 only, as
// a deployment of the version before prices left it, stores one material
// and returns its ID.
func storeBeforePrices(t *testing.T, url string) int64 {
	t.Helper()
	ctx := context.Background()
	schema := ""
	if IsPostgres(url) {
		var err error
		if url, schema, err = withSchema(url, "materials"); err != nil {
			t.Fatal(err)
		}
	}
	db, err := connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := dialectOf(db)
	if err != nil {
		t.Fatal(err)
	}
	d.schema = schema
	all, err := loadMigrations(path.Join(d.migrations, "materials"))
	if err != nil {
		t.Fatal(err)
	}
	if all[0].version != 1 {
		t.Fatalf("the first migration is %s, want 0001", all[0].name)
	}
	if err := applyMigration(ctx, db, d, all[0]); err != nil {
		t.Fatal(err)
	}
	var id int64
	err = sqlx.GetContext(ctx, db, &id, db.Rebind(`INSERT INTO materials
		(company_id, name, quality, thickness, is_active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), 7, "10 mm Steel", "steel", 10.0, true, 42, 42)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
