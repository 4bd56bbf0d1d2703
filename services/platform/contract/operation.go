package contract

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// operation is one operation of the spec, with everything the middleware
// needs prepared at start.
type operation struct {
	id     string
	method string

	// secured is false when the operation allows anonymous callers.
	secured bool
	// anyOf lists the alternative scope sets of the security
	// requirement; a caller needs every scope of one of them.
	anyOf [][]string

	// params is true when the operation has parameters to validate.
	params bool
	// query is true when it has query parameters.
	query bool
	// primitives are its parameters when every one is a primitive in the
	// default style, validated without openapi3filter; nil otherwise.
	primitives []param
	// syntax are its primitive parameters, whether or not every one is:
	// the ones whose spelling paramSyntaxErrors checks when openapi3filter
	// validates the operation's parameters.
	syntax []param
	// pathParams are the names of its path parameters.
	pathParams []string
	// paramIn maps a parameter's name to its location, to point at
	// parameters that the generated binding refused.
	paramIn map[string]string

	// body is nil when the operation takes no request body.
	body *openapi3.RequestBody
	// media are the media types the body may have, in the spec's order.
	media []mediaType
	// accepts lists media for the 415 problem.
	accepts string

	// route is handed to openapi3filter; its operation is a copy without
	// security requirements, which the middleware enforces itself.
	route *routers.Route

	// ifMatchRequired is true when the spec declares If-Match required:
	// a request without it is answered 428, not 400.
	ifMatchRequired bool
}

// mediaType is one media type an operation's body accepts.
type mediaType struct {
	name   string // as written in the spec, lower case
	json   bool   // decoded and validated by the middleware itself
	schema *openapi3.Schema
	// check is schema compiled for the raw bytes of a JSON body; nil
	// when the schema uses a keyword it does not know.
	check *bodyCheck
	// walk finds the errors of a JSON body check was not sure of.
	walk *bodyWalk
}

// pathOps are the operations of one path, by method. A path has few
// methods, so a scan beats a map.
type pathOps struct {
	ops []*operation
}

func (p *pathOps) find(method string) *operation {
	for _, op := range p.ops {
		if op.method == method {
			return op
		}
	}
	return nil
}

// prepare builds the operation table of spec.
func (c *Contract) prepare(spec *openapi3.T, baseURL string) error {
	if spec.Paths == nil {
		return nil
	}
	for path, item := range spec.Paths.Map() {
		pattern := baseURL + path
		p := &pathOps{}
		for method, op := range item.Operations() {
			prepared, err := c.prepareOperation(spec, path, item, method, op)
			if err != nil {
				return fmt.Errorf("contract: %s %s: %w", method, path, err)
			}
			p.ops = append(p.ops, prepared)
		}
		c.paths[pattern] = p
	}
	return nil
}

func (c *Contract) prepareOperation(spec *openapi3.T, path string, item *openapi3.PathItem, method string, op *openapi3.Operation) (*operation, error) {
	o := &operation{id: op.OperationID, method: strings.ToUpper(method), paramIn: map[string]string{}}
	o.ifMatchRequired = requiresIfMatch(item, op)

	security := spec.Security
	if op.Security != nil {
		security = *op.Security
	}
	if err := o.prepareSecurity(spec, security); err != nil {
		return nil, err
	}
	if o.secured && c.verify == nil {
		return nil, fmt.Errorf("operation is secured but Options.Verify is nil")
	}

	allPrimitive := true
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range params {
			p := ref.Value
			if p == nil {
				continue
			}
			if _, seen := o.paramIn[p.Name]; seen {
				// An operation's parameter overrides its path's.
				allPrimitive = false
			}
			if prim, ok := primitiveParam(p); ok {
				o.primitives = append(o.primitives, prim)
				o.syntax = withParam(o.syntax, prim)
			} else {
				allPrimitive = false
			}
			o.params = true
			o.query = o.query || p.In == openapi3.ParameterInQuery
			if _, seen := o.paramIn[p.Name]; !seen && p.In == openapi3.ParameterInPath {
				o.pathParams = append(o.pathParams, p.Name)
			}
			o.paramIn[p.Name] = p.In
		}
	}

	if !allPrimitive {
		o.primitives = nil
	}

	if op.RequestBody != nil && op.RequestBody.Value != nil {
		o.body = op.RequestBody.Value
		var names []string
		for name, mt := range o.body.Content {
			m := mediaType{name: strings.ToLower(name)}
			if mt != nil && mt.Schema != nil {
				m.schema = mt.Schema.Value
			}
			m.json = isJSON(m.name)
			if m.json && m.schema != nil {
				m.check = compileBody(m.schema)
				m.walk = compileWalk(m.schema)
			}
			o.media = append(o.media, m)
			names = append(names, name)
		}
		o.accepts = strings.Join(names, ", ")
	}

	unsecured := *op
	unsecured.Security = &openapi3.SecurityRequirements{}
	o.route = &routers.Route{
		Spec:      spec,
		Path:      path,
		PathItem:  item,
		Method:    o.method,
		Operation: &unsecured,
	}
	return o, nil
}

// prepareSecurity reads the operation's security requirement: a list of
// alternatives, each naming schemes and the scopes they need.
func (o *operation) prepareSecurity(spec *openapi3.T, security openapi3.SecurityRequirements) error {
	if len(security) == 0 {
		return nil
	}
	o.secured = true
	for _, alt := range security {
		if len(alt) == 0 {
			// An empty alternative ({}) makes authentication optional.
			o.secured = false
			o.anyOf = nil
			return nil
		}
		var scopes []string
		for name, s := range alt {
			ref := spec.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				return fmt.Errorf("unknown security scheme %q", name)
			}
			if ref.Value.Type != "http" || !strings.EqualFold(ref.Value.Scheme, "bearer") {
				return fmt.Errorf("security scheme %q is not an HTTP bearer scheme", name)
			}
			scopes = append(scopes, s...)
		}
		o.anyOf = append(o.anyOf, scopes)
	}
	return nil
}

// isJSON reports whether a media type is JSON, which the middleware
// decodes and validates itself.
func isJSON(name string) bool {
	return name == "application/json" || strings.HasSuffix(name, "+json")
}

// accepted returns the media type of o's body that matches a request's
// Content-Type header, ignoring parameters such as charset.
func (o *operation) accepted(contentType string) (*mediaType, bool) {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	if mt == "" {
		return nil, false
	}
	for i := range o.media {
		m := &o.media[i]
		if strings.EqualFold(m.name, mt) || wildcardMatch(m.name, mt) {
			return m, true
		}
	}
	return nil, false
}

// wildcardMatch matches a spec's "type/*" or "*/*" against a media type.
func wildcardMatch(pattern, mt string) bool {
	if pattern == "*/*" {
		return true
	}
	prefix, ok := strings.CutSuffix(pattern, "/*")
	if !ok {
		return false
	}
	typ, _, _ := strings.Cut(mt, "/")
	return strings.EqualFold(prefix, typ)
}
