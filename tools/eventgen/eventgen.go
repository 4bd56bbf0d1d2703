// Package eventgen generates the Go package of a service's event contract
// (api/events/<service>.yaml) into gen/events/<service>: a constant per
// event type, the payload type of each, Types (what the service
// publishes), Received (what it consumes), the bundled document and a
// validator of payloads against their schemas.
//
// Payload types come from oapi-codegen's code generator, run on a small
// OpenAPI document made of the payload schemas: a payload that is an HTTP
// contract's component ($ref ../materials.yaml#/components/schemas/Material)
// becomes an alias of the type generated for it in gen/<service>
// (materials.Material), so an event's data and the HTTP response are one
// Go type; a schema of the event contract's own becomes a type of the
// package.
//
// Payloads are validated with kin-openapi's schema validation, the one the
// HTTP contract validates requests and responses with: the payload schemas
// are OpenAPI 3.0 schemas (exclusiveMinimum as a boolean, nullable, the
// OpenAPI formats), which a JSON Schema validator would read differently,
// and an event's data is then checked exactly as the same value in an HTTP
// response is.
package eventgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/imports"

	"github.com/charterhq/charter/tools/asyncapi"
)

// Config says where a contract's generated package goes and how the HTTP
// contracts' packages are found.
type Config struct {
	// Package is the Go package name, <service>events.
	Package string
	// Source names the document in the generated comments
	// (api/events/materials.yaml).
	Source string
	// GenModule is the import path of gen/, under which an HTTP contract
	// api/<service>.yaml is generated into <GenModule>/<service> and
	// api/shared/components.yaml into <GenModule>/shared.
	GenModule string
	// DocumentFile is the name of the bundled document beside the
	// generated file, which the file embeds.
	DocumentFile string
}

// Output is what Generate writes: the Go file and the bundled document it
// embeds.
type Output struct {
	Go, Document []byte
}

// Generate generates the package of doc.
func Generate(doc *asyncapi.Document, cfg Config) (*Output, error) {
	bundle, err := marshalIndent(doc.Bundle)
	if err != nil {
		return nil, err
	}
	g := &generation{doc: doc, cfg: cfg}
	if err := g.events(); err != nil {
		return nil, err
	}
	models, err := g.models()
	if err != nil {
		return nil, err
	}
	var own bytes.Buffer
	if err := fileTemplate.Execute(&own, g); err != nil {
		return nil, err
	}
	src, err := merge(models, own.Bytes(), g.header())
	if err != nil {
		return nil, err
	}
	return &Output{Go: src, Document: bundle}, nil
}

// generation is one package being generated.
type generation struct {
	doc       *asyncapi.Document
	cfg       Config
	Published []event
	Received  []event
}

// event is one event type of the package.
type event struct {
	Const, Type, Title, Description string
	// Data is the payload's Go type, empty for a received type (its
	// publisher's package has it).
	Data string
	// Path is the tokens of the JSON pointer to the payload schema in the
	// bundled document.
	Path []string
}

func (g *generation) events() error {
	consts := map[string]string{}
	add := func(ch *asyncapi.Channel, publish bool) (event, error) {
		if ch.Address == "" {
			return event{}, fmt.Errorf("channel %s has no address: its address is the event type", ch.ID)
		}
		if len(ch.Messages) != 1 {
			return event{}, fmt.Errorf("channel %s has %d messages: an event type has one", ch.ID, len(ch.Messages))
		}
		m := ch.Messages[0]
		if m.Payload == nil {
			return event{}, fmt.Errorf("channel %s: message %s has no payload", ch.ID, m.ID)
		}
		e := event{Const: codegen.SchemaNameToTypeName(ch.ID), Type: ch.Address, Title: ch.Title, Description: ch.Description}
		if other, ok := consts[e.Const]; ok {
			return event{}, fmt.Errorf("channels %s and %s would both be the constant %s", other, ch.ID, e.Const)
		}
		consts[e.Const] = ch.ID
		if publish {
			e.Data = e.Const + "Data"
		}
		for _, tok := range strings.Split(strings.TrimPrefix(m.PayloadPointer, "/"), "/") {
			e.Path = append(e.Path, strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
		}
		return e, nil
	}
	for _, ch := range g.doc.Sent() {
		e, err := add(ch, true)
		if err != nil {
			return err
		}
		g.Published = append(g.Published, e)
	}
	for _, ch := range g.doc.Received() {
		if slices.ContainsFunc(g.Published, func(e event) bool { return e.Type == ch.Address }) {
			continue
		}
		e, err := add(ch, false)
		if err != nil {
			return err
		}
		g.Received = append(g.Received, e)
	}
	if len(g.Published)+len(g.Received) == 0 {
		return fmt.Errorf("%s has no send or receive operation", g.doc.Path)
	}
	return nil
}

// models generates the payload types with oapi-codegen, from an OpenAPI
// document whose components are the event contract's own schemas and one
// schema per published event type, named after its payload type.
func (g *generation) models() (string, error) {
	file, err := filepath.Abs(g.doc.Path)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(file)
	schemas := map[string]any{}
	written, err := writtenSchemas(file)
	if err != nil {
		return "", err
	}
	for name, s := range written {
		schemas[name] = s
	}
	for _, e := range g.Published {
		m := g.doc.Channel(channelID(g.doc, e.Type)).Messages[0]
		at := m.PayloadSource
		switch {
		case m.PayloadIsRef && at.File == file && at.Pointer == "/components/schemas/"+e.Data:
			// The contract's own schema already has the payload type's name.
		case m.PayloadIsRef:
			rel, err := filepath.Rel(dir, at.File)
			if err != nil {
				return "", err
			}
			ref := filepath.ToSlash(rel) + "#" + at.Pointer
			if at.File == file {
				ref = "#" + at.Pointer
			}
			schemas[e.Data] = map[string]any{"$ref": ref}
		default:
			schemas[e.Data] = asyncapi.Plain(m.Payload)
		}
		if _, clash := schemas[e.Const]; clash {
			return "", fmt.Errorf("schema %s has the name of the constant of event type %s", e.Const, e.Type)
		}
	}
	spec := map[string]any{
		"openapi":    "3.0.3",
		"info":       map[string]any{"title": g.doc.Title, "version": g.doc.Version},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": schemas},
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return "", err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	t, err := loader.LoadFromDataWithPath(data, &url.URL{Path: file})
	if err != nil {
		return "", fmt.Errorf("the payload schemas: %w", err)
	}
	mapping, err := g.importMapping(dir)
	if err != nil {
		return "", err
	}
	return codegen.Generate(t, codegen.Configuration{
		PackageName:   g.cfg.Package,
		Generate:      codegen.GenerateOptions{Models: true},
		ImportMapping: mapping,
		OutputOptions: codegen.OutputOptions{SkipPrune: true},
	})
}

// channelID finds the channel of an event type.
func channelID(doc *asyncapi.Document, eventType string) string {
	for _, c := range doc.Channels {
		if c.Address == eventType {
			return c.ID
		}
	}
	return ""
}

// writtenSchemas returns the event contract's own components.schemas as
// written, $refs and all, which resolve in the generator's document as
// they do in the contract (both are read from the contract's path).
func writtenSchemas(file string) (map[string]any, error) {
	doc, err := asyncapi.Source(file)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	schemas := doc.Map("components").Map("schemas")
	if schemas == nil {
		return out, nil
	}
	for _, k := range schemas.Keys {
		out[k] = asyncapi.Plain(schemas.Values[k])
	}
	return out, nil
}

// importMapping maps each HTTP contract beside api/events (../<service>.yaml
// and ../shared/components.yaml, as the event contract's $refs write them)
// to its generated package.
func (g *generation) importMapping(eventsDir string) (map[string]string, error) {
	apiDir := filepath.Dir(eventsDir)
	specs, err := filepath.Glob(filepath.Join(apiDir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	mapping := map[string]string{"../shared/components.yaml": g.cfg.GenModule + "/shared"}
	for _, s := range specs {
		name := strings.TrimSuffix(filepath.Base(s), ".yaml")
		if strings.HasPrefix(name, ".") {
			// A tool's settings (.breaking-ignore.yaml, .vacuum.yaml),
			// not a contract: Glob's * matches a leading dot.
			continue
		}
		mapping["../"+name+".yaml"] = g.cfg.GenModule + "/" + name
	}
	return mapping, nil
}

// ownImports are the imports of fileTemplate's code.
var ownImports = [][2]string{
	{"_", "embed"}, {"", "encoding/json"}, {"", "errors"}, {"", "fmt"}, {"", "slices"}, {"", "sync"},
	{"", "github.com/getkin/kin-openapi/openapi3"},
}

// merge adds own, declarations that use ownImports, after the code
// oapi-codegen generated, and gives the file its header.
func merge(models string, own []byte, header string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "models.go", models, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("oapi-codegen's output: %w", err)
	}
	for _, imp := range ownImports {
		astutil.AddNamedImport(fset, f, imp[0], imp[1])
	}
	var body bytes.Buffer
	if err := format.Node(&body, fset, f); err != nil {
		return nil, err
	}
	// oapi-codegen's own package comment gives way to the header.
	code := body.String()
	code = code[strings.Index(code, "\npackage ")+1:]
	// imports.Process groups the standard library's imports apart, as
	// gofmt does not.
	out, err := imports.Process("events.gen.go", []byte(header+code+"\n"+string(own)), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
	if err != nil {
		return nil, fmt.Errorf("the generated file: %w", err)
	}
	return out, nil
}

// marshalIndent writes the bundle as indented JSON, without escaping <, >
// and &, which the descriptions hold.
func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var fileTemplate = template.Must(template.New("events").Funcs(template.FuncMap{
	"quote": strconv.Quote,
	"comment": func(s string) string {
		s = strings.TrimSpace(s)
		return strings.ReplaceAll(s, "\n", "\n\t// ")
	},
}).Parse(`// The event types {{.Service}} publishes. Each is also its channel's address
// in the contract and the event's subject on the broker.
const ({{range .Published}}
	// {{.Const}}: {{.Title}}. {{comment .Description}}
	{{.Const}} = {{quote .Type}}{{end}}
)

// Types lists every event type {{.Service}} publishes, in the contract's order.
var Types = []string{ {{- range $i, $e := .Published}}{{if $i}}, {{end}}{{$e.Const}}{{end -}} }

// Received lists the event types {{.Service}} consumes, which other services
// publish: the contract's receive operations.
var Received = []string{ {{- range $i, $e := .Received}}{{if $i}}, {{end}}{{quote $e.Type}}{{end -}} }

//go:embed {{.DocumentFile}}
var document []byte

// Document returns the contract, {{.Source}}, as JSON: the AsyncAPI
// document with every $ref into another file and every $ref of a payload
// schema replaced by its target. It is a copy, which the caller may keep.
func Document() []byte { return slices.Clone(document) }

// payloads is where each event type's payload schema is in the document:
// the published types and the received ones.
var payloads = map[string][]string{ {{- range .Published}}
	{{.Const}}: { {{- range $i, $t := .Path}}{{if $i}}, {{end}}{{quote $t}}{{end -}} },{{end}}{{range .Received}}
	{{quote .Type}}: { {{- range $i, $t := .Path}}{{if $i}}, {{end}}{{quote $t}}{{end -}} },{{end}}
}

// ErrUnknownType is returned by Validate for an event type the contract
// neither publishes nor receives.
var ErrUnknownType = errors.New("the event type is not in the contract")

// Validate checks data, the JSON payload (the CloudEvent's data) of an
// event of type eventType, against the type's payload schema, as the HTTP
// contract checks a response: a value the contract does not allow, a
// required property missing or of another type, is an error that lists
// each violation. It returns ErrUnknownType for a type the contract does
// not have.
func Validate(eventType string, data []byte) error {
	s, err := Schema(eventType)
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("%s: the payload is not JSON: %w", eventType, err)
	}
	if err := s.VisitJSON(v, visitOptions...); err != nil {
		return fmt.Errorf("%s: the payload does not match its schema: %w", eventType, err)
	}
	return nil
}

// visitOptions are how Validate visits a payload: as a response body,
// which a consumer reads, reporting every violation.
var visitOptions = []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}

// Schema returns the payload schema of eventType, which Validate checks
// payloads against (as a response body: openapi3.VisitAsResponse), for a
// faster check that defers to Validate where it is not sure. It returns
// ErrUnknownType for a type the contract does not have.
func Schema(eventType string) (*openapi3.Schema, error) {
	all, err := schemas()
	if err != nil {
		return nil, err
	}
	s, ok := all[eventType]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownType, eventType)
	}
	return s, nil
}

// ValidateValue is Validate for a payload not encoded yet, such as a
// value of one of the payload types.
func ValidateValue(eventType string, payload any) error {
	data, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("%s: the payload cannot be encoded: %w", eventType, err)
	}
	return Validate(eventType, data)
}

// schemas reads each payload schema from the document, once.
var schemas = sync.OnceValues(func() (map[string]*openapi3.Schema, error) {
	var doc any
	if err := json.Unmarshal(document, &doc); err != nil {
		return nil, fmt.Errorf("the embedded contract: %w", err)
	}
	out := make(map[string]*openapi3.Schema, len(payloads))
	for eventType, path := range payloads {
		v := doc
		for _, key := range path {
			m, _ := v.(map[string]any)
			v = m[key]
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		s := &openapi3.Schema{}
		if err := s.UnmarshalJSON(raw); err != nil {
			return nil, fmt.Errorf("the payload schema of %s: %w", eventType, err)
		}
		out[eventType] = s
	}
	return out, nil
})
`))

// header is the generated file's package comment.
func (g *generation) header() string {
	return fmt.Sprintf(`// Package %[1]s is the event contract of %[2]s, generated from
// %[3]s (AsyncAPI 3): the event types %[2]s publishes and
// consumes, their payload types, and the contract itself, to validate
// payloads with.
//
// Code generated by tools/cmd/eventgen from %[3]s. DO NOT EDIT.
`, g.cfg.Package, g.Service(), g.cfg.Source)
}

// Service is the service's name, from the package name.
func (g *generation) Service() string { return strings.TrimSuffix(g.cfg.Package, "events") }

// Package is the package name.
func (g *generation) Package() string { return g.cfg.Package }

// Source names the contract.
func (g *generation) Source() string { return g.cfg.Source }

// DocumentFile is the embedded file's name.
func (g *generation) DocumentFile() string { return g.cfg.DocumentFile }
