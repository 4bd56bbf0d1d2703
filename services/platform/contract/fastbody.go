package contract

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/getkin/kin-openapi/openapi3"
)

// A bodyCheck is a request body schema compiled at start into a check
// that walks the raw JSON bytes once, without decoding them into maps and
// interfaces. It only ever says "valid" for a body that kin-openapi's
// VisitJSON (as a request, the options of bodyOptions) would accept too.
// Anything else — an invalid value, a construct it does not know, a
// duplicate key, an escape it would have to decode — makes it answer "not
// sure", and the body goes the slow way: decoded and validated by
// kin-openapi, which finds the errors and words them for the client. So
// the error pointers and messages are kin-openapi's by construction, and
// the fast check only has to be right about what it accepts. It earns its
// complexity on the body of every write: a materials create body takes
// 0.2 µs and no allocation here, 8.5 µs and 23 allocations decoded and
// walked by kin-openapi (BenchmarkBodyCheck, BenchmarkBodySteps).
//
// It knows the OpenAPI 3.0 keywords the services' bodies use: type (one
// of object, string, number, integer, boolean, array), nullable,
// properties, required, additionalProperties, readOnly (any readOnly
// property present makes it unsure; in a response, which
// FastResponseCheck checks, a writeOnly one), minimum, maximum,
// exclusiveMinimum and exclusiveMaximum (boolean form), minLength,
// maxLength, pattern, enum (of strings, not nullable), items, minItems,
// maxItems and the formats kin-openapi has registered validators for;
// annotations (description, example, default...) are ignored, as
// kin-openapi ignores them. A schema with any other keyword (oneOf,
// multipleOf, an enum of numbers...) gets no bodyCheck and is always
// validated by kin-openapi.
type bodyCheck struct {
	kind     kind
	nullable bool

	// object
	props        []bodyProp
	required     uint64 // bit i: props[i] is required
	noAdditional bool
	additional   *bodyCheck // nil: any value

	// string; a format kin-openapi has no validator for is ignored, as
	// kin-openapi ignores it
	minLen    uint64
	maxLen    *uint64
	pattern   matcher  // see patternMatcher
	notBlank  bool     // the pattern is \S, checked without the regexp
	enum      []string // nil: any string
	strFormat openapi3.StringFormatValidator

	// number and integer
	numFormat        openapi3.NumberFormatValidator
	intFormat        openapi3.IntegerFormatValidator
	min, max         *float64
	exclMin, exclMax bool

	// array
	items    *bodyCheck
	minItems uint64
	maxItems *uint64
}

type bodyProp struct {
	name  string
	check *bodyCheck
	// unsure: the property's presence is for kin-openapi to judge (a
	// readOnly property in a request, a writeOnly one in a response).
	unsure bool
}

type kind uint8

const (
	kindAny kind = iota
	kindObject
	kindString
	kindNumber
	kindInteger
	kindBoolean
	kindArray
)

// maxBodyDepth bounds how deep the fast check follows nested values;
// deeper bodies go the slow way.
const maxBodyDepth = 32

// compileBody compiles s, a request body's schema, into a bodyCheck, or
// returns nil when s uses a keyword the fast check does not know.
func compileBody(s *openapi3.Schema) *bodyCheck {
	return compileSchema(s, map[*openapi3.Schema]*bodyCheck{}, 0, false)
}

// FastResponseCheck compiles s, the schema of a JSON document a client
// reads (a response body, an event's payload), into the fast check: a
// function that walks the document's bytes once, without decoding them,
// and reports true only for a document kin-openapi's VisitJSON, as a
// response (openapi3.VisitAsResponse), accepts too, and false when it is
// not sure, for kin-openapi to judge and word. It returns nil when s uses
// a keyword the check does not know. A materials payload takes about a
// microsecond this way, and about ten decoded and walked by kin-openapi.
func FastResponseCheck(s *openapi3.Schema) func(data []byte) bool {
	c := compileSchema(s, map[*openapi3.Schema]*bodyCheck{}, 0, true)
	if c == nil {
		return nil
	}
	return c.valid
}

// compileSchema compiles s as a request body's schema, or as a response
// body's when response is set, which decides which properties make the
// check unsure (see bodyProp.unsure).
func compileSchema(s *openapi3.Schema, seen map[*openapi3.Schema]*bodyCheck, depth int, response bool) *bodyCheck {
	if s == nil || depth > maxBodyDepth {
		return nil
	}
	if _, ok := seen[s]; ok {
		// A recursive schema: kin-openapi stops at the recursion and
		// accepts; leave it all to kin-openapi.
		return nil
	}
	seen[s] = nil
	defer delete(seen, s)
	if !onlyKnownKeywords(s) {
		return nil
	}
	c := &bodyCheck{nullable: s.Nullable}
	if s.Type == nil {
		if !s.IsEmpty() {
			return nil
		}
		c.kind = kindAny
		return c
	}
	if len(*s.Type) != 1 {
		return nil
	}
	if s.Enum != nil && ((*s.Type)[0] != openapi3.TypeString || s.Nullable) {
		// Enums of other types, or with null, are kin-openapi's.
		return nil
	}
	switch (*s.Type)[0] {
	case openapi3.TypeObject:
		c.kind = kindObject
		if len(s.Properties) > 64 {
			return nil
		}
		for name, ref := range s.Properties {
			if ref == nil || ref.Value == nil {
				return nil
			}
			pc := compileSchema(ref.Value, seen, depth+1, response)
			if pc == nil {
				return nil
			}
			unsure := ref.Value.ReadOnly
			if response {
				unsure = ref.Value.WriteOnly
			}
			c.props = append(c.props, bodyProp{name: name, check: pc, unsure: unsure})
		}
		for _, name := range s.Required {
			i := c.prop(name)
			if i < 0 {
				// A required property the schema does not describe.
				return nil
			}
			c.required |= 1 << i
		}
		if ap := s.AdditionalProperties; ap.Schema != nil {
			if ap.Schema.Value == nil {
				return nil
			}
			if c.additional = compileSchema(ap.Schema.Value, seen, depth+1, response); c.additional == nil {
				return nil
			}
		} else if ap.Has != nil && !*ap.Has {
			c.noAdditional = true
		}
	case openapi3.TypeString:
		c.kind = kindString
		c.minLen, c.maxLen = s.MinLength, s.MaxLength
		if s.Pattern != "" {
			if strings.Contains(s.Pattern, `\u`) {
				// kin-openapi rewrites \uXXXX before compiling.
				return nil
			}
			re, err := regexp.Compile(s.Pattern)
			if err != nil {
				return nil
			}
			if s.Pattern == `\S` {
				c.notBlank = true
			} else {
				c.pattern = patternMatcher(s.Pattern, re)
			}
		}
		if s.Format != "" {
			c.strFormat = stringFormat(s.Format)
		}
		if s.Enum != nil {
			c.enum = make([]string, 0, len(s.Enum))
			for _, v := range s.Enum {
				str, ok := v.(string)
				if !ok {
					return nil
				}
				c.enum = append(c.enum, str)
			}
		}
	case openapi3.TypeNumber, openapi3.TypeInteger:
		c.kind = kindNumber
		if (*s.Type)[0] == openapi3.TypeInteger {
			c.kind = kindInteger
		}
		if !boundKnown(s.ExclusiveMin) || !boundKnown(s.ExclusiveMax) {
			return nil
		}
		c.min, c.max = s.Min, s.Max
		c.exclMin = s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool
		c.exclMax = s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool
		if s.Format != "" {
			if c.kind == kindInteger {
				c.intFormat = openapi3.SchemaIntegerFormats[s.Format]
			} else {
				c.numFormat = openapi3.SchemaNumberFormats[s.Format]
			}
		}
	case openapi3.TypeBoolean:
		c.kind = kindBoolean
	case openapi3.TypeArray:
		c.kind = kindArray
		if s.Items == nil || s.Items.Value == nil {
			return nil
		}
		if c.items = compileSchema(s.Items.Value, seen, depth+1, response); c.items == nil {
			return nil
		}
		c.minItems, c.maxItems = s.MinItems, s.MaxItems
	default:
		return nil
	}
	return c
}

// boundKnown reports whether an exclusive bound is absent or in the
// OpenAPI 3.0 boolean form.
func boundKnown(b openapi3.ExclusiveBound) bool { return b.Value == nil }

// onlyKnownKeywords reports whether s has no keyword but those the fast
// check implements or kin-openapi ignores when validating: it clears
// those and asks whether what is left marshals to an empty schema, so
// that a keyword added to kin-openapi later is caught too.
func onlyKnownKeywords(s *openapi3.Schema) bool {
	rest := *s
	// Implemented.
	rest.Type, rest.Nullable, rest.Format = nil, false, ""
	rest.Properties, rest.Required, rest.AdditionalProperties = nil, nil, openapi3.AdditionalProperties{}
	rest.Min, rest.Max, rest.ExclusiveMin, rest.ExclusiveMax = nil, nil, openapi3.ExclusiveBound{}, openapi3.ExclusiveBound{}
	rest.MinLength, rest.MaxLength, rest.Pattern = 0, nil, ""
	rest.Enum = nil // of strings only: compileSchema refuses the others
	rest.Items, rest.MinItems, rest.MaxItems = nil, 0, nil
	// Annotations, or handled by the parent object.
	rest.ReadOnly, rest.WriteOnly, rest.Deprecated = false, false, false
	rest.Title, rest.Description, rest.Default, rest.Example, rest.Examples = "", "", nil, nil, nil
	rest.ExternalDocs, rest.XML, rest.Extensions, rest.Origin, rest.Comment = nil, nil, nil, nil, ""
	if rest.Always != nil {
		return false
	}
	data, err := json.Marshal(&rest)
	return err == nil && string(data) == "{}"
}

func (c *bodyCheck) prop(name string) int {
	for i := range c.props {
		if c.props[i].name == name {
			return i
		}
	}
	return -1
}

// valid reports whether data is one JSON value, and nothing else, that
// the schema accepts. false means "not sure", never "invalid".
func (c *bodyCheck) valid(data []byte) bool {
	p := bodyParser{data: data}
	p.ws()
	if !p.value(c, 0) {
		return false
	}
	p.ws()
	return p.i == len(p.data)
}

// bodyParser walks JSON bytes.
type bodyParser struct {
	data []byte
	i    int
}

func (p *bodyParser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *bodyParser) value(c *bodyCheck, depth int) bool {
	if p.i >= len(p.data) || depth > maxBodyDepth {
		return false
	}
	switch b := p.data[p.i]; {
	case b == 'n':
		// kin-openapi refuses null, even under an empty schema, unless
		// the schema is nullable.
		return c.nullable && p.literal("null")
	case c.kind == kindAny:
		return p.skip(depth)
	case b == '{':
		return c.kind == kindObject && p.object(c, depth)
	case b == '[':
		return c.kind == kindArray && p.array(c, depth)
	case b == '"':
		if c.kind != kindString {
			return false
		}
		s, ok := p.str()
		return ok && c.validString(s)
	case b == 't':
		return c.kind == kindBoolean && p.literal("true")
	case b == 'f':
		return c.kind == kindBoolean && p.literal("false")
	default:
		if c.kind != kindNumber && c.kind != kindInteger {
			return false
		}
		v, ok := p.number()
		return ok && c.validNumber(v)
	}
}

func (p *bodyParser) literal(lit string) bool {
	if !strings.HasPrefix(unsafeString(p.data[p.i:]), lit) {
		return false
	}
	p.i += len(lit)
	return true
}

func (p *bodyParser) object(c *bodyCheck, depth int) bool {
	p.i++ // {
	var seen uint64
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return seen&c.required == c.required
	}
	for {
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return false
		}
		key, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return false
		}
		p.i++
		p.ws()
		if i := c.prop(key); i >= 0 {
			if seen&(1<<i) != 0 || c.props[i].unsure {
				// A duplicate key (encoding/json keeps the last) or a
				// property whose presence is kin-openapi's to judge.
				return false
			}
			seen |= 1 << i
			if !p.value(c.props[i].check, depth+1) {
				return false
			}
		} else {
			switch {
			case c.noAdditional:
				return false
			case c.additional != nil:
				if !p.value(c.additional, depth+1) {
					return false
				}
			default:
				if !p.skip(depth + 1) {
					return false
				}
			}
		}
		p.ws()
		if p.i >= len(p.data) {
			return false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return seen&c.required == c.required
		default:
			return false
		}
	}
}

func (p *bodyParser) array(c *bodyCheck, depth int) bool {
	p.i++ // [
	var n uint64
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return c.countOK(0)
	}
	for {
		p.ws()
		if !p.value(c.items, depth+1) {
			return false
		}
		n++
		p.ws()
		if p.i >= len(p.data) {
			return false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return c.countOK(n)
		default:
			return false
		}
	}
}

func (c *bodyCheck) countOK(n uint64) bool {
	return n >= c.minItems && (c.maxItems == nil || n <= *c.maxItems)
}

// skip passes over any JSON value other than a top-level null, checking
// its syntax.
func (p *bodyParser) skip(depth int) bool {
	if p.i >= len(p.data) || depth > maxBodyDepth {
		return false
	}
	switch p.data[p.i] {
	case '{':
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return true
		}
		for {
			p.ws()
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return false
			}
			if _, ok := p.str(); !ok {
				return false
			}
			p.ws()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return false
			}
			p.i++
			p.ws()
			if !p.skipNested(depth) {
				return false
			}
			p.ws()
			if p.i >= len(p.data) {
				return false
			}
			if p.data[p.i] == '}' {
				p.i++
				return true
			}
			if p.data[p.i] != ',' {
				return false
			}
			p.i++
		}
	case '[':
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return true
		}
		for {
			p.ws()
			if !p.skipNested(depth) {
				return false
			}
			p.ws()
			if p.i >= len(p.data) {
				return false
			}
			if p.data[p.i] == ']' {
				p.i++
				return true
			}
			if p.data[p.i] != ',' {
				return false
			}
			p.i++
		}
	case '"':
		_, ok := p.str()
		return ok
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	default:
		_, ok := p.number()
		return ok
	}
}

// skipNested is skip for a value inside an unvalidated one, where null
// is fine: kin-openapi does not look inside.
func (p *bodyParser) skipNested(depth int) bool {
	if p.i < len(p.data) && p.data[p.i] == 'n' {
		return p.literal("null")
	}
	return p.skip(depth + 1)
}

// str reads a string without escapes and returns it without copying; a
// string with an escape, a control character or invalid UTF-8 is left to
// encoding/json.
func (p *bodyParser) str() (string, bool) {
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.data); j++ {
		switch b := p.data[j]; {
		case b == '"':
			p.i = j + 1
			s := p.data[start:j]
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return unsafeString(s), true
		case b == '\\', b < 0x20:
			return "", false
		case b >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// number reads a JSON number as encoding/json would decode it into an
// interface.
func (p *bodyParser) number() (float64, bool) {
	d, start := p.data, p.i
	j := start
	if j < len(d) && d[j] == '-' {
		j++
	}
	switch {
	case j < len(d) && d[j] == '0':
		j++
	case j < len(d) && '1' <= d[j] && d[j] <= '9':
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	default:
		return 0, false
	}
	if j < len(d) && d[j] == '.' {
		j++
		if j >= len(d) || d[j] < '0' || d[j] > '9' {
			return 0, false
		}
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	}
	if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
		j++
		if j < len(d) && (d[j] == '+' || d[j] == '-') {
			j++
		}
		if j >= len(d) || d[j] < '0' || d[j] > '9' {
			return 0, false
		}
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	}
	v, err := strconv.ParseFloat(unsafeString(d[start:j]), 64)
	if err != nil {
		return 0, false
	}
	p.i = j
	return v, true
}

func (c *bodyCheck) validString(s string) bool {
	if c.enum != nil && !slices.Contains(c.enum, s) {
		return false
	}
	if c.minLen != 0 || c.maxLen != nil {
		// kin-openapi counts code points.
		n := uint64(utf8.RuneCountInString(s))
		if n < c.minLen || (c.maxLen != nil && n > *c.maxLen) {
			return false
		}
	}
	if c.notBlank && !hasNonSpace(s) {
		return false
	}
	if c.pattern != nil && !c.pattern.MatchString(s) {
		return false
	}
	if c.strFormat != nil && c.strFormat.Validate(s) != nil {
		return false
	}
	return true
}

// hasNonSpace reports whether the regexp \S matches s: whether s has a
// character other than Go's (ASCII) \s, [\t\n\f\r ]. Any byte of a
// multi-byte character is outside that set, so bytes are enough.
func hasNonSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\f', '\r', ' ':
		default:
			return true
		}
	}
	return false
}

// maxExactInt is the largest integer every float64 up to which is exact.
const maxExactInt = 1 << 53

func (c *bodyCheck) validNumber(v float64) bool {
	if c.kind == kindInteger {
		if v != math.Trunc(v) || math.Abs(v) > maxExactInt {
			return false
		}
		if c.intFormat != nil && c.intFormat.Validate(int64(v)) != nil {
			return false
		}
	} else if c.numFormat != nil && c.numFormat.Validate(v) != nil {
		return false
	}
	if c.min != nil && (v < *c.min || (c.exclMin && v == *c.min)) {
		return false
	}
	if c.max != nil && (v > *c.max || (c.exclMax && v == *c.max)) {
		return false
	}
	return true
}

// unsafeString views b as a string without copying; the string must not
// outlive b's contents, which the request body keeps unchanged.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
