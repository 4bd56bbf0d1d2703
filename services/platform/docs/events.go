package docs

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// Paths a service's event contract is served at, beside its HTTP spec.
const (
	EventsUIPath   = "/docs/events"
	EventsJSONPath = "/events.json"
	EventsYAMLPath = "/events.yaml"
)

// Events serves a service's event contract (api/events/<service>.yaml, as
// its generated package's Document returns it: AsyncAPI 3 with every
// $ref into another file resolved) as JSON and YAML, and as a page that
// lists what the service publishes and what it consumes, each event type
// with its subject, description and payload schema. The page is rendered
// here, once, from the document: the AsyncAPI web components load from a
// CDN, and the docs work offline.
type Events struct {
	spec *Spec
	page document
}

// NewEvents prepares the event contract of the service called title.
// api is the service's OpenAPI spec, whose operations declare the events
// they record (x-events), for the page to say which requests record each
// event type; nil leaves that out.
func NewEvents(title string, contract []byte, api *openapi3.T) (*Events, error) {
	spec, err := NewSpec(contract)
	if err != nil {
		return nil, fmt.Errorf("docs: the event contract: %w", err)
	}
	page, err := renderEvents(title, contract, recordedBy(api))
	if err != nil {
		return nil, err
	}
	return &Events{spec: spec, page: newDocument(page, "text/html; charset=utf-8")}, nil
}

// JSON serves the contract as JSON.
func (e *Events) JSON(w http.ResponseWriter, r *http.Request) { e.spec.JSON(w, r) }

// YAML serves the contract as YAML.
func (e *Events) YAML(w http.ResponseWriter, r *http.Request) { e.spec.YAML(w, r) }

// Page serves the contract as a page.
func (e *Events) Page(w http.ResponseWriter, r *http.Request) { e.page.serve(w, r) }

// eventsExtension is the extension by which an operation declares the
// event types a successful call records, as charter check's
// events_recorded reads it.
const eventsExtension = "x-events"

// recordedBy maps each event type to the operations of api that declare
// it, "POST /materials (createMaterial)", in path order.
func recordedBy(api *openapi3.T) map[string][]string {
	out := map[string][]string{}
	if api == nil || api.Paths == nil {
		return out
	}
	paths := api.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := api.Paths.Value(path)
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodPatch} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			list, _ := op.Extensions[eventsExtension].([]any)
			for _, v := range list {
				if typ, ok := v.(string); ok {
					out[typ] = append(out[typ], method+" "+path+" ("+op.OperationID+")")
				}
			}
		}
	}
	return out
}

// EventsLink is the bar UI puts above Swagger UI for a service with an
// event contract: where its events are documented.
func EventsLink(title string) template.HTML {
	return template.HTML(`<div style="font-family:sans-serif;padding:10px 20px;background:#f0f4f8;border-bottom:1px solid #d8e0e8">` +
		`<strong>Events.</strong> What ` + template.HTMLEscapeString(title) + ` publishes and consumes: ` +
		`<a href="` + EventsUIPath + `">` + EventsUIPath + `</a> (AsyncAPI 3: ` +
		`<a href="` + EventsYAMLPath + `">` + EventsYAMLPath + `</a>, <a href="` + EventsJSONPath + `">` + EventsJSONPath + `</a>)</div>`)
}
