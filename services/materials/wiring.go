// Package materials is the materials service: the controller that
// implements the generated strict server interface of api/materials.yaml,
// the injectors that wire the material stories to a repository, and the
// handler that puts the edge, the contract and the docs in front of them.
package materials

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	platformevents "github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// Stories are the material stories wired for one kind of caller.
// Each is tagged with the operation of api/materials.yaml it serves.
type Stories struct {
	List   *domain.ListMaterials  `operation:"listMaterials"`
	Get    *domain.GetMaterial    `operation:"getMaterial"`
	Create *domain.CreateMaterial `operation:"createMaterial"`
	Update *domain.UpdateMaterial `operation:"updateMaterial"`
	Delete *domain.DeleteMaterial `operation:"deleteMaterial"`
}

// Wiring holds the two injectors of the materials service. They build the
// same stories over the same repository and differ only in the permission
// filter: staff reach every company, external callers their own.
type Wiring struct {
	Staff    Stories
	External Stories

	// repository names the concrete repository, for Describe.
	repository string
}

// Wire builds both injectors over repo, recording the events of the
// stories that write through events (the service's outbox, which Events
// gives the contract's payloads, checked as check says), dating changes
// with now, running every
// story that writes inside tx (a transaction of repo's database; nil for
// a store that needs none) and wrapping every story in mw (metrics,
// tracing...), outside the transaction.
func Wire(repo domain.Repository, events story.Events, check platformevents.PayloadCheck, now func() time.Time, tx story.Middleware, mw ...story.Middleware) (*Wiring, error) {
	writes := mw
	if tx != nil {
		writes = append(slices.Clone(mw), tx)
	}
	if events == nil {
		return nil, fmt.Errorf("the events of the stories that write are required")
	}
	events = Events(events, check)
	staff, err := inject(repo, events, now, domain.StaffAccess, mw, writes)
	if err != nil {
		return nil, fmt.Errorf("staff stories: %w", err)
	}
	external, err := inject(repo, events, now, domain.CompanyAccess, mw, writes)
	if err != nil {
		return nil, fmt.Errorf("external stories: %w", err)
	}
	return &Wiring{Staff: staff, External: external, repository: typeName(repo)}, nil
}

// For returns the stories of the caller's kind. Staff come first: a caller
// with both roles reaches every company. A caller with neither role gets
// the external stories, whose permission filter refuses it.
func (w *Wiring) For(c access.Caller) Stories {
	if c.Has(access.Staff) {
		return w.Staff
	}
	return w.External
}

// inject is one injector: every story built with the same permission
// filter over the same repository.
func inject(repo domain.Repository, events story.Events, now func() time.Time, filter func(access.Caller, domain.Filter) (domain.Filter, error), reads, writes []story.Middleware) (Stories, error) {
	if repo == nil || now == nil {
		return Stories{}, fmt.Errorf("a repository and a clock are required")
	}
	list, err := domain.NewListMaterials(domain.ListMaterialsDeps{
		FilterOnPermissions: filter, Count: repo.Count, Find: repo.Find,
	})
	if err != nil {
		return Stories{}, err
	}
	get, err := domain.NewGetMaterial(domain.GetMaterialDeps{
		FilterOnPermissions: filter, Get: repo.Get,
	})
	if err != nil {
		return Stories{}, err
	}
	create, err := domain.NewCreateMaterial(domain.CreateMaterialDeps{
		FilterOnPermissions: filter, Create: repo.Create, Events: events, Now: now,
	})
	if err != nil {
		return Stories{}, err
	}
	update, err := domain.NewUpdateMaterial(domain.UpdateMaterialDeps{
		FilterOnPermissions: filter, Get: repo.Get, Update: repo.Update, Events: events, Now: now,
	})
	if err != nil {
		return Stories{}, err
	}
	del, err := domain.NewDeleteMaterial(domain.DeleteMaterialDeps{
		FilterOnPermissions: filter, Get: repo.Get, Delete: repo.Delete, Events: events,
	})
	if err != nil {
		return Stories{}, err
	}
	return Stories{
		List: list.With(reads...), Get: get.With(reads...), Create: create.With(writes...),
		Update: update.With(writes...), Delete: del.With(writes...),
	}, nil
}

// Describe returns the description of every wired story, staff first.
//
// The stories get the repository's methods through the Repository
// interface, and the runtime can only name such a method value after the
// interface ("materials.Repository.Count"); Describe names the repository
// that was wired instead.
func (w *Wiring) Describe() []story.Description {
	var out []story.Description
	for _, s := range []Stories{w.Staff, w.External} {
		out = append(out, describeAll(s)...)
	}
	for i := range out {
		w.nameRepository(&out[i])
	}
	return out
}

// describeAll describes every story of s, field by field, so that a story
// added to Stories is described without a list to keep.
func describeAll(s Stories) []story.Description {
	v := reflect.ValueOf(s)
	var out []story.Description
	for i := range v.NumField() {
		if d, ok := v.Field(i).Interface().(interface{ Describe() story.Description }); ok {
			out = append(out, d.Describe())
		}
	}
	return out
}

// repositoryMethod is how the runtime names a method value taken through
// the Repository interface.
var repositoryMethod = reflect.TypeFor[domain.Repository]().PkgPath() + ".Repository."

func (w *Wiring) nameRepository(d *story.Description) {
	if w.repository == "" {
		return // a Wiring not made by Wire: nothing better to say
	}
	for i, dep := range d.Dependencies {
		if method, ok := strings.CutPrefix(dep.Implementation, repositoryMethod); ok {
			d.Dependencies[i].Implementation = w.repository + "." + method
		}
	}
	for _, st := range d.Steps {
		if st.Sub != nil {
			w.nameRepository(st.Sub)
		}
	}
}

// typeName names v's type the way the runtime names its methods'
// receivers: "example.com/pkg.(*T)" or "example.com/pkg.T".
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer && t.Elem().Name() != "" {
		return t.Elem().PkgPath() + ".(*" + t.Elem().Name() + ")"
	}
	if t.Name() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}
