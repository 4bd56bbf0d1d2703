package events

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/stories/story"
)

// createdPayload makes the payload of a creation from the story's data,
// the material's name, as a service's payload function does: one the
// contract refuses when the name is not a visible line.
func createdPayload(e story.Event) (any, error) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	return materialsevents.MaterialCreatedData{Id: 7, CompanyId: 1, Name: e.Data.(string), Quality: "steel",
		Thickness: 2, IsActive: true, CreatedAt: at, UpdatedAt: at}, nil
}

// countingValidate is the generated Validate, counting its calls.
type countingValidate struct{ calls int }

func (c *countingValidate) validate(eventType string, data []byte) error {
	c.calls++
	return materialsevents.Validate(eventType, data)
}

func created(name string) story.Event {
	return story.Event{Type: materialsevents.MaterialCreated, Subject: "7", Data: name}
}

func TestPayloadsUnderAStrictPolicyFailOnAViolation(t *testing.T) {
	box := memory.NewOutbox()
	v := &countingValidate{}
	rec := Payloads(box, createdPayload, v.validate, PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}})
	if err := rec.Record(context.Background(), created("Steel")); err != nil {
		t.Fatalf("a valid payload: %v", err)
	}
	err := rec.Record(context.Background(), created("  "))
	if err == nil || !strings.Contains(err.Error(), "does not match its schema") {
		t.Fatalf("a payload with a blank name recorded: %v", err)
	}
	if got := box.Events(); len(got) != 1 || !strings.Contains(string(got[0].Data), `"name":"Steel"`) {
		t.Errorf("the outbox holds %+v, want the valid event alone, its payload as encoded once", got)
	}
	if v.calls != 2 {
		t.Errorf("%d validations, want one per event", v.calls)
	}
}

func TestPayloadsUnderASampledPolicyReportAndRecord(t *testing.T) {
	box := memory.NewOutbox()
	v := &countingValidate{}
	var logs bytes.Buffer
	rec := Payloads(box, createdPayload, v.validate, PayloadCheck{
		Policy: checks.Policy{Mode: checks.Sampled, Rate: 1}, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err := rec.Record(context.Background(), created("secret\tname")); err != nil {
		t.Fatalf("a sampled violation failed the story: %v", err)
	}
	if len(box.Events()) != 1 || v.calls != 1 {
		t.Fatalf("%d events recorded, %d validations; want 1 and 1", len(box.Events()), v.calls)
	}
	log := logs.String()
	if !strings.Contains(log, "event payload breaks the contract") || !strings.Contains(log, "#/name") {
		t.Errorf("the violation is not logged with its field: %s", log)
	}
	if strings.Contains(log, "secret") {
		t.Errorf("the log shows the payload's value: %s", log)
	}
}

func TestPayloadsUnderNoPolicyCheckNothing(t *testing.T) {
	for _, p := range []checks.Policy{{Mode: checks.Off}, {Mode: checks.Sampled, Rate: 0}} {
		box := memory.NewOutbox()
		v := &countingValidate{}
		rec := Payloads(box, createdPayload, v.validate, PayloadCheck{Policy: p})
		for range 100 {
			if err := rec.Record(context.Background(), created("  ")); err != nil {
				t.Fatal(err)
			}
		}
		if v.calls != 0 {
			t.Errorf("%v: %d validations, want none", p, v.calls)
		}
		var data map[string]any
		if err := json.Unmarshal(box.Events()[0].Data, &data); err != nil || data["name"] != "  " {
			t.Errorf("%v: recorded %s (%v)", p, box.Events()[0].Data, err)
		}
	}
}
