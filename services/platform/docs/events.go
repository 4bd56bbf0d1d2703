package docs

import (
	"fmt"
	"html/template"
	"net/http"
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
func NewEvents(title string, contract []byte) (*Events, error) {
	spec, err := NewSpec(contract)
	if err != nil {
		return nil, fmt.Errorf("docs: the event contract: %w", err)
	}
	page, err := renderEvents(title, contract)
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

// EventsLink is the bar UI puts above Swagger UI for a service with an
// event contract: where its events are documented.
func EventsLink(title string) template.HTML {
	return template.HTML(`<div style="font-family:sans-serif;padding:10px 20px;background:#f0f4f8;border-bottom:1px solid #d8e0e8">` +
		`<strong>Events.</strong> What ` + template.HTMLEscapeString(title) + ` publishes and consumes: ` +
		`<a href="` + EventsUIPath + `">` + EventsUIPath + `</a> (AsyncAPI 3: ` +
		`<a href="` + EventsYAMLPath + `">` + EventsYAMLPath + `</a>, <a href="` + EventsJSONPath + `">` + EventsJSONPath + `</a>)</div>`)
}
