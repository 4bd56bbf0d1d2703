package quotes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// DefaultValidity is how long a submitted quote can be accepted when the
// injector sets no Validity.
const DefaultValidity = 30 * 24 * time.Hour

// SubmitInput names the draft to submit.
type SubmitInput struct {
	// ID is the quote's ID.
	ID int64
}

// SubmitQuoteDeps are the parts SubmitQuote is built from.
type SubmitQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
	// Copies returns quotes' copies of the materials with the given IDs,
	// kept from the materials' events (MaterialCopies.Copies): the lines
	// are priced from them, so that a submission needs no answer from
	// the materials service.
	Copies func(ctx context.Context, ids []int64) (map[int64]MaterialCopy, error)
	// Materials returns the priced materials of the given IDs, from the
	// materials service: it is asked only about materials quotes has no
	// copy of yet (one created a moment ago, whose event has not arrived,
	// or one older than the events). An ID absent from its answer is
	// unknown. It returns an error wrapping ErrMaterialsUnreachable when
	// the materials service is down, and nothing else that wraps a
	// declared failure: any other error is internal.
	Materials MaterialsFunc
	// Submit moves a draft to submitted if it is still at the version
	// that was priced. Returns ErrNotFound, ErrNotDraft or ErrChanged.
	Submit func(ctx context.Context, id, version int64, s Submission) (Quote, error)
	// Events records the EventSubmitted of the quote, in the transaction
	// of the write (see WritingIn).
	Events story.Events
	// Now is the clock that dates the submission.
	Now func() time.Time
	// Validity is how long after its submission a quote can be accepted:
	// DefaultValidity when zero.
	Validity time.Duration
}

// SubmitQuote is the story of submitting a draft the caller may reach: its
// lines are priced from their materials as they are now, and the quote is
// valid for a while.
//
// Its write, the submission and its event, is a story of its own,
// WriteSubmission, so that a transaction can wrap the write alone
// (WritingIn): pricing may call the materials service, and a transaction
// held open across a network call would hold the database's write lock
// for as long as the call takes.
type SubmitQuote struct {
	deps  SubmitQuoteDeps
	story *story.Story[submitState]
	find  *story.Story[findState]
	// write is WriteSubmission; outer wraps the whole story.
	write *story.Story[writeState]
	outer []story.Middleware
}

// writeDeps are the parts of SubmitQuoteDeps that WriteSubmission uses.
type writeDeps struct {
	Submit func(ctx context.Context, id, version int64, s Submission) (Quote, error)
	Events story.Events
}

// writeState is what WriteSubmission writes: the submission of a draft at
// the version that was priced.
type writeState struct {
	id, version int64
	submission  Submission
	submitted   Quote
}

type submitState struct {
	find findState

	// uncopied are the IDs of the lines' materials quotes has no copy of.
	uncopied  []int64
	materials map[int64]PricedMaterial
	lines     []Line
	total     Money
	write     writeState
}

// NewSubmitQuote builds the story. Returns an error naming every missing
// dependency, or for a negative Validity.
func NewSubmitQuote(deps SubmitQuoteDeps) (*SubmitQuote, error) {
	if err := checkDependencies("SubmitQuote", deps); err != nil {
		return nil, err
	}
	if deps.Validity < 0 {
		return nil, fmt.Errorf("story SubmitQuote: Validity %v is negative", deps.Validity)
	}
	if deps.Validity == 0 {
		// Set here rather than at each run, so that Describe tells the
		// validity quotes get.
		deps.Validity = DefaultValidity
	}
	find, err := newFindQuote(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	sq := &SubmitQuote{deps: deps}
	sq.write, err = story.New(story.Definition[writeState]{
		Name:         "WriteSubmission",
		Dependencies: writeDeps{Submit: deps.Submit, Events: deps.Events},
		// ErrNotFound and ErrNotDraft are met here when another request
		// deleted or submitted the quote since it was found.
		Failures: []error{ErrNotFound, ErrNotDraft, ErrChanged},
		Steps: []story.Step[writeState]{
			story.Do("submit quote", sq.submitQuote),
			story.Do("record quote submitted", sq.recordSubmitted),
		},
	})
	if err != nil {
		return nil, err
	}
	if err := sq.build(find); err != nil {
		return nil, err
	}
	return sq, nil
}

// build builds the whole story around sq.write, wrapped in sq.outer.
func (sq *SubmitQuote) build(find *story.Story[findState]) error {
	s, err := story.New(story.Definition[submitState]{
		Name:         "SubmitQuote",
		Dependencies: sq.deps,
		Failures: []error{
			ErrForbidden, ErrNotFound, ErrNotDraft, ErrNoLines,
			ErrMaterialsUnreachable, ErrMaterialUnavailable, ErrAmountOutOfRange, ErrChanged,
		},
		Steps: []story.Step[submitState]{
			story.Sub(find, func(s *submitState) *findState { return &s.find }),
			story.Do("check quote is a draft", sq.checkDraft),
			story.Do("check quote has lines", sq.checkHasLines),
			story.Do("look up copies of materials", sq.lookUpCopies),
			story.Do("ask materials service about the others", sq.askMaterialsService),
			story.Do("check materials are available", sq.checkMaterialsAvailable),
			story.Do("price lines", sq.priceLines),
			story.Do("add up total", sq.addUpTotal),
			story.Do("set submission time and validity", sq.setSubmissionTime),
			story.Sub(sq.write, func(s *submitState) *writeState { return &s.write }),
		},
	})
	if err != nil {
		return err
	}
	sq.find, sq.story = find, s.With(sq.outer...)
	return nil
}

func (sq *SubmitQuote) checkDraft(_ context.Context, s *submitState) error {
	return draftOnly(s.find.quote)
}

func (sq *SubmitQuote) checkHasLines(_ context.Context, s *submitState) error {
	if len(s.find.quote.Lines) == 0 {
		return ErrNoLines
	}
	return nil
}

// lookUpCopies reads quotes' copies of every material the lines name,
// each once, in ID order. A deleted material's copy prices nothing: the
// material is unknown, and the materials service is not asked about it.
func (sq *SubmitQuote) lookUpCopies(ctx context.Context, s *submitState) error {
	var ids []int64
	for _, l := range s.find.quote.Lines {
		ids = append(ids, l.MaterialID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	copies, err := sq.deps.Copies(ctx, ids)
	if err != nil {
		return fmt.Errorf("look up copies of materials: %w", err)
	}
	s.materials = make(map[int64]PricedMaterial, len(ids))
	for _, id := range ids {
		c, ok := copies[id]
		switch {
		case !ok:
			s.uncopied = append(s.uncopied, id)
		case !c.Deleted:
			s.materials[id] = c.Priced()
		}
	}
	return nil
}

// askMaterialsService asks, once, about the materials quotes has no copy
// of, if any: with every material copied, a submission succeeds while the
// materials service is down.
func (sq *SubmitQuote) askMaterialsService(ctx context.Context, s *submitState) error {
	if len(s.uncopied) == 0 {
		return nil
	}
	found, err := sq.deps.Materials(ctx, s.uncopied)
	if err != nil {
		if errors.Is(err, ErrMaterialsUnreachable) {
			return err
		}
		return fmt.Errorf("ask materials service: %w", err)
	}
	for _, id := range s.uncopied {
		if m, ok := found[id]; ok {
			s.materials[id] = m
		}
	}
	return nil
}

// checkMaterialsAvailable refuses the first line whose material cannot be
// quoted. A material of another company is told apart from a missing one
// by no word, so that a company cannot probe another's material IDs. All
// lines must be priced in one currency, the first line's: a quote has one
// total.
func (sq *SubmitQuote) checkMaterialsAvailable(_ context.Context, s *submitState) error {
	q := s.find.quote
	var currency string
	for i, l := range q.Lines {
		m, ok := s.materials[l.MaterialID]
		why := ""
		switch price := m.PricePerSquareMetre; {
		case !ok || m.CompanyID != q.CompanyID:
			why = fmt.Sprintf("material %d is not one of the company's materials", l.MaterialID)
		case !m.Active:
			why = fmt.Sprintf("material %d is inactive", l.MaterialID)
		case price.Amount < 0 || !validCurrency(price.Currency):
			why = fmt.Sprintf("material %d has no usable price", l.MaterialID)
		case i == 0:
			currency = price.Currency
		case price.Currency != currency:
			why = fmt.Sprintf("material %d is priced in %s, the quote's first line in %s", l.MaterialID, price.Currency, currency)
		}
		if why != "" {
			return &LineError{Index: i, MaterialID: l.MaterialID, Reason: ErrMaterialUnavailable, Why: why}
		}
	}
	return nil
}

// priceLines sets each line's material name, unit price and total from
// its material as it is now.
func (sq *SubmitQuote) priceLines(_ context.Context, s *submitState) error {
	lines := make([]Line, len(s.find.quote.Lines))
	for i, l := range s.find.quote.Lines {
		m := s.materials[l.MaterialID]
		price := m.PricePerSquareMetre
		unit, ok := unitPrice(l.WidthMM, l.HeightMM, price.Amount)
		total, ok2 := multiply(unit, l.Quantity)
		if !ok || !ok2 {
			return &LineError{Index: i, MaterialID: l.MaterialID, Reason: ErrAmountOutOfRange,
				Why: fmt.Sprintf("the line's price would exceed %d %s", int64(MaxAmount), price.Currency)}
		}
		l.MaterialName = m.Name
		l.UnitPrice = Money{Amount: unit, Currency: price.Currency}
		l.Total = Money{Amount: total, Currency: price.Currency}
		lines[i] = l
	}
	s.lines = lines
	return nil
}

func (sq *SubmitQuote) addUpTotal(_ context.Context, s *submitState) error {
	total := Money{Currency: s.lines[0].Total.Currency}
	for _, l := range s.lines {
		sum, ok := add(total.Amount, l.Total.Amount)
		if !ok {
			return fmt.Errorf("%w: the quote's total would exceed %d %s", ErrAmountOutOfRange, int64(MaxAmount), total.Currency)
		}
		total.Amount = sum
	}
	s.total = total
	return nil
}

// setSubmissionTime reads the clock once, so that the quote is valid for
// exactly Validity after the instant it is submitted at.
func (sq *SubmitQuote) setSubmissionTime(_ context.Context, s *submitState) error {
	now := sq.deps.Now()
	s.write = writeState{
		id: s.find.quote.ID, version: s.find.quote.Version,
		submission: Submission{Lines: s.lines, Total: s.total, ValidUntil: now.Add(sq.deps.Validity), At: now},
	}
	return nil
}

// submitQuote writes the prices only if the quote is still the version
// they were found for: lines replaced meanwhile fail it with ErrChanged.
func (sq *SubmitQuote) submitQuote(ctx context.Context, s *writeState) error {
	q, err := sq.deps.Submit(ctx, s.id, s.version, s.submission)
	if err != nil {
		return err
	}
	s.submitted = q
	return nil
}

func (sq *SubmitQuote) recordSubmitted(ctx context.Context, s *writeState) error {
	return recordQuote(ctx, sq.deps.Events, EventSubmitted, s.submitted)
}

// Run submits draft in.ID and returns the priced quote. Errors are
// *story.Failed; errors.Is tells ErrForbidden, ErrNotFound (also for
// another company's quote), ErrNotDraft, ErrNoLines, ErrMaterialsUnreachable
// (a material without a copy, and the materials service down: try again
// later), ErrChanged (the lines changed meanwhile),
// ErrMaterialUnavailable and ErrAmountOutOfRange; the last two come in a
// *LineError naming the line when they are about one.
func (sq *SubmitQuote) Run(ctx context.Context, caller access.Caller, in SubmitInput) (Quote, error) {
	s := submitState{find: findState{caller: caller, id: in.ID}}
	if err := sq.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.write.submitted, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (sq *SubmitQuote) With(mw ...story.Middleware) *SubmitQuote {
	c := *sq
	c.outer = append(slices.Clone(sq.outer), mw...)
	c.story = sq.story.With(mw...)
	return &c
}

// WritingIn returns a copy of the story whose write, WriteSubmission (the
// submission and its event), runs inside mw, the first outermost: a
// transaction, so that the two commit together without the transaction
// spanning the pricing.
func (sq *SubmitQuote) WritingIn(mw ...story.Middleware) *SubmitQuote {
	c := *sq
	c.write = sq.write.With(mw...)
	if err := c.build(sq.find); err != nil {
		panic(err) // the same definition built once already
	}
	return &c
}

// Describe says what the story does and, once wired, with what.
func (sq *SubmitQuote) Describe() story.Description { return sq.story.Describe() }

// Failures returns the reasons Run can fail with.
func (sq *SubmitQuote) Failures() []error { return sq.story.Failures() }
