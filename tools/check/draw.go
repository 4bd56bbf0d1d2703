package check

import (
	"strings"

	"github.com/charterhq/charter/tools/check/gen"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// generators caches the generators of an operation: building one compiles
// regexps, which would otherwise happen on every case.
type generators struct {
	params map[*openapi3.Parameter]*rapid.Generator[any]
	body   *rapid.Generator[any]
	bad    []badInput
}

func (o *operation) gens() *generators {
	if o.cache != nil {
		return o.cache
	}
	g := &generators{params: map[*openapi3.Parameter]*rapid.Generator[any]{}}
	for _, p := range o.params {
		s := paramSchema(p)
		if p.In == openapi3.ParameterInPath && s.Type.Is(openapi3.TypeString) && s.MinLength == 0 {
			// An empty path segment routes to another path: the
			// request would never reach the operation.
			nonEmpty := *s
			nonEmpty.MinLength = 1
			s = &nonEmpty
		}
		g.params[p] = alphabet(p).Value(s)
		if p.In == openapi3.ParameterInQuery && p.AllowEmptyValue && !gen.Valid(s, "") {
			// An empty value is valid here though the schema refuses
			// "": it says the parameter is unused.
			g.params[p] = rapid.OneOf(g.params[p], rapid.Just[any](""))
		}
		if p.In == openapi3.ParameterInPath {
			// Dot segments are resolved away by clients, and most
			// routers decode %2F before they match: such values never
			// reach the operation, whatever the API does.
			g.params[p] = g.params[p].Filter(func(v any) bool {
				s, ok := v.(string)
				return !ok || (s != "." && s != ".." && !strings.Contains(s, "/"))
			})
		}
	}
	if o.body != nil {
		g.body = gen.Value(o.body)
	}
	g.bad = o.badInputs()
	o.cache = g
	return g
}

// alphabet returns what the free text of p's values is drawn from: a
// header carries visible ASCII, which every client sends as it is; other
// parameters and bodies carry any text the platform's text rules allow.
func alphabet(p *openapi3.Parameter) gen.Alphabet {
	if p.In == openapi3.ParameterInHeader {
		return gen.Header
	}
	return gen.Text
}

func paramSchema(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema != nil && p.Schema.Value != nil {
		return p.Schema.Value
	}
	for _, mt := range p.Content {
		if mt.Schema != nil && mt.Schema.Value != nil {
			return mt.Schema.Value
		}
	}
	return &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}
}

// draw draws a valid request: every required parameter, each optional
// one or not, and the body. fixed overrides drawn path parameters, for
// ids that earlier responses returned.
func (o *operation) draw(t *rapid.T, fixed map[string]string) *values {
	g := o.gens()
	v := newValues()
	for _, p := range o.params {
		if id, ok := fixed[p.Name]; ok && p.In == openapi3.ParameterInPath {
			v.path[p.Name] = id
			continue
		}
		if !p.Required && !rapid.Bool().Draw(t, "has "+p.In+" "+p.Name) {
			continue
		}
		m := v.at(p.In)
		if m == nil {
			continue // cookie parameters are not sent
		}
		if p.In == openapi3.ParameterInHeader && isIdempotencyKey(p.Name) {
			m[p.Name] = freshIdempotencyKey()
			continue
		}
		m[p.Name] = g.params[p].Draw(t, p.In+" "+p.Name)
	}
	if g.body != nil && (o.bodyRequired || rapid.Bool().Draw(t, "has body")) {
		v.body, v.hasBody = g.body.Draw(t, "body"), true
	}
	return v
}

// example builds the request of the spec's examples, or reports false when
// a required part has no example.
func (o *operation) example() (*values, bool) {
	v := newValues()
	any := false
	for _, p := range o.params {
		ex, ok := paramExample(p)
		if !ok {
			if p.Required {
				return nil, false
			}
			continue
		}
		if m := v.at(p.In); m != nil {
			m[p.Name], any = ex, true
		}
	}
	if o.body != nil {
		if !o.hasExample {
			if o.bodyRequired {
				return nil, false
			}
		} else {
			v.body, v.hasBody, any = o.bodyExample, true, true
		}
	}
	return v, any
}
