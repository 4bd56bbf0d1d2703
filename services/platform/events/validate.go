package events

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/services/platform/contract"
)

// FastValidate returns validate (a generated Validate) with the fast path
// the HTTP contract gives bodies: a payload the fast check of its type's
// schema accepts (contract.FastResponseCheck, which walks the bytes once
// without decoding them) keeps the contract without validate, which
// judges the others, those the fast check is not sure of, and words
// their violations. schema is the generated Schema; a type it has no
// schema of, or whose schema the fast check does not know, always goes
// to validate.
func FastValidate(schema func(eventType string) (*openapi3.Schema, error), validate func(eventType string, data []byte) error) func(eventType string, data []byte) error {
	var fast sync.Map // event type → func([]byte) bool, nil for none
	return func(eventType string, data []byte) error {
		check, ok := fast.Load(eventType)
		if !ok {
			var c func([]byte) bool
			if s, err := schema(eventType); err == nil {
				c = contract.FastResponseCheck(s)
			}
			check, _ = fast.LoadOrStore(eventType, c)
		}
		if c := check.(func([]byte) bool); c != nil && c(data) {
			return nil
		}
		return validate(eventType, data)
	}
}
