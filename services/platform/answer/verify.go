package answer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/story"
)

// Checkable is a Table seen the same way whatever its response type.
type Checkable interface {
	rows() []row
}

type row struct {
	reason  error
	status  int
	pointer string
	write   func(w http.ResponseWriter) error
}

// rows answers each row's failure as a controller does and writes the
// typed response through its generated Visit method.
func (t Table[R]) rows() []row {
	var out []row
	for _, a := range t {
		out = append(out, row{
			reason: a.Reason, status: a.Status, pointer: a.Pointer,
			write: func(w http.ResponseWriter) error {
				ctx := request.NewContext(context.Background(), &request.Scope{ID: "req-1"})
				err := &story.Failed{Story: "test", Step: "step", Reason: a.Reason, Err: fmt.Errorf("wrapped: %w", a.Reason)}
				r, rerr := t.Respond(ctx, err)
				if rerr != nil {
					return fmt.Errorf("respond returned the error %v instead of an answer", rerr)
				}
				return visit(r, w)
			},
		})
	}
	return out
}

// visit calls the one Visit…Response method of a generated response.
func visit(r any, w http.ResponseWriter) error {
	v := reflect.ValueOf(r)
	if !v.IsValid() {
		return fmt.Errorf("the answer is nil")
	}
	for i := range v.NumMethod() {
		name := v.Type().Method(i).Name
		if strings.HasPrefix(name, "Visit") && strings.HasSuffix(name, "Response") {
			out := v.Method(i).Call([]reflect.Value{reflect.ValueOf(w)})
			if err, _ := out[0].Interface().(error); err != nil {
				return err
			}
			return nil
		}
	}
	return fmt.Errorf("%T has no Visit…Response method", r)
}

// Failing is what can fail: a story's declared failures.
type Failing interface{ Failures() []error }

// Verify checks a service's answers against its spec. stories is a struct
// of wired stories (pointer or value) whose fields carry the operation
// they serve in an `operation:"<operationId>"` tag; tables holds each
// operation's Table by operationId. Every operation of the spec must have
// a story and a table; every declared failure of the story exactly one
// row, which writes a problem document with its status, and the spec must
// document that status; every row must answer a declared failure; every
// operation must document 500 and 503, which the platform answers for
// internal errors. It
// returns one error per defect, so that an operation added to the spec
// without its answers fails rather than being skipped.
func Verify(spec *openapi3.T, stories any, tables map[string]Checkable) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	byOp := storiesByOperation(stories)
	seen := map[string]bool{}
	for _, path := range spec.Paths.InMatchingOrder() {
		for method, op := range spec.Paths.Value(path).Operations() {
			id := op.OperationID
			seen[id] = true
			// The platform may answer any operation 500 (an internal
			// error) or 503 (one that wraps an unavailable dependency,
			// contract.ResponseError): each must be documented.
			for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable} {
				if op.Responses == nil || op.Responses.Status(status) == nil {
					fail("%s %s (%s) does not document %d", method, path, id, status)
				}
			}
			s, ok := byOp[id]
			if !ok {
				fail("%s: no story is tagged operation:%q", id, id)
				continue
			}
			t, ok := tables[id]
			if !ok {
				fail("%s: no answers table", id)
				continue
			}
			rows := t.rows()
			failures := s.Failures()
			if len(failures) == 0 {
				fail("%s declares no failures; a story that cannot fail is suspicious", id)
			}
			for _, reason := range failures {
				var matching []row
				for _, r := range rows {
					if r.reason == reason {
						matching = append(matching, r)
					}
				}
				if len(matching) != 1 {
					fail("%s: %d answers to %q, want 1", id, len(matching), reason)
					continue
				}
				if err := checkRow(op, matching[0]); err != nil {
					fail("%s: %q: %v", id, reason, err)
				}
			}
			for _, r := range rows {
				if !slices.Contains(failures, r.reason) {
					fail("%s: an answer to %q, which the story does not declare", id, r.reason)
				}
			}
		}
	}
	for id := range tables {
		if !seen[id] {
			fail("an answers table for %s, which the spec does not have", id)
		}
	}
	for id := range byOp {
		if !seen[id] {
			fail("a story tagged operation:%q, which the spec does not have", id)
		}
	}
	return errs
}

func checkRow(op *openapi3.Operation, r row) error {
	w := httptest.NewRecorder()
	if err := r.write(w); err != nil {
		return err
	}
	if w.Code != r.status {
		return fmt.Errorf("the response writes status %d, the row says %d", w.Code, r.status)
	}
	if got := w.Header().Get("Content-Type"); got != "application/problem+json" {
		return fmt.Errorf("Content-Type = %q, want application/problem+json", got)
	}
	var p shared.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		return fmt.Errorf("not a problem document: %v: %s", err, w.Body)
	}
	if int(p.Status) != r.status {
		return fmt.Errorf("problem status = %d, want %d", p.Status, r.status)
	}
	if p.RequestId == nil || *p.RequestId != "req-1" {
		return fmt.Errorf("problem request_id = %v, want the request's", p.RequestId)
	}
	if r.pointer != "" && (p.Errors == nil || len(*p.Errors) != 1 || (*p.Errors)[0].Pointer != r.pointer) {
		return fmt.Errorf("problem errors = %v, want one at %s", p.Errors, r.pointer)
	}
	if op.Responses.Status(r.status) == nil {
		return fmt.Errorf("the spec does not document %d", r.status)
	}
	return nil
}

// storiesByOperation reads the operation tags of a struct of stories.
func storiesByOperation(stories any) map[string]Failing {
	v := reflect.Indirect(reflect.ValueOf(stories))
	out := map[string]Failing{}
	for i := range v.NumField() {
		id := v.Type().Field(i).Tag.Get("operation")
		if id == "" {
			continue
		}
		for _, one := range strings.Split(id, ",") {
			if f, ok := v.Field(i).Interface().(Failing); ok {
				out[one] = f
			}
		}
	}
	return out
}
