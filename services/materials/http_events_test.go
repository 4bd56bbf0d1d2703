package materials_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestEventTypesAreTheContracts checks that the stories record the event
// types api/events/materials.yaml declares, and no other.
func TestEventTypesAreTheContracts(t *testing.T) {
	got := []string{domain.EventCreated, domain.EventUpdated, domain.EventDeleted}
	if !slices.Equal(got, materialsevents.Types) {
		t.Errorf("the stories record %v, the contract declares %v", got, materialsevents.Types)
	}
}

// eventStores are the stores the event tests run over: the materials and
// the outbox in one database, the writing stories in its transaction.
var eventStores = []struct {
	name string
	open func(t *testing.T) (domain.Repository, outbox.Store, serviceOption)
}{
	{"memory", func(*testing.T) (domain.Repository, outbox.Store, serviceOption) {
		box := memory.NewOutbox()
		return memory.NewMaterials(), box, withEvents(box, nil)
	}},
	{"sqlite", func(t *testing.T) (domain.Repository, outbox.Store, serviceOption) {
		return sqlEvents(t, filepath.Join(t.TempDir(), "materials.db"))
	}},
	{"postgres", func(t *testing.T) (domain.Repository, outbox.Store, serviceOption) {
		return sqlEvents(t, pgtest.NewDatabase(t)) // skips without PostgreSQL
	}},
}

func sqlEvents(t *testing.T, url string) (domain.Repository, outbox.Store, serviceOption) {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	box := sqldb.NewOutbox(db)
	return sqldb.NewMaterials(db), box, withEvents(box, sqldb.Transaction(db))
}

// TestWritesRecordTheirEvents checks, through the API, that a write that
// succeeds records exactly its event, whose payload is the material as
// the answer has it and passes the contract, and that a write refused
// records none.
func TestWritesRecordTheirEvents(t *testing.T) {
	for _, store := range eventStores {
		t.Run(store.name, func(t *testing.T) {
			repo, box, opt := store.open(t)
			s := startService(t, repo, opt)
			ctx := context.Background()
			as := s.as(t, staff("materials:read", "materials:write"))
			seen := 0
			// recorded returns the events recorded since it was last called.
			recorded := func() []outbox.Event {
				t.Helper()
				all, err := box.Unpublished(ctx, 1000)
				if err != nil {
					t.Fatal(err)
				}
				out := all[seen:]
				seen = len(all)
				return out
			}
			// expectOne checks that the last write recorded exactly one
			// event of eventType about id, whose data is want.
			expectOne := func(eventType string, id int64, want any) {
				t.Helper()
				got := recorded()
				if len(got) != 1 {
					t.Fatalf("the write recorded %d events, want one %s", len(got), eventType)
				}
				e := got[0]
				if e.Type != eventType || e.Subject != strconv.FormatInt(id, 10) || e.ID == "" {
					t.Errorf("recorded %s about %q (id %q), want %s about %d", e.Type, e.Subject, e.ID, eventType, id)
				}
				if err := materialsevents.Validate(e.Type, e.Data); err != nil {
					t.Errorf("the payload breaks the contract: %v", err)
				}
				wantJSON, _ := json.Marshal(want)
				var gotV, wantV any
				_ = json.Unmarshal(e.Data, &gotV)
				_ = json.Unmarshal(wantJSON, &wantV)
				if !reflect.DeepEqual(gotV, wantV) {
					t.Errorf("payload %s,\nwant %s", e.Data, wantJSON)
				}
			}
			expectNone := func(what string) {
				t.Helper()
				if got := recorded(); len(got) != 0 {
					t.Errorf("%s recorded %+v, want nothing", what, got)
				}
			}

			company := int64(7)
			m := s.create(t, staff("materials:read", "materials:write"), api.NewMaterial{
				CompanyId: &company, Name: "10 mm Steel", Quality: "steel", Thickness: 10,
				PricePerSquareMetre: &shared.Money{Amount: 12000, Currency: "EUR"},
			})
			expectOne(materialsevents.MaterialCreated, m.Id, m)

			dup, err := s.client.CreateMaterialWithResponse(ctx, nil, api.NewMaterial{CompanyId: &company, Name: "10 mm Steel", Quality: "steel", Thickness: 2}, as)
			if err != nil || dup.StatusCode() != http.StatusConflict {
				t.Fatalf("a second create of the name: %v %v", err, dup.Status())
			}
			expectNone("a create refused for its name")

			stale := `"7"`
			res, err := s.client.UpdateMaterialWithResponse(ctx, m.Id, &api.UpdateMaterialParams{IfMatch: &stale},
				api.UpdateMaterialJSONRequestBody{Name: "10 mm Steel S355", Quality: "steel", Thickness: 10, IsActive: false}, as)
			if err != nil || res.StatusCode() != http.StatusPreconditionFailed {
				t.Fatalf("an update at a stale tag: %v %v", err, res.Status())
			}
			expectNone("an update at a stale tag")

			res, err = s.client.UpdateMaterialWithResponse(ctx, m.Id, nil,
				api.UpdateMaterialJSONRequestBody{Name: "10 mm Steel S355", Quality: "steel", Thickness: 10, IsActive: false}, as)
			if err != nil || res.JSON200 == nil {
				t.Fatalf("update: %v %v", err, res.Status())
			}
			expectOne(materialsevents.MaterialUpdated, m.Id, *res.JSON200)

			missing, err := s.client.UpdateMaterialWithResponse(ctx, 9999, nil,
				api.UpdateMaterialJSONRequestBody{Name: "x", Quality: "steel", Thickness: 1, IsActive: true}, as)
			if err != nil || missing.StatusCode() != http.StatusNotFound {
				t.Fatalf("an update of a missing material: %v %v", err, missing.Status())
			}
			expectNone("an update of a missing material")

			other := s.as(t, external(8, "materials:read", "materials:write"))
			del, err := s.client.DeleteMaterialWithResponse(ctx, m.Id, nil, other)
			if err != nil || del.StatusCode() != http.StatusNotFound {
				t.Fatalf("a delete by another company: %v %v", err, del.Status())
			}
			expectNone("a delete by another company")

			del, err = s.client.DeleteMaterialWithResponse(ctx, m.Id, nil, as)
			if err != nil || del.StatusCode() != http.StatusNoContent {
				t.Fatalf("delete: %v %v", err, del.Status())
			}
			expectOne(materialsevents.MaterialDeleted, m.Id, materialsevents.MaterialDeletedData{Id: m.Id, CompanyId: company})

			del, err = s.client.DeleteMaterialWithResponse(ctx, m.Id, nil, as)
			if err != nil || del.StatusCode() != http.StatusNotFound {
				t.Fatalf("a second delete: %v %v", err, del.Status())
			}
			expectNone("a second delete")
		})
	}
}

// failingEvents refuses to record anything, as an outbox whose insert
// fails does.
type failingEvents struct{}

func (failingEvents) Record(context.Context, ...story.Event) error { return errors.New("outbox full") }

// TestAWriteWhoseEventFailsIsUndone checks that the change and its event
// commit together: a create whose event cannot be recorded answers 500
// and leaves no material.
func TestAWriteWhoseEventFailsIsUndone(t *testing.T) {
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "materials.db"), "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	repo := sqldb.NewMaterials(db)
	s := startService(t, repo, withEvents(failingEvents{}, sqldb.Transaction(db)))
	company := int64(7)
	res, err := s.client.CreateMaterialWithResponse(context.Background(), nil,
		api.NewMaterial{CompanyId: &company, Name: "10 mm Steel", Quality: "steel", Thickness: 10},
		s.as(t, staff("materials:read", "materials:write")))
	if err != nil {
		t.Fatal(err)
	}
	assertProblem(t, res.HTTPResponse, res.Body, http.StatusInternalServerError)
	if n, err := repo.Count(context.Background(), domain.Filter{}); err != nil || n != 0 {
		t.Errorf("%d materials stored (err %v), want none", n, err)
	}
}
