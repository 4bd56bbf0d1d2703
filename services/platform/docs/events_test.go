package docs_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"
	"go.yaml.in/yaml/v3"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/services/platform/docs"
)

func eventsRouter(t *testing.T, title string, contract []byte) http.Handler {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	api, err := loader.LoadFromFile("../../../api/" + strings.ToLower(title) + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	events, err := docs.NewEvents(title, contract, api)
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Get(docs.EventsJSONPath, events.JSON)
	r.Get(docs.EventsYAMLPath, events.YAML)
	r.Get(docs.EventsUIPath, events.Page)
	ui := docs.UI(title, docs.UIPath, docs.EventsLink(title))
	r.Handle(docs.UIPath, ui)
	r.Handle(docs.UIPath+"/*", ui)
	return r
}

func TestEventsContract(t *testing.T) {
	h := eventsRouter(t, "Materials", materialsevents.Document())
	w := get(t, h, docs.EventsJSONPath)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" || w.Body.String() != string(materialsevents.Document()) {
		t.Fatalf("/events.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	w = get(t, h, docs.EventsYAMLPath)
	var doc struct {
		AsyncAPI string `yaml:"asyncapi"`
		Channels map[string]struct {
			Address string `yaml:"address"`
		} `yaml:"channels"`
	}
	if err := yaml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsyncAPI != "3.0.0" || doc.Channels["materialDeleted"].Address != materialsevents.MaterialDeleted {
		t.Fatalf("/events.yaml: %+v", doc)
	}
	if w := get(t, h, docs.EventsJSONPath, "If-None-Match", w.Header().Get("ETag")); w.Code == http.StatusNotModified {
		t.Error("the YAML's tag matched the JSON")
	}
}

func TestEventsPage(t *testing.T) {
	for _, tc := range []struct {
		title     string
		contract  []byte
		published []string
		consumed  []string
		shows     []string
	}{
		{"Materials", materialsevents.Document(), materialsevents.Types, nil, []string{
			"Materials consumes no events.",
			// The payload of created is the HTTP Material, field by field.
			"<code>price_per_square_metre.currency</code>",
			"<code>thickness</code> <span class=\"required\">required</span></td><td>number (double)</td><td>&gt; 0; ≤ 1000",
			"Published when createMaterial commits.",
			// Which requests record it, from the HTTP spec's x-events.
			"Recorded by every successful <code>POST /materials (createMaterial)</code>",
			// The envelope, described once in the shared trait.
			"<code>Nats-Msg-Id</code>",
			"structured JSON mode",
		}},
		{"Quotes", quotesevents.Document(), quotesevents.Types, quotesevents.Received, []string{
			"<code>lines[].material_id</code>",
			"<td>materials</td><td>quotes</td>",
			"Published when the expiry job marks a quote expired.",
		}},
	} {
		t.Run(tc.title, func(t *testing.T) {
			h := eventsRouter(t, tc.title, tc.contract)
			w := get(t, h, docs.EventsUIPath)
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
			}
			page := w.Body.String()
			published, consumed, _ := strings.Cut(page, `<h2 id="consumed">`)
			for _, typ := range tc.published {
				if !strings.Contains(published, `<a href="#event-`+typ+`">`+typ+`</a>`) {
					t.Errorf("the published list has no %s", typ)
				}
			}
			consumed, _, _ = strings.Cut(consumed, `<section`)
			for _, typ := range tc.consumed {
				if !strings.Contains(consumed, `<a href="#event-`+typ+`">`+typ+`</a>`) {
					t.Errorf("the consumed list has no %s", typ)
				}
			}
			for _, want := range tc.shows {
				if !strings.Contains(page, want) {
					t.Errorf("the page does not show %s", want)
				}
			}
		})
	}
}

func TestSwaggerUILinksTheEvents(t *testing.T) {
	h := eventsRouter(t, "Materials", materialsevents.Document())
	w := get(t, h, docs.UIPath)
	if !strings.Contains(w.Body.String(), `<a href="/docs/events">`) {
		t.Fatalf("/docs does not link the events page:\n%s", w.Body.String())
	}
}

func TestEventsRefusesAnotherDocument(t *testing.T) {
	if _, err := docs.NewEvents("Materials", []byte(`{"openapi":"3.0.3"}`), nil); err == nil {
		t.Fatal("an OpenAPI document was taken for an event contract")
	}
}
