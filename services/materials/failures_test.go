package materials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// answerRow is one row of an operation's answers table, seen the same
// way whatever the operation's response type.
type answerRow struct {
	reason  error
	status  int
	pointer string
	// visit answers the failure as the controller does (respond on a
	// story.Failed with the row's reason) and writes the typed response
	// on w.
	visit func(w http.ResponseWriter) error
}

// rowsOf flattens an answers table; visit writes one typed response.
func rowsOf[R any](as answers[R], visit func(R, http.ResponseWriter) error) []answerRow {
	var out []answerRow
	for _, a := range as {
		out = append(out, answerRow{
			reason: a.reason, status: a.status, pointer: a.pointer,
			visit: func(w http.ResponseWriter) error {
				ctx := request.NewContext(context.Background(), &request.Scope{ID: "req-1"})
				err := &story.Failed{Story: "test", Step: "step", Reason: a.reason, Err: fmt.Errorf("wrapped: %w", a.reason)}
				r, rerr := as.respond(ctx, err)
				if rerr != nil {
					return fmt.Errorf("respond returned the error %v instead of an answer", rerr)
				}
				return visit(r, w)
			},
		})
	}
	return out
}

// operations ties each story of an injector to its operation: the
// method and path in the spec, its answers and its declared failures.
type operationUnderTest struct {
	id, method, path string
	failures         []error
	rows             []answerRow
}

func operationsOf(s Stories) []operationUnderTest {
	return []operationUnderTest{
		{"listMaterials", http.MethodGet, "/materials", s.List.Failures(),
			rowsOf(listAnswers, func(r api.ListMaterialsResponseObject, w http.ResponseWriter) error {
				return r.VisitListMaterialsResponse(w)
			})},
		{"createMaterial", http.MethodPost, "/materials", s.Create.Failures(),
			rowsOf(createAnswers, func(r api.CreateMaterialResponseObject, w http.ResponseWriter) error {
				return r.VisitCreateMaterialResponse(w)
			})},
		{"getMaterial", http.MethodGet, "/materials/{material_id}", s.Get.Failures(),
			rowsOf(getAnswers, func(r api.GetMaterialResponseObject, w http.ResponseWriter) error {
				return r.VisitGetMaterialResponse(w)
			})},
		{"updateMaterial", http.MethodPut, "/materials/{material_id}", s.Update.Failures(),
			rowsOf(updateAnswers, func(r api.UpdateMaterialResponseObject, w http.ResponseWriter) error {
				return r.VisitUpdateMaterialResponse(w)
			})},
		{"deleteMaterial", http.MethodDelete, "/materials/{material_id}", s.Delete.Failures(),
			rowsOf(deleteAnswers, func(r api.DeleteMaterialResponseObject, w http.ResponseWriter) error {
				return r.VisitDeleteMaterialResponse(w)
			})},
	}
}

// TestEveryFailureHasOneDocumentedAnswer walks every story of both
// injectors: each declared failure must have exactly one answer, that
// answer must write its status as a problem document, and the spec must
// document that status for the operation. Adding a failure reason to a
// story without a documented answer fails here.
func TestEveryFailureHasOneDocumentedAnswer(t *testing.T) {
	wiring, err := Wire(memory.NewMaterials(), time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	injectors := []struct {
		name    string
		stories Stories
	}{
		{"staff", wiring.Staff},
		{"external", wiring.External},
	}
	walked := 0
	for _, inj := range injectors {
		for _, op := range operationsOf(inj.stories) {
			specOp := specOperation(t, spec, op.method, op.path)
			if len(op.failures) == 0 {
				t.Errorf("%s %s declares no failures; a story that cannot fail is suspicious", inj.name, op.id)
			}
			for _, reason := range op.failures {
				t.Run(fmt.Sprintf("%s/%s/%v", inj.name, op.id, reason), func(t *testing.T) {
					walked++
					var rows []answerRow
					for _, r := range op.rows {
						if r.reason == reason {
							rows = append(rows, r)
						}
					}
					if got, want := len(rows), 1; got != want {
						t.Fatalf("%d answers to %q, want %d", got, reason, want)
					}
					row := rows[0]
					w := httptest.NewRecorder()
					if err := row.visit(w); err != nil {
						t.Fatal(err)
					}
					if got, want := w.Code, row.status; got != want {
						t.Errorf("the response writes status %d, the row says %d", got, want)
					}
					if got, want := w.Header().Get("Content-Type"), "application/problem+json"; got != want {
						t.Errorf("Content-Type = %q, want %q", got, want)
					}
					var p shared.Problem
					if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
						t.Fatalf("not a problem document: %v: %s", err, w.Body)
					}
					if got, want := int(p.Status), row.status; got != want {
						t.Errorf("problem status = %d, want %d", got, want)
					}
					if p.RequestId == nil || *p.RequestId != "req-1" {
						t.Errorf("problem request_id = %v, want the request's", p.RequestId)
					}
					if row.pointer != "" && (p.Errors == nil || len(*p.Errors) != 1 || (*p.Errors)[0].Pointer != row.pointer) {
						t.Errorf("problem errors = %v, want one at %s", p.Errors, row.pointer)
					}
					if specOp.Responses.Status(row.status) == nil {
						t.Errorf("the spec does not document %d for %s", row.status, op.id)
					}
				})
			}
			t.Run(inj.name+"/"+op.id+"/every answer is for a declared failure", func(t *testing.T) {
				for _, r := range op.rows {
					if !slices.Contains(op.failures, r.reason) {
						t.Errorf("an answer to %q, which the story does not declare", r.reason)
					}
				}
			})
		}
	}
	if walked == 0 {
		t.Fatal("no failure was walked")
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
	if _, err := listAnswers.respond(context.Background(), internal); !errors.Is(err, boom) {
		t.Errorf("respond = %v, want the internal error back", err)
	}
	if _, err := getAnswers.respond(context.Background(), boom); !errors.Is(err, boom) {
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
	for _, f := range materials.SortableFields {
		allowed = append(allowed, string(f), "-"+string(f))
	}
	if !slices.Equal(allowed, enum) {
		t.Errorf("sortable fields give %q, the spec's enum is %q", allowed, enum)
	}

	t.Run("every value of the enum parses to its field and direction", func(t *testing.T) {
		for _, v := range enum {
			o, err := materials.ParseOrdering(v)
			if err != nil {
				t.Errorf("ParseOrdering(%q): %v", v, err)
				continue
			}
			desc := v[0] == '-'
			field := v
			if desc {
				field = v[1:]
			}
			if got, want := o, (materials.Order{By: materials.Field(field), Descending: desc}); got != want {
				t.Errorf("ParseOrdering(%q) = %+v, want %+v", v, got, want)
			}
		}
	})
	t.Run("the default ordering is the spec's default", func(t *testing.T) {
		def, ok := ref.Value.Default.(string)
		if !ok {
			t.Fatalf("MaterialOrdering's default is %v", ref.Value.Default)
		}
		want, err := materials.ParseOrdering(def)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := materials.ParseOrdering(""); err != nil || got != want {
			t.Errorf(`ParseOrdering("") = %+v, %v; want %+v, the spec's default %q`, got, err, want, def)
		}
	})
	t.Run("anything else is refused", func(t *testing.T) {
		for _, v := range []string{"-", "--id", "company_id", "is_active", "updated_at", "Name", "name ", "name;DROP TABLE materials", "name DESC", "+name"} {
			if slices.Contains(enum, v) {
				t.Fatalf("%q is in the enum", v)
			}
			if _, err := materials.ParseOrdering(v); !errors.Is(err, materials.ErrInvalidOrdering) {
				t.Errorf("ParseOrdering(%q) = %v, want ErrInvalidOrdering", v, err)
			}
		}
	})
}

// specOperation returns the spec's operation at method and path.
func specOperation(t *testing.T, spec *openapi3.T, method, path string) *openapi3.Operation {
	t.Helper()
	item := spec.Paths.Find(path)
	if item == nil {
		t.Fatalf("the spec has no path %s", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("the spec has no %s %s", method, path)
	}
	if op.Responses == nil || op.Responses.Len() == 0 {
		t.Fatalf("%s %s documents no responses", method, path)
	}
	for code := range op.Responses.Map() {
		if _, err := strconv.Atoi(code); err != nil {
			t.Fatalf("%s %s: response %q is not a status code", method, path, code)
		}
	}
	return op
}
