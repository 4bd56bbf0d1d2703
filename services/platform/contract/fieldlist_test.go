package contract

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/services/platform/problem"
)

// probeError counts how often the conversion of kin-openapi's errors
// looks at it.
type probeError struct{ looks *int }

func (e probeError) Error() string { *e.looks++; return "probe" }
func (e probeError) As(any) bool   { *e.looks++; return false }
func (e probeError) Unwrap() error { *e.looks++; return nil }

// unsupported is kin-openapi's error for an unknown property.
func unsupported(name string) error {
	return &openapi3.SchemaError{SchemaField: "properties", Reason: fmt.Sprintf("property %q is unsupported", name)}
}

func TestFieldListCollect(t *testing.T) {
	// kin-openapi's answer to a body of MaxFieldErrors+1 unknown
	// properties and then many more errors, which the list must never
	// look at: its work is bounded by the cap, not by the body.
	errs := func(looks *int, rest int) openapi3.MultiError {
		var me openapi3.MultiError
		for i := range MaxFieldErrors + 1 {
			me = append(me, unsupported(fmt.Sprintf("k%02d", i)))
		}
		for range rest {
			me = append(me, probeError{looks})
		}
		return me
	}
	t.Run("stops at the first field past the cap", func(t *testing.T) {
		var looks int
		var l fieldList
		l.collect(context.Background(), "#", errs(&looks, 10000))
		if looks != 0 {
			t.Errorf("looked %d times at errors past the cap", looks)
		}
		if got := len(l.fields); got != MaxFieldErrors {
			t.Errorf("%d fields, want %d", got, MaxFieldErrors)
		}
		if !l.full() {
			t.Error("the list does not know it left fields out")
		}
		if got, want := l.fields[0], (problem.FieldError{Pointer: "#/k00", Detail: `property "k00" is unsupported`}); got != want {
			t.Errorf("first = %+v, want %+v", got, want)
		}
	})
	t.Run("stops when the context ends", func(t *testing.T) {
		var looks int
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var l fieldList
		l.collect(ctx, "#", openapi3.MultiError{probeError{&looks}, probeError{&looks}})
		if len(l.fields) != 0 {
			t.Errorf("collected %v after the context ended", l.fields)
		}
		if looks > 1 {
			t.Errorf("looked %d times at errors after the context ended", looks)
		}
	})
	t.Run("joins the reasons of one pointer, within bounds", func(t *testing.T) {
		var l fieldList
		l.add(problem.FieldError{Pointer: "#/n", Detail: "must be more than 0"})
		l.add(problem.FieldError{Pointer: "#/n", Detail: "must be at least 0"})
		l.add(problem.FieldError{Pointer: "#/n", Detail: "must be at least 0"})
		if got, want := l.fields[0].Detail, "must be more than 0; must be at least 0"; got != want {
			t.Errorf("detail = %q, want %q", got, want)
		}
		for i := range 1000 {
			l.add(problem.FieldError{Pointer: "#/n", Detail: fmt.Sprintf("reason %d", i)})
		}
		if got := len(l.fields[0].Detail); got > maxFieldDetail+len("; reason 999") {
			t.Errorf("one field's detail grew to %d bytes", got)
		}
		if len(l.fields) != 1 || l.full() {
			t.Errorf("reasons of one pointer took %d entries", len(l.fields))
		}
	})
	t.Run("appendFieldErrors still lists every field, for the responses", func(t *testing.T) {
		var me openapi3.MultiError
		for i := range 3 * MaxFieldErrors {
			me = append(me, unsupported(fmt.Sprintf("k%02d", i)))
		}
		if got := appendFieldErrors(nil, "#", me); len(got) != 3*MaxFieldErrors || !strings.HasSuffix(got[len(got)-1].Pointer, "k59") {
			t.Errorf("appendFieldErrors gave %d fields", len(got))
		}
	})
}
