package quotes

import (
	"context"
	"time"
)

// MaterialCopy is quotes' own copy of one material of the materials
// service, kept from the events materials publishes when a material is
// created, updated or deleted: the read model submissions are priced
// from, so that quoting does not need materials to answer.
type MaterialCopy struct {
	// ID is the material's ID in the materials service.
	ID int64
	// CompanyID is the company the material belongs to.
	CompanyID int64
	// Name is the material's name.
	Name string
	// Thickness is in millimetres.
	Thickness float64
	// Active is false for a material its company no longer quotes with.
	Active bool
	// Price is the price of one square metre; nil while the material has
	// none.
	Price *Money
	// Deleted is set once the material is deleted. A deleted material
	// stays deleted: materials never reuses an ID.
	Deleted bool
	// Sequence is the change's place among the events of the materials
	// service, as the producer ordered them (the CloudEvents sequence of
	// its event, the commit order of materials' outbox): of two changes
	// of one material, the later has the greater. 0 when the event
	// carries none (one recorded before events had it).
	Sequence int64
	// ChangedAt is when the material was changed: the material's
	// updated_at, or the event's time for a deletion.
	ChangedAt time.Time
}

// Supersedes reports whether c is a later state of the material than
// old, so that a change delivered twice, or after a later one, leaves the
// copy as the latest change left it:
//
//   - a deleted material stays deleted, whatever arrives after;
//   - a deletion supersedes any other change;
//   - otherwise the greater Sequence wins when both changes carry one,
//     whatever their times say: materials' clock, which dates ChangedAt,
//     can give two changes the same time or, on replicas whose clocks
//     differ, put a later change before an earlier one, while its outbox
//     orders the changes of one material as they committed; the later
//     ChangedAt wins only when either change has no sequence. A change
//     equal to the copy (a redelivery) does not supersede it.
//
// Repositories hold a stored copy to the same rule in the statement that
// writes (see MaterialCopies.Keep).
func (c MaterialCopy) Supersedes(old MaterialCopy) bool {
	switch {
	case old.Deleted:
		return false
	case c.Deleted:
		return true
	case c.Sequence > 0 && old.Sequence > 0:
		return c.Sequence > old.Sequence
	}
	return c.ChangedAt.After(old.ChangedAt)
}

// Priced is the copy as a submission prices from it. A material without a
// price gets a zero Money, which no line can be priced in.
func (c MaterialCopy) Priced() PricedMaterial {
	p := PricedMaterial{ID: c.ID, CompanyID: c.CompanyID, Name: c.Name, Active: c.Active}
	if c.Price != nil {
		p.PricePerSquareMetre = *c.Price
	}
	return p
}

// MaterialCopies stores quotes' copies of materials. Implementations live
// in repositories/ and pass one contract test suite.
type MaterialCopies interface {
	// Keep stores c unless the stored copy of the same material is as
	// recent or more (see MaterialCopy.Supersedes), checked in the step
	// that writes, so that of two changes kept at once the later one
	// stays. It reports whether it stored c.
	Keep(ctx context.Context, c MaterialCopy) (bool, error)
	// Copies returns the stored copies of the materials with the given
	// IDs, deleted ones included, keyed by ID; an ID without a copy is
	// absent from the map.
	Copies(ctx context.Context, ids []int64) (map[int64]MaterialCopy, error)
	// Clear removes every copy, so that replaying the materials' events
	// from the start builds the copies again.
	Clear(ctx context.Context) error
}
