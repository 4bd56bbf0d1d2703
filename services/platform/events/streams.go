package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetterStream holds what consumers gave up on, under
// DeadLetterPrefix + "<consumer>.<event type>".
const (
	DeadLetterStream = "DLQ"
	DeadLetterPrefix = "charter.dlq."
)

// StreamOptions configure the streams a process creates.
type StreamOptions struct {
	// Replicas of each stream: 1 on one server, 3 on a cluster of three.
	Replicas int
	// MaxAge is how long a stream keeps an event; 0 keeps every event,
	// so that a consumer can rebuild what it derives by replaying.
	MaxAge time.Duration
	// Duplicates is the window in which the broker drops a message whose
	// Nats-Msg-Id it stored already (2 minutes when 0).
	Duplicates time.Duration
}

// StreamName is the stream of the events service publishes: MATERIALS.
func StreamName(service string) string { return strings.ToUpper(service) }

// StreamSubjects are the subjects of service's stream.
func StreamSubjects(service string) string { return "charter." + service + ".>" }

// StreamOf names the stream an event type is published on: the service
// is the type's second token ("charter.materials.material.created").
func StreamOf(eventType string) (string, error) {
	parts := strings.Split(eventType, ".")
	if len(parts) < 3 || parts[0] != "charter" || parts[1] == "" || parts[1] == "dlq" {
		return "", fmt.Errorf("events: %q is not charter.<service>.<...>", eventType)
	}
	return StreamName(parts[1]), nil
}

// EnsureStream creates service's stream, or updates it to o.
func EnsureStream(ctx context.Context, js jetstream.JetStream, service string, o StreamOptions) error {
	return ensure(ctx, js, jetstream.StreamConfig{
		Name: StreamName(service), Subjects: []string{StreamSubjects(service)},
		Description: "The events the " + service + " service publishes.",
	}, o)
}

// EnsureDeadLetterStream creates the DLQ stream, or updates it to o.
func EnsureDeadLetterStream(ctx context.Context, js jetstream.JetStream, o StreamOptions) error {
	return ensure(ctx, js, jetstream.StreamConfig{
		Name: DeadLetterStream, Subjects: []string{DeadLetterPrefix + ">"},
		Description: "The events consumers gave up on, by consumer and type.",
	}, o)
}

func ensure(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig, o StreamOptions) error {
	cfg.Storage = jetstream.FileStorage
	cfg.Retention = jetstream.LimitsPolicy
	cfg.Replicas = max(1, o.Replicas)
	cfg.MaxAge = o.MaxAge
	cfg.Duplicates = o.Duplicates
	if cfg.Duplicates == 0 {
		cfg.Duplicates = 2 * time.Minute
	}
	if o.MaxAge > 0 && cfg.Duplicates > o.MaxAge {
		cfg.Duplicates = o.MaxAge
	}
	// Every relay and consumer ensures its streams at start: an update
	// only when something changed, since on a cluster concurrent updates
	// of one stream wait on each other.
	if stream, err := js.Stream(ctx, cfg.Name); err == nil {
		have := stream.CachedInfo().Config
		if have.Replicas == cfg.Replicas && have.MaxAge == cfg.MaxAge && have.Duplicates == cfg.Duplicates &&
			slices.Equal(have.Subjects, cfg.Subjects) {
			return nil
		}
	}
	_, err := js.CreateOrUpdateStream(ctx, cfg)
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("events: stream %s: %w", cfg.Name, err)
	}
	return nil
}
