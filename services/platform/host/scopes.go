package host

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Scopes returns every scope the operations of spec require, in the order
// they first appear: what a token for every operation must grant.
func Scopes(spec *openapi3.T) []string {
	var out []string
	add := func(reqs *openapi3.SecurityRequirements) {
		if reqs == nil {
			return
		}
		for _, req := range *reqs {
			for _, scopes := range req {
				for _, s := range scopes {
					if !slices.Contains(out, s) {
						out = append(out, s)
					}
				}
			}
		}
	}
	add(&spec.Security)
	for _, path := range spec.Paths.InMatchingOrder() {
		for _, op := range spec.Paths.Value(path).Operations() {
			add(op.Security)
		}
	}
	return out
}
