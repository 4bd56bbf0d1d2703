package contract

import (
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/services/platform/problem"
)

// requiresIfMatch reports whether op, with the parameters of its path,
// declares the If-Match header required: a write that must name the
// version it read (see package conditional).
func requiresIfMatch(item *openapi3.PathItem, op *openapi3.Operation) bool {
	required := false
	// An operation's parameter overrides its path's of the same name.
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range params {
			if p := ref.Value; p != nil && p.In == openapi3.ParameterInHeader && strings.EqualFold(p.Name, "If-Match") {
				required = p.Required
			}
		}
	}
	return required
}

// preconditionMissing writes 428 (RFC 6585) and returns true when op
// requires If-Match and r has none: the client must read the resource
// and send its ETag back, which is no error in the request's syntax, so
// it is not the 400 of a missing parameter.
func preconditionMissing(w http.ResponseWriter, r *http.Request, op *operation) bool {
	if !op.ifMatchRequired || len(r.Header.Values("If-Match")) > 0 {
		return false
	}
	problem.Write(w, r, problem.New(http.StatusPreconditionRequired,
		"This operation requires If-Match with the ETag of the resource as you read it."))
	return true
}
