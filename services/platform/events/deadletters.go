package events

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is an event a consumer gave up on.
type DeadLetter struct {
	// Seq is its sequence in the DLQ stream, which Replay takes.
	Seq uint64
	// Consumer gave up on it after Attempts deliveries because of Error.
	Consumer string
	Attempts int
	Error    string
	// Subject is where it was published; Stream and StreamSeq where it
	// was stored.
	Subject   string
	Stream    string
	StreamSeq uint64
	// Time is when it was dead-lettered.
	Time time.Time
	// Body is the message as published; Envelope its decoded envelope,
	// zero when Body is no valid envelope (DecodeError says why).
	Body        []byte
	Envelope    Envelope
	DecodeError string
}

// DeadLetters lists the dead letters of consumer ("" for every consumer)
// in the order they came.
func DeadLetters(ctx context.Context, js jetstream.JetStream, consumer string) (out []DeadLetter, err error) {
	err = whileClusterSettles(ctx, func() error {
		out, err = deadLetters(ctx, js, consumer)
		return err
	})
	return out, err
}

// whileClusterSettles runs read again while the broker answers that no
// server serves the request, for up to about ten seconds: a cluster
// answers so for a moment while a stream's or an ordered consumer's
// leader is being chosen, where a single server would have served it.
func whileClusterSettles(ctx context.Context, read func() error) error {
	for attempt := 1; ; attempt++ {
		err := read()
		if !errors.Is(err, nats.ErrNoResponders) || attempt == 12 || ctx.Err() != nil {
			return err
		}
		wait(ctx, backoff(attempt, 10*time.Millisecond, 2*time.Second))
	}
}

func deadLetters(ctx context.Context, js jetstream.JetStream, consumer string) ([]DeadLetter, error) {
	stream, err := js.Stream(ctx, DeadLetterStream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("events: the dead letters: %w", err)
	}
	filter := DeadLetterPrefix + ">"
	if consumer != "" {
		filter = DeadLetterPrefix + consumer + ".>"
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(filter))
	if err != nil {
		return nil, fmt.Errorf("events: the dead letters: %w", err)
	}
	if info.State.Msgs == 0 {
		return nil, nil
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		return nil, fmt.Errorf("events: read the dead letters: %w", err)
	}
	var out []DeadLetter
	for {
		batch, err := cons.Fetch(256, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return nil, fmt.Errorf("events: read the dead letters: %w", err)
		}
		var last *jetstream.MsgMetadata
		for msg := range batch.Messages() {
			md, err := msg.Metadata()
			if err != nil {
				return nil, err
			}
			last = md
			out = append(out, deadLetter(md.Sequence.Stream, md.Timestamp, msg.Subject(), msg.Headers(), msg.Data()))
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return nil, fmt.Errorf("events: read the dead letters: %w", err)
		}
		if last == nil || last.NumPending == 0 {
			return out, nil
		}
	}
}

// DeadLetterAt returns the dead letter of sequence seq in the DLQ stream.
func DeadLetterAt(ctx context.Context, js jetstream.JetStream, seq uint64) (DeadLetter, error) {
	var raw *jetstream.RawStreamMsg
	err := whileClusterSettles(ctx, func() error {
		stream, err := js.Stream(ctx, DeadLetterStream)
		if err != nil {
			return fmt.Errorf("events: the dead letters: %w", err)
		}
		raw, err = stream.GetMsg(ctx, seq)
		if err != nil {
			return fmt.Errorf("events: dead letter %d: %w", seq, err)
		}
		return nil
	})
	if err != nil {
		return DeadLetter{}, err
	}
	return deadLetter(raw.Sequence, raw.Time, raw.Subject, raw.Header, raw.Data), nil
}

func deadLetter(seq uint64, at time.Time, subject string, h nats.Header, body []byte) DeadLetter {
	d := DeadLetter{Seq: seq, Time: at, Body: body, Error: h.Get(headerError),
		Consumer: h.Get(headerConsumer), Subject: h.Get(headerOrigSubject), Stream: h.Get(headerOrigStream)}
	if d.Consumer == "" {
		d.Consumer, _, _ = strings.Cut(strings.TrimPrefix(subject, DeadLetterPrefix), ".")
	}
	d.Attempts, _ = strconv.Atoi(h.Get(headerAttempts))
	d.StreamSeq, _ = strconv.ParseUint(h.Get(headerOrigSeq), 10, 64)
	env, err := Decode(body)
	if err != nil {
		d.DecodeError = err.Error()
	} else {
		d.Envelope = env
	}
	return d
}

// Replay publishes the dead letter of sequence seq again on the subject it
// was first published on, and deletes it from the dead letters. Every
// consumer of that subject receives it; those that handled it already
// find its id in their inbox, and the one that gave up handles it anew.
func Replay(ctx context.Context, js jetstream.JetStream, seq uint64) error {
	d, err := DeadLetterAt(ctx, js, seq)
	if err != nil {
		return err
	}
	if d.Subject == "" {
		return fmt.Errorf("events: dead letter %d does not say where it was published", seq)
	}
	msg := nats.NewMsg(d.Subject)
	msg.Header.Set("Content-Type", ContentType)
	if d.Envelope.Subject != "" {
		msg.Header.Set(subjectHeader, d.Envelope.Subject)
	}
	msg.Data = d.Body
	// Not the event id: the broker would drop the copy as a duplicate
	// within its window. The inboxes still know the event by its id.
	if _, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID("replay."+strconv.FormatUint(seq, 10)+"."+d.Envelope.ID)); err != nil {
		return fmt.Errorf("events: replay dead letter %d: %w", seq, err)
	}
	stream, err := js.Stream(ctx, DeadLetterStream)
	if err != nil {
		return err
	}
	if err := stream.DeleteMsg(ctx, seq); err != nil {
		return fmt.Errorf("events: replayed dead letter %d, but could not delete it: %w", seq, err)
	}
	return nil
}
