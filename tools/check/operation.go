package check

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// methods are the HTTP methods an operation can have, in the order
// operations are run and reported.
var methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// operation is one method on one path of the spec, with everything the
// generators and checks need already looked up.
type operation struct {
	id     string
	method string
	path   string
	op     *openapi3.Operation
	route  *routers.Route
	params []*openapi3.Parameter
	// body is the JSON schema of the request body, nil without one.
	body         *openapi3.Schema
	bodyType     string
	bodyRequired bool
	bodyExample  any
	hasExample   bool
	// scopes the operation needs; protected is false when the spec
	// lets a caller in without credentials.
	scopes    []string
	protected bool
	// cache holds the generators, built on first use.
	cache *generators
}

// operations lists the operations of doc in path then method order, so
// that runs and reports are stable.
func operations(doc *openapi3.T) []*operation {
	var out []*operation
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		for _, m := range methods {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := &operation{id: op.OperationID, method: m, path: p, op: op}
			if o.id == "" {
				o.id = m + " " + p
			}
			o.route = &routers.Route{Spec: doc, Path: p, PathItem: item, Method: m, Operation: op}
			o.params = parameters(item, op)
			o.requestBody()
			o.security(doc)
			out = append(out, o)
		}
	}
	return out
}

// parameters merges path-level parameters with the operation's own, the
// operation's winning on the same name and location.
func parameters(item *openapi3.PathItem, op *openapi3.Operation) []*openapi3.Parameter {
	seen := map[string]bool{}
	var out []*openapi3.Parameter
	for _, list := range []openapi3.Parameters{op.Parameters, item.Parameters} {
		for _, ref := range list {
			p := ref.Value
			if p == nil || seen[p.In+" "+p.Name] {
				continue
			}
			seen[p.In+" "+p.Name] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].In+out[i].Name < out[j].In+out[j].Name })
	return out
}

func (o *operation) requestBody() {
	rb := o.op.RequestBody
	if rb == nil || rb.Value == nil {
		return
	}
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
		mt := rb.Value.Content.Get(ct)
		if mt == nil {
			continue
		}
		o.bodyType, o.bodyRequired = ct, rb.Value.Required
		if mt.Schema != nil {
			o.body = mt.Schema.Value
		} else {
			o.body = &openapi3.Schema{}
		}
		o.bodyExample, o.hasExample = mediaExample(mt)
		return
	}
	for ct, mt := range rb.Value.Content {
		if strings.HasSuffix(ct, "+json") && mt.Schema != nil {
			o.bodyType, o.bodyRequired, o.body = ct, rb.Value.Required, mt.Schema.Value
			o.bodyExample, o.hasExample = mediaExample(mt)
			return
		}
	}
}

// security reads the scopes the operation needs from its first security
// requirement (or the document's), the one a client would satisfy.
func (o *operation) security(doc *openapi3.T) {
	reqs := doc.Security
	if o.op.Security != nil {
		reqs = *o.op.Security
	}
	if len(reqs) == 0 {
		return
	}
	o.protected = true
	for _, r := range reqs {
		if len(r) == 0 {
			// An empty requirement lets anonymous callers in.
			o.protected = false
			return
		}
	}
	for name, scopes := range reqs[0] {
		scheme := doc.Components.SecuritySchemes[name]
		if scheme == nil || scheme.Value == nil || !bearer(scheme.Value) {
			// Only bearer credentials are sent; other schemes are
			// not probed.
			o.protected = false
			return
		}
		o.scopes = append(o.scopes, scopes...)
	}
	sort.Strings(o.scopes)
}

func bearer(s *openapi3.SecurityScheme) bool {
	return (s.Type == "http" && strings.EqualFold(s.Scheme, "bearer")) || s.Type == "oauth2" || s.Type == "openIdConnect"
}

// documented returns the response the spec gives for status, falling
// back to the range (2XX) and default responses.
func (o *operation) documented(status int) *openapi3.Response {
	if o.op.Responses == nil {
		return nil
	}
	ref := o.op.Responses.Status(status)
	if ref == nil {
		ref = o.op.Responses.Value(fmt.Sprintf("%dXX", status/100))
	}
	if ref == nil {
		ref = o.op.Responses.Default()
	}
	if ref == nil {
		return nil
	}
	return ref.Value
}

// mediaExample returns the first example of a media type: its example,
// then its named examples, then the schema's.
func mediaExample(mt *openapi3.MediaType) (any, bool) {
	if mt.Example != nil {
		return mt.Example, true
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	if mt.Schema != nil && mt.Schema.Value != nil {
		return schemaExample(mt.Schema.Value)
	}
	return nil, false
}

// schemaExample returns the schema's example, or an object built from the
// examples of its properties when every required one has one.
func schemaExample(s *openapi3.Schema) (any, bool) {
	if s.Example != nil {
		return s.Example, true
	}
	if len(s.Examples) > 0 {
		return s.Examples[0], true
	}
	if len(s.Properties) == 0 {
		return nil, false
	}
	out := map[string]any{}
	for n, p := range s.Properties {
		if p.Value == nil || p.Value.ReadOnly {
			continue
		}
		if v, ok := schemaExample(p.Value); ok {
			out[n] = v
		}
	}
	for _, n := range s.Required {
		if _, ok := out[n]; !ok {
			return nil, false
		}
	}
	return out, true
}

// paramExample returns the example of a parameter, from the parameter or
// its schema.
func paramExample(p *openapi3.Parameter) (any, bool) {
	if p.Example != nil {
		return p.Example, true
	}
	for _, ex := range p.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		return schemaExample(p.Schema.Value)
	}
	return nil, false
}
