package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/charterhq/charter/repositories/outbox"
)

// Handlers are a consuming service's handlers, one per event type.
// Register them with Handle; a Consumer runs them.
type Handlers struct {
	byType map[string]func(ctx context.Context, env Envelope) error
}

// NewHandlers returns an empty set of handlers.
func NewHandlers() *Handlers {
	return &Handlers{byType: map[string]func(context.Context, Envelope) error{}}
}

// Handle registers fn as the handler of eventType: it gets the envelope
// and its data decoded as T. It runs in a transaction of the consuming
// service's database with the event's inbox row (statements on that
// database made with the ctx it is given join it), once per event however
// often the broker delivers it. An error retries it later; an error
// wrapped by Permanent, or data that does not decode as T, sends it to
// the dead letters at once.
//
// Handle panics when eventType is not a valid type or has a handler:
// both are wiring errors.
func Handle[T any](h *Handlers, eventType string, fn func(ctx context.Context, env Envelope, data T) error) {
	if err := outbox.ValidType(eventType); err != nil {
		panic(err)
	}
	if _, err := StreamOf(eventType); err != nil {
		panic(err)
	}
	if _, ok := h.byType[eventType]; ok {
		panic(fmt.Sprintf("events: %s has two handlers", eventType))
	}
	h.byType[eventType] = func(ctx context.Context, env Envelope) error {
		var data T
		if err := json.Unmarshal(env.Data, &data); err != nil {
			return Permanent(fmt.Errorf("the data of %s does not decode as %T: %w", eventType, data, err))
		}
		return fn(ctx, env, data)
	}
}

// Run runs the handler of env's type on env, as the consumer would but
// without the inbox: for a replay through handlers that are idempotent
// themselves, such as one that rebuilds a read model. It returns an error
// for a type without a handler.
func (h *Handlers) Run(ctx context.Context, env Envelope) error {
	fn, ok := h.byType[env.Type]
	if !ok {
		return fmt.Errorf("events: no handler of %s", env.Type)
	}
	return fn(ctx, env)
}

// Types returns the event types that have a handler, sorted.
func (h *Handlers) Types() []string {
	if h == nil {
		return nil
	}
	out := make([]string, 0, len(h.byType))
	for t := range h.byType {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// byStream groups the handled types by the stream they are published on.
func (h *Handlers) byStream() map[string][]string {
	out := map[string][]string{}
	for _, t := range h.Types() {
		s, _ := StreamOf(t) // checked by Handle
		out[s] = append(out[s], t)
	}
	return out
}

// permanent marks an error no retry can mend.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err to say that retrying the event cannot succeed: the
// consumer sends it to the dead letters at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
