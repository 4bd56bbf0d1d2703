package diff

import (
	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/utils"
)

// schemaRef reads the schema at n, following its $ref. As in libopenapi's
// model (sibling $ref transformation off), a $ref replaces its siblings.
func (r *reader) schemaRef(n *yaml.Node, at place) schemaRef {
	target, at, ref := r.deref(n, at)
	if target == nil {
		return schemaRef{ref: ref}
	}
	return schemaRef{ref: ref, s: r.schema(target, at)}
}

func (r *reader) schemaRefs(n *yaml.Node, at place) []schemaRef {
	var out []schemaRef
	for v := range elements(n) {
		out = append(out, r.schemaRef(v, at))
	}
	return out
}

func (r *reader) optionalSchemaRef(n *yaml.Node, at place) *schemaRef {
	ref := r.schemaRef(n, at)
	return &ref
}

// schema reads the keywords of the schema node n. A node is read once: the
// schema is recorded before its subschemas are read, so a schema that
// refers to itself, directly or not, becomes a cycle in the model.
func (r *reader) schema(n *yaml.Node, at place) *schema {
	if s, ok := r.schemas[n]; ok {
		return s
	}
	s := &schema{}
	r.schemas[n] = s
	var exclusiveMaximum, exclusiveMinimum bool // 3.0 flags
	for k, v := range entries(n) {
		switch k.Value {
		case "type":
			if v.Kind == yaml.ScalarNode {
				s.types = []string{v.Value}
			}
			for t := range elements(v) {
				s.types = append(s.types, t.Value)
			}
		case "nullable":
			s.nullable = boolValue(v)
		case "format":
			s.format = v.Value
		case "exclusiveMaximum", "exclusiveMinimum":
			// 3.0 flags, 3.1 bounds: the document's version decides.
			if r.numericExclusive {
				i, _ := boundIndex(k.Value)
				s.bounds[i] = numberValue(v)
				if s.bounds[i] == nil {
					s.bounds[i] = new(float64) // as libopenapi coerces a flag
				}
			} else if k.Value == "exclusiveMaximum" {
				exclusiveMaximum = boolValue(v)
			} else {
				exclusiveMinimum = boolValue(v)
			}
		case "multipleOf":
			s.multipleOf = numberValue(v)
		case "uniqueItems":
			s.uniqueItems = boolValue(v)
		case "pattern":
			s.pattern = v.Value
		case "enum":
			for e := range elements(v) {
				s.enum = append(s.enum, nodeString(e))
			}
		case "default":
			s.hasDefault, s.def = true, nodeString(v)
		case "const":
			s.hasConst, s.constant = true, nodeString(v)
		case "additionalProperties":
			if utils.IsNodeBoolValue(v) {
				s.additionalClosed = !boolValue(v)
			} else if v.Kind == yaml.MappingNode {
				s.additional = r.optionalSchemaRef(v, at)
			}
		case "properties":
			for pk, pv := range entries(v) {
				s.properties = append(s.properties, namedSchema{name: pk.Value, schema: r.schemaRef(pv, at)})
			}
		case "required":
			for req := range elements(v) {
				s.required = append(s.required, req.Value)
			}
		case "allOf":
			s.allOf = r.schemaRefs(v, at)
		case "oneOf":
			s.oneOf = r.schemaRefs(v, at)
		case "anyOf":
			s.anyOf = r.schemaRefs(v, at)
		case "items":
			if v.Kind == yaml.MappingNode {
				s.items = r.optionalSchemaRef(v, at)
			} else if utils.IsNodeBoolValue(v) {
				s.itemsClosed = !boolValue(v)
			}
		case "prefixItems":
			s.prefixItems = r.schemaRefs(v, at)
		case "if":
			s.ifS = r.optionalSchemaRef(v, at)
		case "then":
			s.thenS = r.optionalSchemaRef(v, at)
		case "else":
			s.elseS = r.optionalSchemaRef(v, at)
		default:
			if i, ok := boundIndex(k.Value); ok {
				s.bounds[i] = numberValue(v)
			}
		case "readOnly":
			s.readOnly = boolValue(v)
		case "writeOnly":
			s.writeOnly = boolValue(v)
		case "deprecated":
			s.deprecated = boolValue(v)
		case sunsetKey:
			s.sunset = v.Value
		}
	}
	// A 3.0 flag makes maximum/minimum exclusive: the same limit as the
	// 3.1 form, so that rewriting a spec from 3.0 to 3.1 changes nothing.
	exclusiveBound(s, exclusiveMaximum, maximumBound, exclusiveMaximumBound)
	exclusiveBound(s, exclusiveMinimum, minimumBound, exclusiveMinimumBound)
	return s
}

func exclusiveBound(s *schema, flag bool, inclusive, exclusive int) {
	if flag && s.bounds[inclusive] != nil {
		s.bounds[exclusive], s.bounds[inclusive] = s.bounds[inclusive], nil
	}
}
