package diff

// The model below is what the rules read of a document, and nothing else.
// libopenapi keeps a parsed document's YAML tree, index and models alive
// together (about 45 times the size of the file); this model is about a
// seventh of that, so a comparison holds two of these and at most one
// libopenapi document at a time (see doc.go, "Cost"). Every $ref is already
// followed: a schemaRef keeps the $ref as written, for memoization and for
// pointers, next to the schema it resolves to.

// document is one OpenAPI document as the rules see it.
type document struct {
	version string // info.version
	// security is the document-wide requirement, nil when none is declared.
	security []alternative
	paths    []*pathItem
	// webhooks are the 3.1 requests the API sends to its integrators,
	// keyed by name instead of path.
	webhooks []*pathItem
}

// pathItem is a path with its operations, in libopenapi's order (by line,
// then get, put, post, delete, options, head, patch, trace, query).
type pathItem struct {
	path   string
	params []*parameter // declared on the path item, shared by its operations
	ops    []*operation
}

// operation is one method on a path item.
type operation struct {
	method     string
	id         string
	deprecated bool
	sunset     string // raw x-sunset, empty when absent
	params     []*parameter
	body       *requestBody
	responses  *responses // nil when the operation declares none
	// security is the operation's own requirement; declaresSecurity is
	// false when the operation inherits the document's.
	security         []alternative
	declaresSecurity bool
	callbacks        []*callback
}

// callback is a named set of requests the API sends back to the client
// while or after serving an operation.
type callback struct {
	name  string
	paths []*pathItem // keyed by runtime expression instead of path
}

// parameter is a path, query, header or cookie parameter.
type parameter struct {
	name, in   string
	required   bool
	deprecated bool
	sunset     string
	schema     schemaRef
	schemaAt   string // "/schema" or "/content/<media type>/schema"
	mediaType  string // the media type of content, empty with a schema
	// style, explode and allowReserved decide how the value is written
	// on the wire; explode is nil when the document leaves the default.
	style         string
	explode       *bool
	allowReserved bool
}

type requestBody struct {
	required bool
	content  []namedSchema // by media type
}

// namedSchema is a media type, header or property with its schema.
type namedSchema struct {
	name   string
	schema schemaRef
}

// lookup finds the entry called name.
func lookup(list []namedSchema, name string) (namedSchema, bool) {
	for _, e := range list {
		if e.name == name {
			return e, true
		}
	}
	return namedSchema{}, false
}

type responses struct {
	codes []*statusResponse // "default" last, as libopenapi orders them
}

// statusResponse is the response an operation declares for one status
// code.
type statusResponse struct {
	code    string
	headers []namedSchema
	// requiredHeaders names the headers marked required: always sent.
	requiredHeaders []string
	content         []namedSchema
}

// schemaRef is a schema where it is used: the $ref written there (empty for
// an inline schema) and the schema it resolves to.
type schemaRef struct {
	ref string
	s   *schema
}

func (r schemaRef) isRef() bool { return r.ref != "" }

// schema holds the keywords the rules compare.
type schema struct {
	types    []string // as written; 3.1 lists "null" here
	nullable bool     // 3.0 nullable: true
	format   string

	// bounds holds the numeric keywords of boundKeywords, nil when absent.
	// exclusiveMaximum/Minimum are in their 3.1 form, the bound itself: a
	// 3.0 document's flag turns its maximum/minimum into one (read_schema.go).
	bounds      [len(boundKeywords)]*float64
	multipleOf  *float64
	uniqueItems bool
	pattern     string

	enum       []string // each value rendered as YAML
	hasDefault bool
	def        string
	hasConst   bool
	constant   string

	// additionalProperties: closed when false, a schema when one is given.
	additionalClosed bool
	additional       *schemaRef

	properties []namedSchema
	required   []string
	allOf      []schemaRef
	oneOf      []schemaRef
	anyOf      []schemaRef
	items      *schemaRef
	// itemsClosed is 3.1 items: false, no elements after prefixItems.
	itemsClosed bool
	// prefixItems, if, then and else are 3.1 (JSON Schema 2020-12).
	prefixItems       []schemaRef
	ifS, thenS, elseS *schemaRef

	readOnly, writeOnly, deprecated bool
	sunset                          string
}

// boundKeyword is a numeric keyword that bounds values from above (upper)
// or below. Integer bounds (maxLength...) are kept as floats, which is how
// they are compared.
type boundKeyword struct {
	name  string
	upper bool
}

// boundKeywords are the bounds of a schema, in the order findings report
// them.
var boundKeywords = [...]boundKeyword{
	{"maximum", true}, {"minimum", false},
	{"maxLength", true}, {"minLength", false},
	{"maxItems", true}, {"minItems", false},
	{"maxProperties", true}, {"minProperties", false},
	{"exclusiveMaximum", true}, {"exclusiveMinimum", false},
}

// The numeric limits: a value's upper limit is the tighter of maximum and
// exclusiveMaximum, its lower limit that of minimum and exclusiveMinimum.
const (
	maximumBound          = 0
	minimumBound          = 1
	exclusiveMaximumBound = 8
	exclusiveMinimumBound = 9
)

// boundIndex finds a keyword in boundKeywords.
func boundIndex(name string) (int, bool) {
	for i, b := range boundKeywords {
		if b.name == name {
			return i, true
		}
	}
	return 0, false
}
