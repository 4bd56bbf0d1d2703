package diff

import (
	"fmt"
	"slices"
)

// How a parameter's value is written on the wire: its style and explode
// (OpenAPI 3, "Style Values"), or the media type of its content. A client
// generated from the old document writes ?tags=a&tags=b; if the server now
// expects ?tags=a,b it reads one tag "a&tags=b" or rejects the request, so
// any change of the effective serialization breaks clients. What only
// spells out a default (style: form on a query parameter) changes nothing,
// and neither does explode, or a style that differs only for arrays and
// objects, when the value is a single primitive on either side: one value
// is written alike whatever explode says, and an old client of a primitive
// parameter never sends more than one.

// serialization is the effective serialization of a parameter, as text for
// comparison and messages; single says the value is one primitive.
func serialization(p *parameter, single bool) string {
	if p.mediaType != "" {
		return "content " + p.mediaType
	}
	style := p.style
	if style == "" {
		style = defaultStyle(p.in)
	}
	if single {
		// form, spaceDelimited and pipeDelimited write one value alike.
		if style == "spaceDelimited" || style == "pipeDelimited" {
			style = "form"
		}
		return "style " + style
	}
	explode := style == "form"
	if p.explode != nil {
		explode = *p.explode
	}
	if explode {
		return "style " + style + ", exploded"
	}
	return "style " + style
}

// defaultStyle is the style of a parameter that declares none.
func defaultStyle(in string) string {
	if in == "query" || in == "cookie" {
		return "form"
	}
	return "simple"
}

// isPrimitive reports whether a schema's values are single strings,
// numbers or booleans; a schema that says nothing of its type may be an
// array or an object.
func isPrimitive(s *schema) bool {
	if s == nil {
		return false
	}
	var types []string
	for _, t := range s.types {
		if t != "null" {
			types = append(types, t)
		}
	}
	return len(types) > 0 && !slices.Contains(types, "array") && !slices.Contains(types, "object")
}

// serializationChanges compares how two versions of a parameter are
// written; fromAPI says the API writes it (a callback or webhook request)
// and the client reads it. allowReserved lets a query value carry reserved
// characters (/?#[]@!$&'()*+,;=) unencoded: when the client writes the
// value, allowing it is harmless, as an encoded value still decodes, but
// forbidding it breaks clients that sent "a&b" as is; when the API writes
// it, the reverse.
func (c *comparer) serializationChanges(label, what string, fromAPI bool, o, n param) {
	single := isPrimitive(o.p.schema.s) || isPrimitive(n.p.schema.s)
	if os, ns := serialization(o.p, single), serialization(n.p, single); os != ns {
		c.add(label, RuleParameterSerializationChanged, n.ptr, os, ns,
			what+" serialization changed from "+os+" to "+ns+": old clients write the value another way")
	}
	if n.p.in != "query" || o.p.allowReserved == n.p.allowReserved {
		return
	}
	old, new := fmt.Sprint(o.p.allowReserved), fmt.Sprint(n.p.allowReserved)
	switch {
	case fromAPI && n.p.allowReserved:
		c.add(label, RuleParameterSerializationChanged, n.ptr+"/allowReserved", old, new,
			what+" may now carry reserved characters unencoded: clients that decode it may split it")
	case fromAPI:
		c.add(label, RuleResponseNarrowed, n.ptr+"/allowReserved", old, new,
			what+" no longer carries reserved characters unencoded")
	case n.p.allowReserved:
		c.add(label, RuleRequestWidened, n.ptr+"/allowReserved", old, new,
			what+" now accepts reserved characters unencoded")
	default:
		c.add(label, RuleParameterSerializationChanged, n.ptr+"/allowReserved", old, new,
			what+" no longer accepts reserved characters unencoded: old clients send them as is")
	}
}
