package materials_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// eventLog is a story.Events that keeps what it is given, data as it is.
type eventLog struct {
	mu     sync.Mutex
	events []story.Event
	fail   error
}

func (l *eventLog) Record(_ context.Context, events ...story.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return l.fail
	}
	l.events = append(l.events, events...)
	return nil
}

// writers are the three writing stories over repo, recording into log.
type writers struct {
	create *materials.CreateMaterial
	update *materials.UpdateMaterial
	delete *materials.DeleteMaterial
}

func newWriters(t *testing.T, repo *memory.Materials, log story.Events, injector string) writers {
	t.Helper()
	c, err := materials.NewCreateMaterial(materials.CreateMaterialDeps{FilterOnPermissions: filters[injector], Create: repo.Create, Events: log, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	u, err := materials.NewUpdateMaterial(materials.UpdateMaterialDeps{FilterOnPermissions: filters[injector], Get: repo.Get, Update: repo.Update, Events: log, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	d, err := materials.NewDeleteMaterial(materials.DeleteMaterialDeps{FilterOnPermissions: filters[injector], Get: repo.Get, Delete: repo.Delete, Events: log})
	if err != nil {
		t.Fatal(err)
	}
	return writers{c, u, d}
}

// TestMaterialEvents checks that a write that succeeds records exactly its
// event, with the material as the write left it, and one refused records
// none.
func TestMaterialEvents(t *testing.T) {
	steel := materials.Fields{Name: "10 mm Steel", Quality: "steel S355", Thickness: 10, IsActive: true, Price: eur(13000)}
	for _, tc := range []struct {
		name   string
		caller access.Caller
		run    func(w writers) (materials.Material, error)
		want   func(m materials.Material) *story.Event // nil: no event
	}{
		{"a created material", acme, func(w writers) (materials.Material, error) {
			return w.create.Run(context.Background(), acme, materials.CreateInput{Name: "12 mm Steel", Quality: "steel", Thickness: 12, Price: eur(100)})
		}, func(m materials.Material) *story.Event {
			return &story.Event{Type: materials.EventCreated, Subject: "6", Data: m}
		}},
		{"an updated material", acme, func(w writers) (materials.Material, error) {
			return w.update.Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: steel})
		}, func(m materials.Material) *story.Event {
			return &story.Event{Type: materials.EventUpdated, Subject: "1", Data: m}
		}},
		{"a deleted material", acme, func(w writers) (materials.Material, error) {
			return w.delete.Run(context.Background(), acme, materials.DeleteInput{ID: 2})
		}, func(materials.Material) *story.Event {
			return &story.Event{Type: materials.EventDeleted, Subject: "2", Data: materials.Deleted{ID: 2, CompanyID: 1}}
		}},
		{"a create refused for its name", acme, func(w writers) (materials.Material, error) {
			return w.create.Run(context.Background(), acme, materials.CreateInput{Name: "10 mm Steel", Quality: "steel", Thickness: 10})
		}, nil},
		{"a create in another company", acme, func(w writers) (materials.Material, error) {
			return w.create.Run(context.Background(), acme, materials.CreateInput{CompanyID: 2, Name: "X", Quality: "steel", Thickness: 1})
		}, nil},
		{"an update of another company's material", acme, func(w writers) (materials.Material, error) {
			return w.update.Run(context.Background(), acme, materials.UpdateInput{ID: 4, Fields: steel})
		}, nil},
		{"an update at a stale version", acme, func(w writers) (materials.Material, error) {
			return w.update.Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: steel, Version: 7})
		}, nil},
		{"an update to another material's name", acme, func(w writers) (materials.Material, error) {
			f := steel
			f.Name = "5 mm Copper"
			return w.update.Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: f})
		}, nil},
		{"a delete of a missing material", acme, func(w writers) (materials.Material, error) {
			return w.delete.Run(context.Background(), acme, materials.DeleteInput{ID: 99})
		}, nil},
		{"a delete at a stale version", acme, func(w writers) (materials.Material, error) {
			return w.delete.Run(context.Background(), acme, materials.DeleteInput{ID: 1, Version: 7})
		}, nil},
		{"a delete by a caller with no role", nobody, func(w writers) (materials.Material, error) {
			return w.delete.Run(context.Background(), nobody, materials.DeleteInput{ID: 1})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &eventLog{}
			m, err := tc.run(newWriters(t, seeded(t), log, "external"))
			if tc.want == nil {
				if err == nil {
					t.Fatal("the write succeeded, want it refused")
				}
				if len(log.events) != 0 {
					t.Errorf("a refused write recorded %+v", log.events)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := []story.Event{*tc.want(m)}; !reflect.DeepEqual(log.events, want) {
				t.Errorf("recorded %+v,\nwant %+v", log.events, want)
			}
		})
	}

	t.Run("an event that cannot be recorded fails the write", func(t *testing.T) {
		broken := errors.New("outbox unavailable")
		w := newWriters(t, seeded(t), &eventLog{fail: broken}, "staff")
		_, err := w.create.Run(context.Background(), staff, materials.CreateInput{CompanyID: 1, Name: "New", Quality: "steel", Thickness: 1})
		internal(t, err, "record material created")
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want it to wrap %v", err, broken)
		}
	})
}
