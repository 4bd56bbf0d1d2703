package materials

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestEveryFailureHasOneDocumentedAnswer walks the operations of the
// spec: each must have a story of both injectors and an answers table,
// each declared failure exactly one answer whose status the spec
// documents. An operation added to the spec without them fails here.
func TestEveryFailureHasOneDocumentedAnswer(t *testing.T) {
	wiring, err := Wire(memory.NewMaterials(), memory.NewOutbox(), events.PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}}, time.Now, nil)
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
// reason is handed back, for the strict handler to answer 500, and that
// the spec documents 500 for every operation.
func TestInternalErrorsAreNotAnswered(t *testing.T) {
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	internal := &story.Failed{Story: "test", Step: "step", Err: boom}
	if _, err := listAnswers.Respond(context.Background(), internal); !errors.Is(err, boom) {
		t.Errorf("respond = %v, want the internal error back", err)
	}
	if _, err := getAnswers.Respond(context.Background(), boom); !errors.Is(err, boom) {
		t.Errorf("respond = %v, want the plain error back", err)
	}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Status(http.StatusInternalServerError) == nil {
				t.Errorf("%s %s does not document 500", method, path)
			}
		}
	}
}

// TestOrderingsMatchTheSpec checks that the orderings the stories accept
// are exactly the spec's MaterialOrdering enum, in order, and that the
// default is the same on both sides.
func TestOrderingsMatchTheSpec(t *testing.T) {
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	ref := spec.Components.Schemas["MaterialOrdering"]
	if ref == nil || ref.Value == nil {
		t.Fatal("the spec has no MaterialOrdering schema")
	}
	var enum []string
	for _, v := range ref.Value.Enum {
		s, ok := v.(string)
		if !ok {
			t.Fatalf("MaterialOrdering holds %v, not a string", v)
		}
		enum = append(enum, s)
	}
	var allowed []string
	for _, f := range domain.SortableFields {
		allowed = append(allowed, string(f), "-"+string(f))
	}
	if !slices.Equal(allowed, enum) {
		t.Errorf("sortable fields give %q, the spec's enum is %q", allowed, enum)
	}

	t.Run("every value of the enum parses to its field and direction", func(t *testing.T) {
		for _, v := range enum {
			o, err := domain.ParseOrdering(v)
			if err != nil {
				t.Errorf("ParseOrdering(%q): %v", v, err)
				continue
			}
			desc := v[0] == '-'
			field := v
			if desc {
				field = v[1:]
			}
			if got, want := o, (domain.Order{By: domain.Field(field), Descending: desc}); got != want {
				t.Errorf("ParseOrdering(%q) = %+v, want %+v", v, got, want)
			}
		}
	})
	t.Run("the default ordering is the spec's default", func(t *testing.T) {
		def, ok := ref.Value.Default.(string)
		if !ok {
			t.Fatalf("MaterialOrdering's default is %v", ref.Value.Default)
		}
		want, err := domain.ParseOrdering(def)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := domain.ParseOrdering(""); err != nil || got != want {
			t.Errorf(`ParseOrdering("") = %+v, %v; want %+v, the spec's default %q`, got, err, want, def)
		}
	})
	t.Run("anything else is refused", func(t *testing.T) {
		for _, v := range []string{"-", "--id", "company_id", "is_active", "updated_at", "Name", "name ", "name;DROP TABLE materials", "name DESC", "+name"} {
			if slices.Contains(enum, v) {
				t.Fatalf("%q is in the enum", v)
			}
			if _, err := domain.ParseOrdering(v); !errors.Is(err, domain.ErrInvalidOrdering) {
				t.Errorf("ParseOrdering(%q) = %v, want ErrInvalidOrdering", v, err)
			}
		}
	})
}
