package quotes_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

// A company writes a draft and submits it: each line is priced by its
// area from its material's price a square metre, rounded half up to the
// cent, and the quote is valid for thirty days. The price comes from
// quotes' copy of the material, kept from the event materials published
// when the material was created: the materials service itself is down.
func ExampleSubmitQuote() {
	repo, copies := memory.NewQuotes(), memory.NewMaterialCopies()
	clock := func() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }
	keep, _ := quotes.NewKeepMaterialCopy(quotes.KeepMaterialCopyDeps{Keep: copies.Keep})
	_, _ = keep.Run(context.Background(), quotes.MaterialCopy{ID: 7, CompanyID: 1, Name: "2 mm Steel", Thickness: 2, Active: true,
		Price: &quotes.Money{Amount: 4500, Currency: "EUR"}, Sequence: 1, ChangedAt: clock()})
	materialsDown := func(context.Context, []int64) (map[int64]quotes.PricedMaterial, error) {
		return nil, quotes.ErrMaterialsUnreachable
	}
	create, _ := quotes.NewCreateQuote(quotes.CreateQuoteDeps{
		FilterOnPermissions: quotes.CompanyAccess, Create: repo.Create, Now: clock,
	})
	submit, _ := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
		FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get, Copies: copies.Copies,
		Materials: materialsDown, Submit: repo.Submit, Events: memory.NewOutbox(), Now: clock,
	})

	acme := access.Caller{Subject: "ann", CompanyID: 1, Roles: []access.Role{access.External}}
	draft, _ := create.Run(context.Background(), acme, quotes.CreateInput{Lines: []quotes.Line{
		{MaterialID: 7, Quantity: 4, WidthMM: 1000, HeightMM: 500},
		{MaterialID: 7, Quantity: 1, WidthMM: 333, HeightMM: 333},
	}})
	q, err := submit.Run(context.Background(), acme, quotes.SubmitInput{ID: draft.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range q.Lines {
		fmt.Printf("%d × %s %d×%d mm at %d = %d %s\n", l.Quantity, l.MaterialName, l.WidthMM, l.HeightMM, l.UnitPrice.Amount, l.Total.Amount, l.Total.Currency)
	}
	fmt.Println("total", q.Total.Amount, q.Total.Currency, "valid until", q.ValidUntil.Format(time.DateOnly))

	// Submitted, the quote no longer changes.
	_, err = submit.Run(context.Background(), acme, quotes.SubmitInput{ID: draft.ID})
	fmt.Println(errors.Is(err, quotes.ErrNotDraft))
	// Output:
	// 4 × 2 mm Steel 1000×500 mm at 2250 = 9000 EUR
	// 1 × 2 mm Steel 333×333 mm at 499 = 499 EUR
	// total 9499 EUR valid until 2026-02-04
	// true
}
