package contract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/problem"
)

// Violation is a response that broke its operation's contract, as
// ValidateResponses logs it and hands it to ResponseCheck.OnViolation.
type Violation struct {
	// Operation is the operation ID.
	Operation string
	// Status is the status the handler sent.
	Status int
	// Reason says what broke: "status 418 is not documented", or
	// kin-openapi's reason, such as a missing required header, an
	// undocumented content type or a body that does not match its schema.
	Reason string
	// Fields lists the invalid values of the body or of a header, each
	// with a JSON pointer into it ("#/name") and why it is invalid.
	Fields []problem.FieldError
	// Err is kin-openapi's error. Its text includes the schema and the
	// offending value, so it is not logged: the value may be personal
	// data.
	Err error
}

// newViolation words kin-openapi's err about a response of op.
func newViolation(op *operation, status int, err error) *Violation {
	v := &Violation{Operation: op.id, Status: status, Err: err}
	responses := op.route.Operation.Responses
	var re *openapi3filter.ResponseError
	var se *openapi3.SchemaError
	switch {
	case responses.Status(status) == nil && responses.Default() == nil:
		// Worded here rather than taken from kin-openapi, whose reason
		// does not say which status.
		v.Reason = fmt.Sprintf("status %d is not documented", status)
	case errors.As(err, &re):
		v.Reason = re.Reason
		if re.Err != nil && errors.As(re.Err, &se) {
			v.Fields = appendFieldErrors(nil, "#", re.Err)
		}
	default:
		v.Reason = "the response does not match the contract"
	}
	return v
}

// Error says which operation's response broke the contract and how.
func (v *Violation) Error() string {
	return fmt.Sprintf("contract: response %d of %s: %s", v.Status, v.Operation, v.describe())
}

// Unwrap returns kin-openapi's error.
func (v *Violation) Unwrap() error { return v.Err }

// maxDescribed bounds the fields describe names: a page of twenty items
// with the same fault is one fault, and a log line or a problem detail
// naming all of them reads worse, not better.
const maxDescribed = 5

// describe is the reason and the invalid fields in one line, without any
// value of the response.
func (v *Violation) describe() string {
	var b strings.Builder
	b.WriteString(v.Reason)
	for i, f := range v.Fields {
		if i == maxDescribed {
			fmt.Fprintf(&b, "; and %d more", len(v.Fields)-i)
			break
		}
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		if f.Pointer != "#" {
			b.WriteString(f.Pointer)
			b.WriteString(": ")
		}
		b.WriteString(f.Detail)
	}
	if len(v.Fields) > 0 {
		b.WriteByte(')')
	}
	return b.String()
}

// cause is the error under kin-openapi's reason when it is not a schema
// error, such as the JSON decoder's for a body that is not JSON: a
// developer needs it, and it carries no value of the response.
func (v *Violation) cause() error {
	var re *openapi3filter.ResponseError
	if !errors.As(v.Err, &re) || re.Err == nil || v.Fields != nil {
		return nil
	}
	return re.Err
}
