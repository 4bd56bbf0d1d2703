package materials

import (
	"context"
	"errors"
	"time"

	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
)

// DemoMaterials are what a new user finds in development mode: two
// companies, so that the staff and external tokens see different lists,
// and a price per square metre on each, so that quotes can be priced
// from them at once. The prices are plausible rather than any supplier's:
// roughly the sheet's weight per square metre times a price per kilogram
// of its metal.
var DemoMaterials = []domain.Material{
	{CompanyID: 1, Name: "10 mm Steel", Quality: "steel", Thickness: 10, IsActive: true, Price: eur(12000)},
	{CompanyID: 1, Name: "2 mm Stainless", Quality: "stainless steel 304", Thickness: 2, IsActive: true, Price: eur(6500)},
	{CompanyID: 1, Name: "5 mm Aluminium", Quality: "aluminium 5754", Thickness: 5, IsActive: true, Price: eur(8100)},
	{CompanyID: 1, Name: "1.5 mm Galvanised", Quality: "galvanised steel", Thickness: 1.5, IsActive: false, Price: eur(1550)},
	{CompanyID: 2, Name: "3 mm Copper", Quality: "copper", Thickness: 3, IsActive: true, Price: eur(29500)},
	{CompanyID: 2, Name: "8 mm Steel", Quality: "steel S355", Thickness: 8, IsActive: true, Price: eur(10000)},
}

// eur returns a price of the given number of euro cents.
func eur(cents int64) *domain.Money { return &domain.Money{Amount: cents, Currency: "EUR"} }

// SeedDemo adds the demo materials to an empty store and returns how many
// it added; a store that has any material is left alone.
func SeedDemo(ctx context.Context, repo domain.Repository, now time.Time) (int, error) {
	n, err := repo.Count(ctx, domain.Filter{})
	if err != nil || n > 0 {
		return 0, err
	}
	added := 0
	for _, m := range DemoMaterials {
		m.CreatedAt, m.UpdatedAt = now, now
		if _, err := repo.Create(ctx, m); err != nil && !errors.Is(err, domain.ErrConflict) {
			return added, err
		}
		added++
	}
	return added, nil
}

// demoSeeder is who seeds the demo materials through the create story:
// staff, who may create in every company.
var demoSeeder = access.Caller{Subject: "service:materials", Roles: []access.Role{access.Staff}}

// seedDemoThrough adds the demo materials to an empty store as SeedDemo
// does, but through create, the story a client's create runs, so that
// each records its created event like any material: quotes then has a
// copy of every demo material, and prices the demo quote from them even
// while materials is down.
func seedDemoThrough(ctx context.Context, repo domain.Repository, create *domain.CreateMaterial) (int, error) {
	n, err := repo.Count(ctx, domain.Filter{})
	if err != nil || n > 0 {
		return 0, err
	}
	added := 0
	for _, m := range DemoMaterials {
		active := m.IsActive
		_, err := create.Run(ctx, demoSeeder, domain.CreateInput{
			CompanyID: m.CompanyID, Name: m.Name, Quality: m.Quality, Thickness: m.Thickness, IsActive: &active, Price: m.Price,
		})
		if err != nil && !errors.Is(err, domain.ErrConflict) {
			return added, err
		}
		added++
	}
	return added, nil
}
