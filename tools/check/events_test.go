package check_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/story"
	"github.com/charterhq/charter/tools/check"
)

// gadgetsSpec is a small API whose writes declare their events.
const gadgetsSpec = `openapi: 3.0.3
info: {title: Gadgets, version: 1.0.0}
paths:
  /gadgets:
    post:
      operationId: createGadget
      x-events: [gadget.created]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              additionalProperties: false
              properties:
                name: {type: string, minLength: 1, maxLength: 20}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Gadget"}
        "400":
          description: Invalid.
  /gadgets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getGadget
      responses:
        "200":
          description: The gadget.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Gadget"}
        "400":
          description: Invalid.
        "404":
          description: Not found.
    delete:
      operationId: deleteGadget
      x-events: [gadget.deleted]
      responses:
        "204":
          description: Deleted.
        "400":
          description: Invalid.
        "404":
          description: Not found.
components:
  schemas:
    Gadget:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
`

// gadgetBug is a way the gadgets server gets its events wrong.
type gadgetBug int

const (
	noGadgetBug    gadgetBug = iota
	silentCreate             // a create records nothing
	eventOnRefusal           // a delete of a missing gadget records deleted
	eventOnRead              // a get records an event
	badPayload               // deleted carries the id as a string
	createdTwice             // a create records created twice
)

// gadgets serves gadgetsSpec and records its events as a service's outbox
// would.
type gadgets struct {
	bug    gadgetBug
	mu     sync.Mutex
	next   int
	items  map[int]string
	events []check.RecordedEvent
}

func (g *gadgets) record(typ string, id int, data any) {
	b, _ := json.Marshal(data)
	g.events = append(g.events, check.RecordedEvent{Type: typ, Subject: strconv.Itoa(id), Data: b})
}

// drain is the check's view of the outbox: what was recorded since.
func (g *gadgets) drain() []check.RecordedEvent {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.events
	g.events = nil
	return out
}

func (g *gadgets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r.URL.Path == "/gadgets" && r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/gadgets" {
		var in struct {
			Name *string `json:"name"`
		}
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if dec.Decode(&in) != nil || in.Name == nil || utf8.RuneCountInString(*in.Name) < 1 || utf8.RuneCountInString(*in.Name) > 20 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		g.next++
		g.items[g.next] = *in.Name
		gadget := map[string]any{"id": g.next, "name": *in.Name}
		if g.bug != silentCreate {
			g.record("gadget.created", g.next, gadget)
		}
		if g.bug == createdTwice {
			g.record("gadget.created", g.next, gadget)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(gadget)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/gadgets/")
	id, err := strconv.Atoi(rest)
	if !ok || err != nil || id < 1 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	name, found := g.items[id]
	switch r.Method {
	case http.MethodGet:
		if g.bug == eventOnRead {
			g.record("gadget.created", id, map[string]any{"id": id, "name": "read"})
		}
		if !found {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "name": name})
	case http.MethodDelete:
		if !found {
			if g.bug == eventOnRefusal {
				g.record("gadget.deleted", id, map[string]any{"id": id})
			}
			w.WriteHeader(http.StatusNotFound)
			return
		}
		delete(g.items, id)
		data := map[string]any{"id": id}
		if g.bug == badPayload {
			data["id"] = strconv.Itoa(id)
		}
		g.record("gadget.deleted", id, data)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// validateGadgetEvent is the event contract of gadgets: what a generated
// package's Validate does.
func validateGadgetEvent(eventType string, data []byte) error {
	var v struct {
		ID any `json:"id"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch eventType {
	case "gadget.created", "gadget.deleted":
		if _, ok := v.ID.(float64); !ok {
			return errors.New("id: not an integer")
		}
		return nil
	}
	return errors.New("unknown event type " + eventType)
}

func runGadgets(t *testing.T, bug gadgetBug) *check.Report {
	t.Helper()
	g := &gadgets{bug: bug, items: map[int]string{}}
	rep, err := check.Execute(mustSpec(t), check.Handler(g),
		check.WithEvents(g.drain, validateGadgetEvent), check.WithMaxExamples(30), check.WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func mustSpec(t *testing.T) *openapi3.T {
	t.Helper()
	spec, err := check.LoadSpec([]byte(gadgetsSpec))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestEventsRecordedPassesAServiceThatKeepsItsEventContract(t *testing.T) {
	rep := runGadgets(t, noGadgetBug)
	for _, op := range []string{"createGadget", "getGadget", "deleteGadget"} {
		if got := rep.Results[op][check.EventsRecorded]; got != check.Passed {
			t.Errorf("%s on %s: %v, want passed", check.EventsRecorded, op, got)
		}
	}
	for _, f := range rep.Failures {
		t.Errorf("%s", f.String())
	}
}

func TestEventsRecordedFindsPlantedBugs(t *testing.T) {
	for _, tc := range []struct {
		name string
		bug  gadgetBug
		op   string
		says string
	}{
		{"a create that records nothing", silentCreate, "createGadget", "recorded no event; its x-events declares gadget.created"},
		{"a create that records twice", createdTwice, "createGadget", "recorded gadget.created, gadget.created"},
		{"a refused delete that records", eventOnRefusal, "deleteGadget", "answered 404, refusing the request, and still recorded gadget.deleted"},
		{"a read that records", eventOnRead, "getGadget", "declares no event"},
		{"a payload the contract refuses", badPayload, "deleteGadget", "with a payload its contract refuses"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := runGadgets(t, tc.bug)
			var found bool
			for _, f := range rep.Failures {
				if f.Check == check.EventsRecorded && f.Operation == tc.op && strings.Contains(f.Message, tc.says) {
					found = true
				}
			}
			if !found {
				var msgs []string
				for _, f := range rep.Failures {
					msgs = append(msgs, f.Check+" "+f.Operation+": "+f.Message)
				}
				t.Fatalf("no %s failure on %s saying %q; failures:\n%s", check.EventsRecorded, tc.op, tc.says, strings.Join(msgs, "\n"))
			}
		})
	}
}

func TestEventsRecordedIsSkippedWithoutWithEvents(t *testing.T) {
	g := &gadgets{bug: silentCreate, items: map[int]string{}}
	rep, err := check.Execute(mustSpec(t), check.Handler(g), check.WithMaxExamples(10), check.WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Results["createGadget"][check.EventsRecorded]; got != check.Skipped {
		t.Fatalf("%s without WithEvents: %v, want skipped", check.EventsRecorded, got)
	}
}

func TestFromOutboxReadsEachEventOnce(t *testing.T) {
	store := memory.NewOutbox()
	read := check.FromOutbox(store)
	if got := read(); len(got) != 0 {
		t.Fatalf("an empty outbox gave %v", got)
	}
	ctx := context.Background()
	if err := store.Record(ctx, story.Event{Type: "gadget.created", Subject: "1", Data: map[string]int{"id": 1}}); err != nil {
		t.Fatal(err)
	}
	if err := store.Record(ctx, story.Event{Type: "gadget.deleted", Subject: "1", Data: map[string]int{"id": 1}}); err != nil {
		t.Fatal(err)
	}
	got := read()
	if len(got) != 2 || got[0].Type != "gadget.created" || got[1].Type != "gadget.deleted" || got[0].Subject != "1" || string(got[1].Data) != `{"id":1}` {
		t.Fatalf("read %+v", got)
	}
	if again := read(); len(again) != 0 {
		t.Fatalf("read again %+v", again)
	}
}
