package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charterhq/charter/repositories/outbox"
)

// ContentType is the Content-Type header of every message: CloudEvents in
// structured mode, the envelope and its data in one JSON body.
const ContentType = "application/cloudevents+json"

// SpecVersion is the CloudEvents version of every envelope.
const SpecVersion = "1.0"

// Envelope is a CloudEvents 1.0 event as Charter sends it, in structured
// JSON mode: the body of every message on the broker, and what the CLI
// and the dead letters show.
type Envelope struct {
	SpecVersion string `json:"specversion"`
	// ID is unique per event: the outbox row's id, the broker's
	// de-duplication id and the inbox's key.
	ID string `json:"id"`
	// Source is "/charter/<service>", the service that recorded it.
	Source string `json:"source"`
	// Type is the event type, also its subject on the broker.
	Type string `json:"type"`
	// Subject is the id of the aggregate the event is about.
	Subject         string    `json:"subject,omitempty"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	// Sequence is the event's place among the events of its source, as
	// the CloudEvents sequence extension has it: the outbox's commit
	// sequence, which orders the changes of one aggregate as they
	// committed (see outbox.Event.Seq), written with SequenceDigits
	// digits so that its lexicographic order is its numeric order. Empty
	// in an event no outbox recorded (one published by hand).
	Sequence string          `json:"sequence,omitempty"`
	Data     json.RawMessage `json:"data"`
}

// SequenceDigits is the width of Envelope.Sequence: an int64 has at most
// 19 digits, so every sequence has as many and compares as text as it
// does as a number.
const SequenceDigits = 19

// FormatSequence is seq as Envelope.Sequence writes it; "" for 0, no
// sequence.
func FormatSequence(seq int64) string {
	if seq <= 0 {
		return ""
	}
	return fmt.Sprintf("%0*d", SequenceDigits, seq)
}

// SequenceNumber is the number Sequence writes, 0 when the event has no
// sequence or one that is no number of ours: such an event is ordered by
// other means, such as its time.
func (e Envelope) SequenceNumber() int64 {
	if e.Sequence == "" {
		return 0
	}
	n, err := strconv.ParseInt(e.Sequence, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Source is the CloudEvents source of the events service records.
func Source(service string) string { return "/charter/" + service }

// FromOutbox is the envelope of an outbox row of service.
func FromOutbox(service string, e outbox.Event) Envelope {
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	return Envelope{
		SpecVersion: SpecVersion, ID: e.ID, Source: Source(service), Type: e.Type,
		Subject: e.Subject, Time: e.Time.UTC(), DataContentType: "application/json",
		Sequence: FormatSequence(e.Seq), Data: data,
	}
}

// Validate reports what makes e no CloudEvents 1.0 event as Charter sends
// them: the required attributes, a type that is a subject, JSON data.
func (e Envelope) Validate() error {
	var errs []error
	if e.SpecVersion != SpecVersion {
		errs = append(errs, fmt.Errorf("specversion is %q, not %q", e.SpecVersion, SpecVersion))
	}
	if e.ID == "" {
		errs = append(errs, errors.New("id is missing"))
	}
	if e.Source == "" {
		errs = append(errs, errors.New("source is missing"))
	}
	if err := outbox.ValidType(e.Type); err != nil {
		errs = append(errs, fmt.Errorf("type: %s", strings.TrimPrefix(err.Error(), "outbox: ")))
	}
	if e.Time.IsZero() {
		errs = append(errs, errors.New("time is missing"))
	}
	if e.DataContentType != "" && e.DataContentType != "application/json" {
		errs = append(errs, fmt.Errorf("datacontenttype is %q, not application/json", e.DataContentType))
	}
	if e.Sequence != "" && !validSequence(e.Sequence) {
		errs = append(errs, fmt.Errorf("sequence is %q, not %d decimal digits", e.Sequence, SequenceDigits))
	}
	if len(e.Data) > 0 && !json.Valid(e.Data) {
		errs = append(errs, errors.New("data is not JSON"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("events: not a CloudEvents envelope: %w", errors.Join(errs...))
	}
	return nil
}

// validSequence reports whether s is a sequence as FormatSequence writes
// it.
func validSequence(s string) bool {
	if len(s) != SequenceDigits {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != strings.Repeat("0", SequenceDigits)
}

// Decode reads and validates the envelope of a message body. Attributes
// it does not know (CloudEvents extensions) are ignored.
func Decode(body []byte) (Envelope, error) {
	var e Envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		return Envelope{}, fmt.Errorf("events: the message is not a JSON envelope: %w", err)
	}
	if dec.More() {
		return Envelope{}, errors.New("events: the message has data after its envelope")
	}
	return e, e.Validate()
}

// Encode validates e and marshals it as a message body.
func (e Envelope) Encode() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(e)
}
