// Package quotes is the quotes service: the controller that implements the
// generated strict server interface of api/quotes.yaml, and the injectors
// that wire the quote stories to a repository and to the materials
// service, which prices a quote when it is submitted.
package quotes

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// Stories are the quote stories wired for one kind of caller, each tagged
// with the operation of api/quotes.yaml it serves.
type Stories struct {
	List         *domain.ListQuotes   `operation:"listQuotes"`
	Get          *domain.GetQuote     `operation:"getQuote"`
	Create       *domain.CreateQuote  `operation:"createQuote"`
	ReplaceLines *domain.ReplaceLines `operation:"replaceQuoteLines"`
	Delete       *domain.DeleteQuote  `operation:"deleteQuote"`
	Submit       *domain.SubmitQuote  `operation:"submitQuote"`
	Accept       *domain.AcceptQuote  `operation:"acceptQuote"`
	Reject       *domain.RejectQuote  `operation:"rejectQuote"`
}

// Wiring holds the two injectors of the quotes service, which differ only
// in the permission filter, the scheduled expiry, and the story that keeps
// quotes' copies of materials from materials' events.
type Wiring struct {
	Staff    Stories
	External Stories
	// Expire is the story of the scheduled job that expires lapsed quotes.
	Expire *domain.ExpireQuotes
	// KeepMaterialCopy applies one material event to quotes' copies of
	// materials, which submissions are priced from.
	KeepMaterialCopy *domain.KeepMaterialCopy
}

// Parts are what the stories are built from.
type Parts struct {
	// Repository stores the quotes.
	Repository domain.Repository
	// Copies are quotes' copies of materials, kept from materials'
	// events: submissions are priced from them.
	Copies domain.MaterialCopies
	// Materials prices materials from the materials service, for those
	// quotes has no copy of yet.
	Materials domain.MaterialsFunc
	// Events records the events of the stories that write (the service's
	// outbox, in the database of Transaction); Wire gives them the
	// contract's payloads (Events), checked as Checks say.
	Events story.Events
	// Checks say which payloads are checked against the event contract
	// (strict in development and tests, sampled in production); the zero
	// value checks none.
	Checks events.PayloadCheck
	// Now is the clock.
	Now func() time.Time
	// Validity is how long a submitted quote can be accepted; the
	// stories' default when zero.
	Validity time.Duration
	// Transaction wraps the stories that write; nil for a store that
	// needs none.
	Transaction story.Middleware
	// Middleware wraps every story, outside the transaction.
	Middleware []story.Middleware
}

// Wire builds both injectors and the expiry over p.
func Wire(p Parts) (*Wiring, error) {
	if p.Repository == nil || p.Copies == nil || p.Materials == nil || p.Events == nil || p.Now == nil {
		return nil, fmt.Errorf("quotes: a repository, material copies, materials, events and a clock are required")
	}
	p.Events = Events(p.Events, p.Checks)
	reads, writes := p.Middleware, p.Middleware
	if p.Transaction != nil {
		writes = append(slices.Clone(p.Middleware), p.Transaction)
	}
	staff, err := inject(p, domain.StaffAccess, reads, writes, p.Transaction)
	if err != nil {
		return nil, fmt.Errorf("staff stories: %w", err)
	}
	external, err := inject(p, domain.CompanyAccess, reads, writes, p.Transaction)
	if err != nil {
		return nil, fmt.Errorf("external stories: %w", err)
	}
	expire, err := domain.NewExpireQuotes(domain.ExpireQuotesDeps{Expire: p.Repository.Expire, Events: p.Events, Now: p.Now})
	if err != nil {
		return nil, err
	}
	keep, err := domain.NewKeepMaterialCopy(domain.KeepMaterialCopyDeps{Keep: p.Copies.Keep})
	if err != nil {
		return nil, err
	}
	return &Wiring{Staff: staff, External: external, Expire: expire.With(writes...), KeepMaterialCopy: keep.With(writes...)}, nil
}

// For returns the stories of the caller's kind. Staff come first: a caller
// with both roles reaches every company.
func (w *Wiring) For(c access.Caller) Stories {
	if c.Has(access.Staff) {
		return w.Staff
	}
	return w.External
}

// inject is one injector: every story built with the same permission
// filter over the same repository.
func inject(p Parts, filter func(access.Caller, domain.Filter) (domain.Filter, error), reads, writes []story.Middleware, tx story.Middleware) (Stories, error) {
	repo := p.Repository
	var s Stories
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	list, err := domain.NewListQuotes(domain.ListQuotesDeps{FilterOnPermissions: filter, Count: repo.Count, Find: repo.Find})
	keep(err)
	get, err := domain.NewGetQuote(domain.GetQuoteDeps{FilterOnPermissions: filter, Get: repo.Get})
	keep(err)
	create, err := domain.NewCreateQuote(domain.CreateQuoteDeps{FilterOnPermissions: filter, Create: repo.Create, Now: p.Now})
	keep(err)
	replace, err := domain.NewReplaceLines(domain.ReplaceLinesDeps{FilterOnPermissions: filter, Get: repo.Get, ReplaceLines: repo.ReplaceLines, Now: p.Now})
	keep(err)
	del, err := domain.NewDeleteQuote(domain.DeleteQuoteDeps{FilterOnPermissions: filter, Get: repo.Get, Delete: repo.Delete})
	keep(err)
	submit, err := domain.NewSubmitQuote(domain.SubmitQuoteDeps{
		FilterOnPermissions: filter, Get: repo.Get, Copies: p.Copies.Copies, Materials: p.Materials, Submit: repo.Submit,
		Events: p.Events, Now: p.Now, Validity: p.Validity,
	})
	keep(err)
	accept, err := domain.NewAcceptQuote(domain.AcceptQuoteDeps{FilterOnPermissions: filter, Get: repo.Get, Decide: repo.Decide, Events: p.Events, Now: p.Now})
	keep(err)
	reject, err := domain.NewRejectQuote(domain.RejectQuoteDeps{FilterOnPermissions: filter, Get: repo.Get, Decide: repo.Decide, Events: p.Events, Now: p.Now})
	keep(err)
	if len(errs) > 0 {
		return s, fmt.Errorf("%v", errs)
	}
	// The submission is not wrapped in the transaction: it may call the
	// materials service, and a transaction held open across a network
	// call would hold the database's write lock for as long as the call
	// takes. Only its write, the submission (conditional on the version
	// it priced) and its event, runs in one.
	if tx != nil {
		submit = submit.WritingIn(tx)
	}
	return Stories{
		List: list.With(reads...), Get: get.With(reads...),
		Create: create.With(writes...), ReplaceLines: replace.With(writes...), Delete: del.With(writes...),
		Submit: submit.With(reads...), Accept: accept.With(writes...), Reject: reject.With(writes...),
	}, nil
}

// Describe returns the description of every wired story, staff first,
// then the expiry and the keeping of material copies.
func (w *Wiring) Describe() []story.Description {
	var out []story.Description
	for _, s := range []Stories{w.Staff, w.External} {
		v := reflect.ValueOf(s)
		for i := range v.NumField() {
			if d, ok := v.Field(i).Interface().(interface{ Describe() story.Description }); ok {
				out = append(out, d.Describe())
			}
		}
	}
	return append(out, w.Expire.Describe(), w.KeepMaterialCopy.Describe())
}
