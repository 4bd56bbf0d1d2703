package quotes

import (
	"context"
	"errors"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

func noMaterials(context.Context, []int64) (map[int64]domain.PricedMaterial, error) {
	return nil, nil
}

// TestEveryFailureHasOneDocumentedAnswer walks the operations of the
// spec: each must have a story of both injectors and an answers table,
// each declared failure exactly one answer whose status the spec
// documents. An operation added to the spec without them fails here.
func TestEveryFailureHasOneDocumentedAnswer(t *testing.T) {
	wiring, err := Wire(Parts{Repository: memory.NewQuotes(), Copies: memory.NewMaterialCopies(), Materials: noMaterials, Events: memory.NewOutbox(), Checks: events.PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}}, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	for name, stories := range map[string]Stories{"staff": wiring.Staff, "external": wiring.External} {
		t.Run(name, func(t *testing.T) {
			for _, err := range answer.Verify(spec, stories, answerTables) {
				t.Error(err)
			}
		})
	}
}

// TestInternalErrorsAreNotAnswered checks that an error with no declared
// reason is handed back, for the strict handler to answer 500.
func TestInternalErrorsAreNotAnswered(t *testing.T) {
	boom := errors.New("disk on fire")
	if _, err := submitAnswers.Respond(context.Background(), &story.Failed{Story: "s", Step: "p", Err: boom}); !errors.Is(err, boom) {
		t.Errorf("respond = %v, want the internal error back", err)
	}
	if _, err := getAnswers.Respond(context.Background(), boom); !errors.Is(err, boom) {
		t.Errorf("respond = %v, want the plain error back", err)
	}
}
