package quotes

import (
	"context"
	"errors"
	"fmt"

	"github.com/charterhq/charter/stories/story"
)

// ErrInvalidMaterialChange: a material event that cannot be a material's
// change (no ID, a material of no company, no time). Redelivering it changes
// nothing, so a consumer sets it aside rather than retrying it.
var ErrInvalidMaterialChange = errors.New("invalid material change")

// KeepMaterialCopyDeps are the parts KeepMaterialCopy is built from.
type KeepMaterialCopyDeps struct {
	// Keep stores a copy unless the stored one is as recent or more, and
	// says whether it stored it (MaterialCopies.Keep).
	Keep func(context.Context, MaterialCopy) (bool, error)
}

// KeepMaterialCopy is the story of applying one event of the materials
// service (a material created, updated or deleted) to quotes' copy of
// the material. It is idempotent and order-proof: a change delivered
// again, or after a later one, leaves the copy as the latest change left
// it, so the consumer may redeliver and the stream may be replayed.
type KeepMaterialCopy struct {
	deps  KeepMaterialCopyDeps
	story *story.Story[keepCopyState]
}

type keepCopyState struct {
	change MaterialCopy
	kept   bool
}

// NewKeepMaterialCopy builds the story. Returns an error naming every
// missing dependency.
func NewKeepMaterialCopy(deps KeepMaterialCopyDeps) (*KeepMaterialCopy, error) {
	k := &KeepMaterialCopy{deps: deps}
	s, err := story.New(story.Definition[keepCopyState]{
		Name:         "KeepMaterialCopy",
		Dependencies: deps,
		Failures:     []error{ErrInvalidMaterialChange},
		Steps: []story.Step[keepCopyState]{
			story.Do("check change names a material", k.checkChange),
			story.Do("keep copy unless a later one is kept", k.keepCopy),
		},
	})
	if err != nil {
		return nil, err
	}
	k.story = s
	return k, nil
}

// checkChange refuses a change no material can have made. A deletion
// needs only the ID: whatever else it says is not read.
func (k *KeepMaterialCopy) checkChange(_ context.Context, s *keepCopyState) error {
	c := s.change
	switch {
	case c.ID <= 0:
		return fmt.Errorf("%w: material ID %d", ErrInvalidMaterialChange, c.ID)
	case !c.Deleted && c.CompanyID <= 0:
		return fmt.Errorf("%w: material %d belongs to company %d", ErrInvalidMaterialChange, c.ID, c.CompanyID)
	case c.Sequence < 0:
		return fmt.Errorf("%w: material %d at sequence %d", ErrInvalidMaterialChange, c.ID, c.Sequence)
	case c.ChangedAt.IsZero():
		// Without a time, a change without a sequence has no place in
		// the material's history.
		return fmt.Errorf("%w: material %d changed at no time", ErrInvalidMaterialChange, c.ID)
	}
	return nil
}

func (k *KeepMaterialCopy) keepCopy(ctx context.Context, s *keepCopyState) error {
	kept, err := k.deps.Keep(ctx, s.change)
	if err != nil {
		return err
	}
	s.kept = kept
	return nil
}

// Run applies change and reports whether it changed the copy: false for a
// change already applied or older than the copy. Errors are
// *story.Failed; errors.Is tells ErrInvalidMaterialChange.
func (k *KeepMaterialCopy) Run(ctx context.Context, change MaterialCopy) (bool, error) {
	s := keepCopyState{change: change}
	if err := k.story.Run(ctx, &s); err != nil {
		return false, err
	}
	return s.kept, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (k *KeepMaterialCopy) With(mw ...story.Middleware) *KeepMaterialCopy {
	c := *k
	c.story = k.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (k *KeepMaterialCopy) Describe() story.Description { return k.story.Describe() }

// Failures returns the reasons Run can fail with.
func (k *KeepMaterialCopy) Failures() []error { return k.story.Failures() }
