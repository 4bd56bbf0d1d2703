package materials

import (
	"context"
	"strconv"

	"github.com/charterhq/charter/stories/story"
)

// The events the material stories record, named as the materials event
// contract (api/events/materials.yaml) names them: the service's wiring
// checks that they are the contract's, and gives each its payload as the
// contract has it.
const (
	// EventCreated: a material was created; its data is the Material.
	EventCreated = "charter.materials.material.created"
	// EventUpdated: a material was changed; its data is the Material as
	// it is after the change.
	EventUpdated = "charter.materials.material.updated"
	// EventDeleted: a material was deleted; its data is a Deleted.
	EventDeleted = "charter.materials.material.deleted"
)

// Deleted is the data of an EventDeleted: which material was deleted.
type Deleted struct {
	ID        int64
	CompanyID int64
}

// record records one event about material id through events, in the
// running story's transaction.
func record(ctx context.Context, events story.Events, eventType string, id int64, data any) error {
	return events.Record(ctx, story.Event{Type: eventType, Subject: strconv.FormatInt(id, 10), Data: data})
}
