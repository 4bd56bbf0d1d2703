package repotest

import (
	"context"
	"fmt"
	"testing"

	"github.com/charterhq/charter/stories/materials"
)

// BenchmarkMaterials measures the operations a request path leans on: Get by
// id, Find of one page of 20 and Create, on a repository holding 100
// materials.
func BenchmarkMaterials(b *testing.B, newRepo NewMaterials) {
	ctx := context.Background()
	seeded := func(b *testing.B) materials.Repository {
		r := newRepo(b)
		for i := range 100 {
			if _, err := r.Create(ctx, material(int64(1+i%2), fmt.Sprint("seed ", i))); err != nil {
				b.Fatal(err)
			}
		}
		return r
	}
	b.Run("Get", func(b *testing.B) {
		r := seeded(b)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := r.Get(ctx, int64(1+i%100)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Find20", func(b *testing.B) {
		r := seeded(b)
		q := materials.Query{
			Filter: materials.Filter{CompanyID: 1},
			Order:  materials.Order{By: materials.ByName},
			Limit:  20,
			Offset: 10,
		}
		b.ReportAllocs()
		for b.Loop() {
			if page, err := r.Find(ctx, q); err != nil || len(page) != 20 {
				b.Fatal(len(page), err)
			}
		}
	})
	b.Run("Create", func(b *testing.B) {
		r := seeded(b)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := r.Create(ctx, material(3, fmt.Sprint("new ", i))); err != nil {
				b.Fatal(err)
			}
		}
	})
}
