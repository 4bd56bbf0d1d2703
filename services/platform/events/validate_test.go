package events

import (
	"errors"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/services/platform/contract"
)

// FastValidate leaves to the generated Validate what the fast check is
// not sure of, and answers like it.
func TestFastValidateAnswersAsValidate(t *testing.T) {
	slow := 0
	validate := FastValidate(materialsevents.Schema, func(eventType string, data []byte) error {
		slow++
		return materialsevents.Validate(eventType, data)
	})
	valid := []byte(`{"id":1,"company_id":1,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true,` +
		`"created_at":"2026-11-23T09:30:00Z","updated_at":"2026-11-23T09:30:00Z"}`)
	for range 3 {
		if err := validate(materialsevents.MaterialCreated, valid); err != nil {
			t.Fatal(err)
		}
	}
	if slow != 0 {
		t.Errorf("a valid payload went the slow way %d times", slow)
	}
	if err := validate(materialsevents.MaterialCreated, []byte(`{"id":1}`)); err == nil {
		t.Error("a payload without its required fields kept the contract")
	}
	if err := validate("charter.materials.material.melted", valid); !errors.Is(err, materialsevents.ErrUnknownType) {
		t.Errorf("an unknown type: %v", err)
	}
	if slow != 2 {
		t.Errorf("%d payloads went the slow way, want the two refused", slow)
	}
}

// Every payload of the event contracts takes the fast way when valid: a
// schema change that loses it (a keyword the fast check does not know)
// makes every checked event cost ten times more, which this says.
func TestEveryPayloadHasAFastCheck(t *testing.T) {
	for _, c := range []struct {
		types  []string
		schema func(string) (*openapi3.Schema, error)
	}{{materialsevents.Types, materialsevents.Schema}, {quotesevents.Types, quotesevents.Schema}} {
		for _, typ := range c.types {
			s, err := c.schema(typ)
			if err != nil {
				t.Fatal(err)
			}
			if contract.FastResponseCheck(s) == nil {
				t.Errorf("%s has no fast check: its schema has a keyword contract.FastResponseCheck does not know", typ)
			}
		}
	}
}
