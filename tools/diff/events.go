package diff

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pb33f/go-yaml"

	"github.com/charterhq/charter/tools/asyncapi"
)

// Event contracts (AsyncAPI 3, api/events/) are compared from the side of
// a service that consumes the events: what the contract's send operations
// publish is what consumers were written against. An event type is a
// channel, known by its id; its address is the type and the NATS subject
// a consumer subscribes to. A payload is read by consumers as a client
// reads a response body, so it is compared by the same schema walk, in
// the response direction, and its findings carry the response-* rules
// (a removed or retyped field breaks, an added optional field does not).
// The channels a contract receives are the publisher's contract, compared
// there.

// The rules of event contracts.
const (
	RuleEventTypeRemoved    = "event-type-removed"
	RuleEventSubjectChanged = "event-subject-changed"
	RuleEventTypeAdded      = "event-type-added"
)

var eventRules = []Rule{
	{RuleEventTypeRemoved, Error, "an event type the service published is no longer published (its channel or its send operation removed): consumers wait for it in vain"},
	{RuleEventSubjectChanged, Error, "an event type's channel address, the type and NATS subject consumers subscribe to, changed"},
	{RuleEventTypeAdded, Info, "a new event type published"},
}

func init() {
	for _, r := range eventRules {
		Rules = append(Rules, r)
		ruleSeverity[r.ID] = r.Severity
	}
}

// eventsDir is where a spec directory keeps its event contracts.
const eventsDir = "events"

// IsEventContract reports whether the file at path is an AsyncAPI
// document: an event contract rather than an OpenAPI spec.
func IsEventContract(path string) bool { return declares(path, "asyncapi") }

// compareEventPair is ComparePair for two versions of an event contract.
func compareEventPair(p Pair, opts Options) (Result, error) {
	res := Result{Spec: p.Name, Base: p.Base, Next: p.Next}
	var base, next *asyncapi.Document
	var err error
	if p.Base != "" {
		if base, err = loadEvents(p.Base); err != nil {
			return res, err
		}
		res.BaseVersion = base.Version
	}
	if p.Next != "" {
		if next, err = loadEvents(p.Next); err != nil {
			return res, err
		}
		res.NextVersion = next.Version
	}
	switch {
	case base == nil && next == nil:
		return res, fmt.Errorf("%s: no file on either side", p.Name)
	case base == nil:
		res.Findings = []Finding{newFinding("", RuleSpecAdded, "", "", p.Name, "new event contract "+p.Name)}
	case next == nil:
		res.Findings = []Finding{newFinding("", RuleSpecRemoved, "", p.Name, "", "event contract "+p.Name+" removed, with all its event types")}
	default:
		res.Findings, err = CompareEvents(base, next, opts)
	}
	return res, err
}

func loadEvents(path string) (*asyncapi.Document, error) {
	doc, err := asyncapi.Load(path)
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	return doc, nil
}

// eventLabel is the Operation of a finding about an event type.
func eventLabel(eventType string) string { return "event " + eventType }

// CompareEvents classifies every difference between two versions of an
// event contract from the point of view of a consumer written against
// old. Findings come in the order of old's published event types, then
// new's added ones.
func CompareEvents(old, new *asyncapi.Document, opts Options) ([]Finding, error) {
	c := &comparer{now: opts.Now, memo: map[memoKey][]Finding{}, busy: map[memoKey]bool{}, reached: map[reachedKey]*reached{}, same: newSameSchemas()}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	newSent := new.Sent()
	matched := map[*asyncapi.Channel]bool{}
	// A channel is the same event type when it keeps its id, or, renamed,
	// its address: the id is not on the wire.
	find := func(o *asyncapi.Channel) *asyncapi.Channel {
		for _, n := range newSent {
			if n.ID == o.ID {
				return n
			}
		}
		for _, n := range newSent {
			if n.Address == o.Address && new.Channel(o.ID) == nil {
				return n
			}
		}
		return nil
	}
	for _, o := range old.Sent() {
		label := eventLabel(o.Address)
		n := find(o)
		if n == nil {
			c.add(label, RuleEventTypeRemoved, asyncapi.Pointer("channels", o.ID), o.Address, "",
				"event type "+o.Address+" is no longer published")
			continue
		}
		matched[n] = true
		if n.Address != o.Address {
			c.add(label, RuleEventSubjectChanged, asyncapi.Pointer("channels", n.ID, "address"), o.Address, n.Address,
				"event type "+o.Address+" is now published as "+n.Address+": consumers subscribed to the old subject get nothing")
		}
		if err := c.payloads(label, o, n); err != nil {
			return nil, err
		}
	}
	for _, n := range newSent {
		if !matched[n] {
			c.add(eventLabel(n.Address), RuleEventTypeAdded, asyncapi.Pointer("channels", n.ID), "", n.Address, "new event type "+n.Address)
		}
	}
	return c.out, nil
}

// payloads compares the payload of each message of an event type's
// channel, paired by message id (or the only one on each side), as a
// response body.
func (c *comparer) payloads(label string, o, n *asyncapi.Channel) error {
	for _, om := range o.Messages {
		nm := messageOf(n, om.ID)
		if nm == nil && len(o.Messages) == 1 && len(n.Messages) == 1 {
			nm = n.Messages[0]
		}
		if nm == nil || om.Payload == nil || nm.Payload == nil {
			continue
		}
		os, err := payloadSchema(om)
		if err != nil {
			return err
		}
		ns, err := payloadSchema(nm)
		if err != nil {
			return err
		}
		subject := nm.Name
		if nm.PayloadIsRef {
			subject = refName(nm.PayloadSource.Pointer)
		}
		for _, f := range c.schema(response, nm.PayloadPointer, subject, os, ns) {
			f.Operation = label
			f.Message = strings.Replace(f.Message, "response ", "payload ", 1)
			c.out = append(c.out, f)
		}
	}
	return nil
}

func messageOf(ch *asyncapi.Channel, id string) *asyncapi.Message {
	for _, m := range ch.Messages {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// payloadSchema reads a message's payload, which the bundle made
// self-contained, into the model the schema walk compares. An OpenAPI 3.0
// schema has exclusiveMinimum as a flag; AsyncAPI's own schema (JSON
// Schema draft 7) as a number.
func payloadSchema(m *asyncapi.Message) (schemaRef, error) {
	data, err := json.Marshal(m.Payload)
	if err != nil {
		return schemaRef{}, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return schemaRef{}, err
	}
	numericExclusive := !strings.HasPrefix(m.SchemaFormat, "application/vnd.oai.openapi")
	r := newReader(m.PayloadPointer, m.PayloadPointer, numericExclusive, &doc, nil)
	return schemaRef{s: r.schema(r.root, place{})}, nil
}
