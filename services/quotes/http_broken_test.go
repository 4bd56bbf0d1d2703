package quotes_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	domain "github.com/charterhq/charter/stories/quotes"
)

// brokenText is the text of the error a broken repository returns; it
// must appear in the logs and never in a response.
const brokenText = "dial tcp 10.0.0.3:5432: connection refused"

// errBroken is a repository failing for good: an internal error, 500.
var errBroken = errors.New(brokenText)

// errUnavailable is a repository whose database cannot serve now but may
// shortly, as sqldb says of a refused connection: it has the method by
// which the platform knows such an error and answers 503 with
// Retry-After.
var errUnavailable error = unavailableError{}

type unavailableError struct{}

func (unavailableError) Error() string     { return "the database is unavailable: " + brokenText }
func (unavailableError) Unavailable() bool { return true }

// brokenRepository is a repository with one method failing, or held.
type brokenRepository struct {
	domain.Repository
	// failure is read by the server's goroutines while the test sets it.
	failure atomic.Pointer[failure]
	// held is the call to Create that waits, if any.
	held atomic.Pointer[hold]
}

// hold is a call that waits: entered is closed when it begins, and it
// goes on once release is closed or its request is gone.
type hold struct {
	entered, release chan struct{}
	once             sync.Once
}

// holdCreate makes the next call to Create wait until release is closed;
// entered is closed once it has begun.
func (b *brokenRepository) holdCreate() (entered, release chan struct{}) {
	h := &hold{entered: make(chan struct{}), release: make(chan struct{})}
	b.held.Store(h)
	return h.entered, h.release
}

type failure struct {
	method string
	err    error
}

// breakMethod makes method fail with err from now on; "" repairs the
// repository.
func (b *brokenRepository) breakMethod(method string, err error) {
	b.failure.Store(&failure{method, err})
}

// fails returns the error method fails with, or nil.
func (b *brokenRepository) fails(method string) error {
	if f := b.failure.Load(); f != nil && f.method == method {
		return f.err
	}
	return nil
}

func (b *brokenRepository) Create(ctx context.Context, q domain.Quote) (domain.Quote, error) {
	if err := b.fails("Create"); err != nil {
		return domain.Quote{}, err
	}
	if h := b.held.Swap(nil); h != nil {
		h.once.Do(func() { close(h.entered) })
		select {
		case <-h.release:
		case <-ctx.Done():
			return domain.Quote{}, ctx.Err()
		}
	}
	return b.Repository.Create(ctx, q)
}

func (b *brokenRepository) Get(ctx context.Context, id int64) (domain.Quote, error) {
	if err := b.fails("Get"); err != nil {
		return domain.Quote{}, err
	}
	return b.Repository.Get(ctx, id)
}

func (b *brokenRepository) ReplaceLines(ctx context.Context, id, version int64, lines []domain.Line, at time.Time) (domain.Quote, error) {
	if err := b.fails("ReplaceLines"); err != nil {
		return domain.Quote{}, err
	}
	return b.Repository.ReplaceLines(ctx, id, version, lines, at)
}

func (b *brokenRepository) Delete(ctx context.Context, id, version int64) error {
	if err := b.fails("Delete"); err != nil {
		return err
	}
	return b.Repository.Delete(ctx, id, version)
}

func (b *brokenRepository) Submit(ctx context.Context, id, version int64, s domain.Submission) (domain.Quote, error) {
	if err := b.fails("Submit"); err != nil {
		return domain.Quote{}, err
	}
	return b.Repository.Submit(ctx, id, version, s)
}

func (b *brokenRepository) Decide(ctx context.Context, id int64, to domain.State, at time.Time) (domain.Quote, error) {
	if err := b.fails("Decide"); err != nil {
		return domain.Quote{}, err
	}
	return b.Repository.Decide(ctx, id, to, at)
}

func (b *brokenRepository) Expire(ctx context.Context, now time.Time) ([]domain.Quote, error) {
	if err := b.fails("Expire"); err != nil {
		return nil, err
	}
	return b.Repository.Expire(ctx, now)
}

func (b *brokenRepository) Count(ctx context.Context, f domain.Filter) (int64, error) {
	if err := b.fails("Count"); err != nil {
		return 0, err
	}
	return b.Repository.Count(ctx, f)
}

func (b *brokenRepository) Find(ctx context.Context, q domain.Query) ([]domain.Quote, error) {
	if err := b.fails("Find"); err != nil {
		return nil, err
	}
	return b.Repository.Find(ctx, q)
}
