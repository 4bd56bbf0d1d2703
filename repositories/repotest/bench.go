package repotest

import (
	"context"
	"fmt"
	"testing"

	"github.com/charterhq/charter/stories/materials"
)

// BenchmarkMaterials measures the operations a request path leans on: Get by
// id, Find of one page of 20 and Create, on a repository holding 100
// materials; then Find of one page of 20 and Count, the two calls a list
// makes, on repositories holding 1,000 and 10,000 materials, where a page
// that costs in proportion to the table shows.
func BenchmarkMaterials(b *testing.B, newRepo NewMaterials) {
	ctx := context.Background()
	seeded := func(b *testing.B, n int) materials.Repository {
		r := newRepo(b)
		for i := range n {
			if _, err := r.Create(ctx, material(int64(1+i%2), fmt.Sprint("seed ", i))); err != nil {
				b.Fatal(err)
			}
		}
		return r
	}
	// page is the second page of 20 of company 1's materials by name, as
	// a list would ask for it.
	page := materials.Query{
		Filter: materials.Filter{CompanyID: 1},
		Order:  materials.Order{By: materials.ByName},
		Limit:  20,
		Offset: 10,
	}
	find := func(b *testing.B, r materials.Repository) {
		b.ReportAllocs()
		for b.Loop() {
			if got, err := r.Find(ctx, page); err != nil || len(got) != 20 {
				b.Fatal(len(got), err)
			}
		}
	}
	b.Run("Get", func(b *testing.B) {
		r := seeded(b, 100)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := r.Get(ctx, int64(1+i%100)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Find20", func(b *testing.B) { find(b, seeded(b, 100)) })
	b.Run("Create", func(b *testing.B) {
		r := seeded(b, 100)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := r.Create(ctx, material(3, fmt.Sprint("new ", i))); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprint("Of", n), func(b *testing.B) {
			r := seeded(b, n)
			b.Run("Find20", func(b *testing.B) { find(b, r) })
			b.Run("Count", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if got, err := r.Count(ctx, page.Filter); err != nil || got != int64(n/2) {
						b.Fatal(got, err)
					}
				}
			})
		})
	}
}
