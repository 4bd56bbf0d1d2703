package quotes

import (
	"context"
	"time"

	domain "github.com/charterhq/charter/stories/quotes"
)

// DemoQuotes are what a new user finds in development mode: a draft of
// company 1 over the first demo materials, ready to submit.
var DemoQuotes = []domain.Quote{
	{CompanyID: 1, State: domain.Draft, Lines: []domain.Line{
		{MaterialID: 1, Quantity: 10, WidthMM: 600, HeightMM: 400},
		{MaterialID: 2, Quantity: 4, WidthMM: 1200, HeightMM: 250},
	}},
}

// SeedDemo adds the demo quotes to an empty store and returns how many it
// added; a store that has any quote is left alone.
func SeedDemo(ctx context.Context, repo domain.Repository, now time.Time) (int, error) {
	n, err := repo.Count(ctx, domain.Filter{})
	if err != nil || n > 0 {
		return 0, err
	}
	for i, q := range DemoQuotes {
		q.CreatedAt, q.UpdatedAt = now, now
		if _, err := repo.Create(ctx, q); err != nil {
			return i, err
		}
	}
	return len(DemoQuotes), nil
}
