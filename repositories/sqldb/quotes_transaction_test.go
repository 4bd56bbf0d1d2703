package sqldb_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// refused is the material whose lines the test databases refuse to
// insert, so that a write fails after the quote's row was written.
const refused = 666

// refuseLines adds to db a trigger that fails every insert of a line of
// the refused material.
func refuseLines(t *testing.T, db *sqlx.DB, postgres bool) {
	t.Helper()
	statements := []string{`CREATE TRIGGER refuse_line BEFORE INSERT ON quote_lines
		WHEN NEW.material_id = 666 BEGIN SELECT RAISE(ABORT, 'line refused'); END`}
	if postgres {
		statements = []string{
			`CREATE FUNCTION refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'line refused'; END $$`,
			`CREATE TRIGGER refuse_line BEFORE INSERT ON quote_lines FOR EACH ROW
				WHEN (NEW.material_id = 666) EXECUTE FUNCTION refuse_line()`,
		}
	}
	for _, s := range statements {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

var (
	txNow    = time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	txCaller = access.Caller{Subject: "ann", CompanyID: 1, Roles: []access.Role{access.External}}
	txLines  = []quotes.Line{
		{MaterialID: 1, Quantity: 2, WidthMM: 1000, HeightMM: 500},
		{MaterialID: 1, Quantity: 1, WidthMM: 200, HeightMM: 300},
	}
)

func txClock() time.Time { return txNow }

// steel is the materials service of the tests: material 1 of company 1,
// 45.00 EUR a square metre.
func steel(context.Context, []int64) (map[int64]quotes.PricedMaterial, error) {
	return map[int64]quotes.PricedMaterial{1: {ID: 1, CompanyID: 1, Name: "2 mm Steel", Active: true,
		PricePerSquareMetre: quotes.Money{Amount: 4500, Currency: "EUR"}}}, nil
}

// changes is a story that makes the given writes in order; a write's error
// ends it. ErrNotDraft is declared so that a write can fail it for a
// declared reason.
func changes(t *testing.T, db *sqlx.DB, writes ...func(ctx context.Context) error) error {
	t.Helper()
	var steps []story.Step[struct{}]
	for i, w := range writes {
		steps = append(steps, story.Do(string(rune('a'+i)), func(ctx context.Context, _ *struct{}) error { return w(ctx) }))
	}
	s := story.MustNew(story.Definition[struct{}]{Name: "Changes", Failures: []error{quotes.ErrNotDraft}, Steps: steps})
	return s.With(sqldb.Transaction(db)).Run(context.Background(), &struct{}{})
}

func TestQuotesAndTheirLinesCommitTogether(t *testing.T) {
	stores := map[string]func(t *testing.T) string{
		"SQLite":           func(t *testing.T) string { return filepath.Join(t.TempDir(), "quotes.db") },
		"SQLite in memory": func(t *testing.T) string { return ":memory:" },
		"Postgres":         func(t *testing.T) string { return pgtest.NewDatabase(t) },
	}
	for name, newURL := range stores {
		t.Run(name, func(t *testing.T) {
			open := func(t *testing.T) (*sqlx.DB, *sqldb.Quotes, quotes.Quote) {
				url := newURL(t)
				db, err := sqldb.Open(context.Background(), url, "quotes")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				refuseLines(t, db, sqldb.IsPostgres(url))
				repo := sqldb.NewQuotes(db)
				draft, err := repo.Create(context.Background(), quotes.Quote{
					CompanyID: 1, State: quotes.Draft, Lines: txLines, CreatedAt: txNow, UpdatedAt: txNow,
				})
				if err != nil {
					t.Fatal(err)
				}
				return db, repo, draft
			}
			// unchanged fails unless the repository holds only draft, as it was.
			unchanged := func(t *testing.T, repo *sqldb.Quotes, draft quotes.Quote) {
				t.Helper()
				all, err := repo.Find(context.Background(), quotes.Query{})
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != 1 {
					t.Fatalf("%d quotes, want only the draft", len(all))
				}
				got := all[0]
				if got.ID != draft.ID || got.State != draft.State || got.Version != draft.Version ||
					!got.UpdatedAt.Equal(draft.UpdatedAt) || !slices.Equal(got.Lines, draft.Lines) {
					t.Errorf("the draft is now %+v, want %+v", got, draft)
				}
			}

			t.Run("a submission in a transaction commits the quote and its priced lines", func(t *testing.T) {
				db, repo, draft := open(t)
				submit, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
					FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get, Copies: sqldb.NewMaterialCopies(db).Copies,
					Materials: steel, Submit: repo.Submit, Events: sqldb.NewOutbox(db), Now: txClock,
				})
				if err != nil {
					t.Fatal(err)
				}
				q, err := submit.With(sqldb.Transaction(db)).Run(context.Background(), txCaller, quotes.SubmitInput{ID: draft.ID})
				if err != nil {
					t.Fatal(err)
				}
				got, err := repo.Get(context.Background(), draft.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.State != quotes.Submitted || got.Total == nil || got.Total.Amount != 4770 || !slices.Equal(got.Lines, q.Lines) {
					t.Errorf("stored %+v, want the submitted quote %+v", got, q)
				}
				if len(got.Lines) != 2 || got.Lines[0].UnitPrice.Amount != 2250 || got.Lines[1].Total.Amount != 270 {
					t.Errorf("stored lines %+v, want them priced", got.Lines)
				}
			})

			t.Run("a story that fails after replacing lines leaves the draft as it was", func(t *testing.T) {
				db, repo, draft := open(t)
				err := changes(t, db,
					func(ctx context.Context) error {
						_, err := repo.ReplaceLines(ctx, draft.ID, 0, []quotes.Line{{MaterialID: 2, Quantity: 9, WidthMM: 9, HeightMM: 9}}, txNow.Add(time.Hour))
						return err
					},
					func(ctx context.Context) error {
						_, err := repo.Create(ctx, quotes.Quote{CompanyID: 1, State: quotes.Draft, Lines: txLines, CreatedAt: txNow, UpdatedAt: txNow})
						return err
					},
					func(context.Context) error { return quotes.ErrNotDraft },
				)
				if !errors.Is(err, quotes.ErrNotDraft) {
					t.Fatalf("err = %v, want the declared failure", err)
				}
				unchanged(t, repo, draft)
			})

			t.Run("lines that fail to go in leave the draft as it was, with no story transaction", func(t *testing.T) {
				_, repo, draft := open(t)
				lines := append(slices.Clone(txLines), quotes.Line{MaterialID: refused, Quantity: 1, WidthMM: 1, HeightMM: 1})
				if _, err := repo.ReplaceLines(context.Background(), draft.ID, 0, lines, txNow.Add(time.Hour)); err == nil {
					t.Fatal("ReplaceLines of a refused line succeeded")
				}
				if _, err := repo.Submit(context.Background(), draft.ID, draft.Version, quotes.Submission{
					Lines: lines, Total: quotes.Money{Amount: 1, Currency: "EUR"}, ValidUntil: txNow, At: txNow,
				}); err == nil {
					t.Fatal("Submit of a refused line succeeded")
				}
				if _, err := repo.Create(context.Background(), quotes.Quote{CompanyID: 1, State: quotes.Draft, Lines: lines, CreatedAt: txNow, UpdatedAt: txNow}); err == nil {
					t.Fatal("Create with a refused line succeeded")
				}
				unchanged(t, repo, draft)
			})

			t.Run("lines that fail to go in fail the story and leave nothing of it", func(t *testing.T) {
				db, repo, draft := open(t)
				err := changes(t, db,
					func(ctx context.Context) error {
						_, err := repo.Create(ctx, quotes.Quote{CompanyID: 1, State: quotes.Draft, CreatedAt: txNow, UpdatedAt: txNow})
						return err
					},
					func(ctx context.Context) error {
						_, err := repo.ReplaceLines(ctx, draft.ID, 0, []quotes.Line{{MaterialID: refused, Quantity: 1, WidthMM: 1, HeightMM: 1}}, txNow.Add(time.Hour))
						return err
					},
				)
				if f, ok := errors.AsType[*story.Failed](err); !ok || !f.Internal() {
					t.Fatalf("err = %v, want an internal failure", err)
				}
				unchanged(t, repo, draft)
			})
		})
	}
}
