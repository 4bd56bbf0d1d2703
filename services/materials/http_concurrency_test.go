package materials_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	api "github.com/charterhq/charter/gen/materials"
)

// lostUpdateRounds is how many times two clients race to change one
// material; before ETags one change was lost in every round.
const lostUpdateRounds = 20

// TestConcurrentWritersLoseNoUpdateWithIfMatch has two clients read the
// same material, each change a different field and write it back with the
// ETag it read, at once: exactly one wins, the other is told 412 and the
// winner's change is what is stored. It runs over every store, since the
// check and the write must be one statement.
func TestConcurrentWritersLoseNoUpdateWithIfMatch(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			f := newFixtureOver(t, store.open(t))
			as := f.as(t, staff(readWrite...))
			lost := 0
			for round := range lostUpdateRounds {
				m, etag := getWithETag(t, f.service, as, f.own.Id)
				renamed, thicker := update(m), update(m)
				renamed.Name = fmt.Sprint("renamed ", round)
				thicker.Thickness = m.Thickness + 1
				var wg sync.WaitGroup
				statuses := make([]int, 2)
				for i, change := range []api.MaterialUpdate{renamed, thicker} {
					wg.Go(func() {
						res, err := f.client.UpdateMaterialWithResponse(context.Background(), m.Id,
							&api.UpdateMaterialParams{IfMatch: &etag}, change, as)
						if err != nil {
							t.Error(err)
							return
						}
						statuses[i] = res.StatusCode()
					})
				}
				wg.Wait()
				after, _ := getWithETag(t, f.service, as, f.own.Id)
				won := 0
				for _, s := range statuses {
					switch s {
					case http.StatusOK:
						won++
					case http.StatusPreconditionFailed:
					default:
						t.Fatalf("round %d: PUT with If-Match answered %d, want 200 or 412", round, s)
					}
				}
				// A lost update: a writer was told it won, yet its change
				// is not what is stored.
				if (statuses[0] == http.StatusOK && after.Name != renamed.Name) ||
					(statuses[1] == http.StatusOK && after.Thickness != thicker.Thickness) {
					lost++
				}
				if won != 1 {
					t.Errorf("round %d: statuses %v, want exactly one 200 and one 412", round, statuses)
				}
			}
			if lost != 0 {
				t.Errorf("%d of %d rounds lost an update", lost, lostUpdateRounds)
			}
		})
	}
}

// TestConditionalRequests checks the ETag each answer carries and what
// If-Match and If-None-Match do with it.
func TestConditionalRequests(t *testing.T) {
	ctx := context.Background()

	t.Run("create, get and update answer the material's ETag, which every update changes", func(t *testing.T) {
		f := newFixture(t)
		as := f.as(t, staff(readWrite...))
		created, err := f.client.CreateMaterialWithResponse(ctx, nil, api.NewMaterial{CompanyId: ptr[int64](ownCompany), Name: "Copper", Quality: "Cu", Thickness: 1}, as)
		if err != nil || created.StatusCode() != http.StatusCreated {
			t.Fatalf("create: %v %v", err, created.Status())
		}
		if got := created.Headers201.ETag; got == nil || *got != `"1"` {
			t.Errorf("create ETag = %v, want \"1\"", got)
		}
		m, etag := getWithETag(t, f.service, as, created.JSON201.Id)
		if etag != `"1"` {
			t.Errorf("get ETag = %s, want \"1\"", etag)
		}
		upd, err := f.client.UpdateMaterialWithResponse(ctx, m.Id, nil, update(m), as)
		if err != nil || upd.StatusCode() != http.StatusOK {
			t.Fatalf("update: %v %v", err, upd.Status())
		}
		if got := upd.Headers200.ETag; got == nil || *got != `"2"` {
			t.Errorf("update ETag = %v, want \"2\"", got)
		}
	})

	t.Run("without If-Match a write happens whatever the version, as before", func(t *testing.T) {
		f := newFixture(t)
		as := f.as(t, staff(readWrite...))
		m, _ := getWithETag(t, f.service, as, f.own.Id)
		for range 2 {
			res, err := f.client.UpdateMaterialWithResponse(ctx, m.Id, nil, update(m), as)
			if err != nil || res.StatusCode() != http.StatusOK {
				t.Fatalf("update without If-Match: %v %v", err, res.Status())
			}
		}
		res, err := f.client.DeleteMaterialWithResponse(ctx, m.Id, &api.DeleteMaterialParams{}, as)
		if err != nil || res.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete without If-Match: %v %v", err, res.Status())
		}
	})

	t.Run("a stale, weak or foreign tag is refused with 412 and changes nothing; * matches", func(t *testing.T) {
		f := newFixture(t)
		as := f.as(t, staff(readWrite...))
		m, etag := getWithETag(t, f.service, as, f.own.Id)
		changed := update(m)
		changed.Name = "changed"
		for _, tag := range []string{`"2"`, `W/` + etag, `"abc"`} {
			res, err := f.client.UpdateMaterialWithResponse(ctx, m.Id, &api.UpdateMaterialParams{IfMatch: &tag}, changed, as)
			if err != nil {
				t.Fatal(err)
			}
			assertProblem(t, res.HTTPResponse, res.Body, http.StatusPreconditionFailed)
			del, err := f.client.DeleteMaterialWithResponse(ctx, m.Id, &api.DeleteMaterialParams{IfMatch: &tag}, as)
			if err != nil {
				t.Fatal(err)
			}
			assertProblem(t, del.HTTPResponse, del.Body, http.StatusPreconditionFailed)
		}
		if after, tag := getWithETag(t, f.service, as, m.Id); after != m || tag != etag {
			t.Errorf("after refused writes: %+v %s, want %+v %s", after, tag, m, etag)
		}
		star := "*"
		res, err := f.client.UpdateMaterialWithResponse(ctx, m.Id, &api.UpdateMaterialParams{IfMatch: &star}, changed, as)
		if err != nil || res.StatusCode() != http.StatusOK {
			t.Fatalf("update with If-Match *: %v %v", err, res.Status())
		}
		stale := etag
		del, err := f.client.DeleteMaterialWithResponse(ctx, m.Id, &api.DeleteMaterialParams{IfMatch: &stale}, as)
		if err != nil {
			t.Fatal(err)
		}
		assertProblem(t, del.HTTPResponse, del.Body, http.StatusPreconditionFailed)
		current := *res.Headers200.ETag
		del, err = f.client.DeleteMaterialWithResponse(ctx, m.Id, &api.DeleteMaterialParams{IfMatch: &current}, as)
		if err != nil || del.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete with the current tag: %v %v", err, del.Status())
		}
	})

	t.Run("If-None-Match with the current tag answers 304 with no body; once changed, 200", func(t *testing.T) {
		f := newFixture(t)
		as := f.as(t, staff(readWrite...))
		m, etag := getWithETag(t, f.service, as, f.own.Id)
		for _, tag := range []string{etag, "W/" + etag, "*"} {
			res, err := f.client.GetMaterialWithResponse(ctx, m.Id, &api.GetMaterialParams{IfNoneMatch: &tag}, as)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode() != http.StatusNotModified || len(res.Body) != 0 {
				t.Errorf("If-None-Match %s: status %d body %q, want 304 and none", tag, res.StatusCode(), res.Body)
			}
			if got := res.HTTPResponse.Header.Get("ETag"); got != etag {
				t.Errorf("304 ETag = %q, want %q", got, etag)
			}
		}
		if _, err := f.client.UpdateMaterialWithResponse(ctx, m.Id, nil, update(m), as); err != nil {
			t.Fatal(err)
		}
		res, err := f.client.GetMaterialWithResponse(ctx, m.Id, &api.GetMaterialParams{IfNoneMatch: &etag}, as)
		if err != nil || res.StatusCode() != http.StatusOK || res.JSON200 == nil {
			t.Fatalf("If-None-Match with an old tag: %v %v", err, res.Status())
		}
	})

	t.Run("a material out of reach is not found whatever the tag", func(t *testing.T) {
		f := newFixture(t)
		as := f.as(t, external(ownCompany, readWrite...))
		star := "*"
		res, err := f.client.GetMaterialWithResponse(ctx, f.other.Id, &api.GetMaterialParams{IfNoneMatch: &star}, as)
		if err != nil {
			t.Fatal(err)
		}
		assertProblem(t, res.HTTPResponse, res.Body, http.StatusNotFound)
		upd, err := f.client.UpdateMaterialWithResponse(ctx, f.other.Id, &api.UpdateMaterialParams{IfMatch: &star}, update(f.other), as)
		if err != nil {
			t.Fatal(err)
		}
		assertProblem(t, upd.HTTPResponse, upd.Body, http.StatusNotFound)
	})
}

// getWithETag reads material id, with its ETag, and fails the test
// unless it is found.
func getWithETag(t *testing.T, s *service, as api.RequestEditorFn, id int64) (api.Material, string) {
	t.Helper()
	res, err := s.client.GetMaterialWithResponse(context.Background(), id, nil, as)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil || res.Headers200 == nil || res.Headers200.ETag == nil {
		t.Fatalf("get %d: status %d, headers %v: %s", id, res.StatusCode(), res.HTTPResponse.Header, res.Body)
	}
	return *res.JSON200, *res.Headers200.ETag
}

// update is m as a client writes it back.
func update(m api.Material) api.MaterialUpdate {
	return api.MaterialUpdate{Name: m.Name, Quality: m.Quality, Thickness: m.Thickness, IsActive: m.IsActive, PricePerSquareMetre: m.PricePerSquareMetre}
}
