package materials

import (
	"fmt"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// Events returns what the material stories record their events through:
// next (the service's outbox), each event's payload made from the
// story's data as api/events/materials.yaml has it, a created or updated
// material as getMaterial answers it, and checked against the contract
// as check says (every one in development and tests).
func Events(next story.Events, check events.PayloadCheck) story.Events {
	return events.Payloads(next, payload, validate, check)
}

// validate checks a payload against the contract, the fast way where it
// can (events.FastValidate).
var validate = events.FastValidate(materialsevents.Schema, materialsevents.Validate)

// payload is the contract's payload of e.
func payload(e story.Event) (any, error) {
	switch data := e.Data.(type) {
	case domain.Material:
		if e.Type == domain.EventCreated || e.Type == domain.EventUpdated {
			return toAPI(data), nil
		}
	case domain.Deleted:
		if e.Type == domain.EventDeleted {
			return materialsevents.MaterialDeletedData{Id: data.ID, CompanyId: data.CompanyID}, nil
		}
	}
	return nil, fmt.Errorf("no payload for %T", e.Data)
}
