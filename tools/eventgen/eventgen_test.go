package eventgen_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/tools/asyncapi"
	"github.com/charterhq/charter/tools/eventgen"
)

// A payload that is the HTTP contract's component is the HTTP type itself,
// not a copy: an event's data and the response body are one Go type.
var (
	_ materialsevents.MaterialCreatedData = materials.Material{}
	_ materialsevents.MaterialUpdatedData = materials.Material{}
	_ quotesevents.QuoteSubmittedData     = quotes.Quote{}
)

func TestTypesAreTheContractsChannels(t *testing.T) {
	want := []string{"charter.materials.material.created", "charter.materials.material.updated", "charter.materials.material.deleted"}
	if got := strings.Join(materialsevents.Types, " "); got != strings.Join(want, " ") {
		t.Errorf("materials Types = %s, want %s", got, want)
	}
	if got := strings.Join(quotesevents.Received, " "); got != strings.Join(want, " ") {
		t.Errorf("quotes Received = %s, want %s", got, want)
	}
	if len(materialsevents.Received) != 0 {
		t.Errorf("materials receives %v, want nothing", materialsevents.Received)
	}
	if got := len(quotesevents.Types); got != 4 {
		t.Errorf("quotes publishes %d types, want 4", got)
	}
}

func TestValidate(t *testing.T) {
	material := `{"id":1,"company_id":1,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true,` +
		`"price_per_square_metre":{"amount":12000,"currency":"EUR"},"created_at":"2026-11-23T09:30:00Z","updated_at":"2026-11-23T09:30:00Z"}`
	for _, tc := range []struct {
		name, eventType, data string
		validate              func(string, []byte) error
		wrong                 string // a part of the error, "" when valid
	}{
		{"created", materialsevents.MaterialCreated, material, materialsevents.Validate, ""},
		{"updated", materialsevents.MaterialUpdated, material, materialsevents.Validate, ""},
		{"deleted", materialsevents.MaterialDeleted, `{"id":1,"company_id":1}`, materialsevents.Validate, ""},
		{"received by quotes", materialsevents.MaterialCreated, material, quotesevents.Validate, ""},
		{"name missing", materialsevents.MaterialCreated, strings.Replace(material, `"name":"10 mm Steel",`, "", 1), materialsevents.Validate, `"name"`},
		// OpenAPI 3.0's exclusiveMinimum: true with minimum: 0, which a JSON
		// Schema validator of a later draft would not read as exclusive.
		{"thickness 0", materialsevents.MaterialCreated, strings.Replace(material, `"thickness":10`, `"thickness":0`, 1), materialsevents.Validate, "thickness"},
		{"date-time", materialsevents.MaterialCreated, strings.Replace(material, `"2026-11-23T09:30:00Z"`, `"yesterday"`, 1), materialsevents.Validate, "created_at"},
		{"deleted id a string", materialsevents.MaterialDeleted, `{"id":"1","company_id":1}`, materialsevents.Validate, "id"},
		{"deleted company missing", materialsevents.MaterialDeleted, `{"id":1}`, materialsevents.Validate, "company_id"},
		{"not JSON", materialsevents.MaterialDeleted, `{"id":`, materialsevents.Validate, "not JSON"},
		{"quote without lines", quotesevents.QuoteAccepted, `{"id":1,"company_id":1,"state":"accepted","created_at":"2026-11-23T09:30:00Z","updated_at":"2026-11-23T09:30:00Z"}`, quotesevents.Validate, "lines"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.validate(tc.eventType, []byte(tc.data))
			switch {
			case tc.wrong == "" && err != nil:
				t.Fatalf("valid payload refused: %v", err)
			case tc.wrong != "" && err == nil:
				t.Fatal("invalid payload accepted")
			case tc.wrong != "" && !strings.Contains(err.Error(), tc.wrong):
				t.Fatalf("error %q does not name %s", err, tc.wrong)
			}
		})
	}
}

func TestValidateUnknownType(t *testing.T) {
	err := materialsevents.Validate(quotesevents.QuoteAccepted, []byte(`{}`))
	if !errors.Is(err, materialsevents.ErrUnknownType) {
		t.Fatalf("err = %v, want ErrUnknownType", err)
	}
}

func TestValidateValueOfThePayloadType(t *testing.T) {
	ok := materialsevents.MaterialDeletedData{Id: 3, CompanyId: 7}
	if err := materialsevents.ValidateValue(materialsevents.MaterialDeleted, ok); err != nil {
		t.Fatal(err)
	}
	var m materialsevents.MaterialCreatedData // the zero value has no name
	if err := materialsevents.ValidateValue(materialsevents.MaterialCreated, m); err == nil {
		t.Fatal("a material with an empty name and thickness 0 was accepted")
	}
}

func TestDocumentIsTheBundledContract(t *testing.T) {
	var doc struct {
		AsyncAPI string `json:"asyncapi"`
		Channels map[string]struct {
			Address string `json:"address"`
		} `json:"channels"`
	}
	if err := json.Unmarshal(quotesevents.Document(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsyncAPI != "3.0.0" || doc.Channels["materialCreated"].Address != materialsevents.MaterialCreated {
		t.Fatalf("document: %+v", doc)
	}
	if strings.Contains(string(quotesevents.Document()), `.yaml#`) {
		t.Fatal("the document still refers to another file")
	}
}

// contract writes an event contract beside a copy of the HTTP contract it
// refers to, and returns its path.
func contract(t *testing.T, channels string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("widgets.yaml", `openapi: 3.0.3
info: {title: Widgets, version: 1.0.0}
paths: {}
components:
  schemas:
    Widget:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        parts: {type: array, items: {$ref: "#/components/schemas/Widget"}}
`)
	write("events/widgets.yaml", `asyncapi: 3.0.0
info: {title: Widgets events, version: 1.0.0}
channels:
`+channels+`
operations:
  sendWidgetMade:
    action: send
    channel: {$ref: "#/channels/widgetMade"}
`)
	return filepath.Join(dir, "events", "widgets.yaml")
}

func TestGenerateRefuses(t *testing.T) {
	for _, tc := range []struct{ name, channels, wrong string }{
		{"no address", `  widgetMade:
    messages:
      made: {payload: {type: object}}`, "no address"},
		{"two messages", `  widgetMade:
    address: widgets.made
    messages:
      made: {payload: {type: object}}
      again: {payload: {type: object}}`, "2 messages"},
		{"no payload", `  widgetMade:
    address: widgets.made
    messages:
      made: {name: made}`, "no payload"},
		{"recursive payload", `  widgetMade:
    address: widgets.made
    messages:
      made:
        payload:
          schemaFormat: application/vnd.oai.openapi;version=3.0.0
          schema: {$ref: "../widgets.yaml#/components/schemas/Widget"}`, "refers to itself"},
		{"dangling $ref", `  widgetMade:
    address: widgets.made
    messages:
      made: {payload: {$ref: "../widgets.yaml#/components/schemas/Gadget"}}`, "Gadget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := asyncapi.Load(contract(t, tc.channels))
			if err == nil {
				_, err = eventgen.Generate(doc, eventgen.Config{Package: "widgetsevents", GenModule: "example.com/gen", DocumentFile: "events.json"})
			}
			if err == nil || !strings.Contains(err.Error(), tc.wrong) {
				t.Fatalf("err = %v, want one that says %q", err, tc.wrong)
			}
		})
	}
}

func TestGenerateAnInlinePayload(t *testing.T) {
	doc, err := asyncapi.Load(contract(t, `  widgetMade:
    address: widgets.made
    messages:
      made:
        payload:
          type: object
          required: [id]
          properties:
            id: {type: integer, format: int64}`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := eventgen.Generate(doc, eventgen.Config{Package: "widgetsevents", GenModule: "example.com/gen", DocumentFile: "events.json"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package widgetsevents", `WidgetMade = "widgets.made"`, "type WidgetMadeData struct", "Id int64 `json:\"id\"`", "var Types = []string{WidgetMade}"} {
		if !strings.Contains(string(out.Go), want) {
			t.Errorf("the generated file has no %s:\n%s", want, out.Go)
		}
	}
}

// TestOperationsDeclareTheirContractsEvents holds the HTTP specs' x-events
// (what charter check's events_recorded checks a write records) to the
// event contracts: every type an operation declares is one its service
// publishes, and every published type is declared by an operation, but
// for an expiry, which a job records.
func TestOperationsDeclareTheirContractsEvents(t *testing.T) {
	for _, tc := range []struct {
		spec      string
		types     []string
		byNoWrite []string
	}{
		{"../../api/materials.yaml", materialsevents.Types, nil},
		{"../../api/quotes.yaml", quotesevents.Types, []string{quotesevents.QuoteExpired}},
	} {
		t.Run(filepath.Base(tc.spec), func(t *testing.T) {
			loader := openapi3.NewLoader()
			loader.IsExternalRefsAllowed = true
			doc, err := loader.LoadFromFile(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			declared := map[string]string{}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					list, _ := op.Extensions["x-events"].([]any)
					for _, v := range list {
						typ, _ := v.(string)
						if !slices.Contains(tc.types, typ) {
							t.Errorf("%s %s declares %q, which the service does not publish", method, path, v)
						}
						if other, ok := declared[typ]; ok {
							t.Errorf("%s is declared by %s and by %s %s", typ, other, method, path)
						}
						declared[typ] = method + " " + path
					}
				}
			}
			for _, typ := range tc.types {
				if _, ok := declared[typ]; !ok && !slices.Contains(tc.byNoWrite, typ) {
					t.Errorf("no operation declares %s", typ)
				}
			}
		})
	}
}

// BenchmarkValidate is the cost of checking one material payload against
// its schema, as a relay or the CLI does per event.
func BenchmarkValidate(b *testing.B) {
	data := []byte(`{"id":1,"company_id":1,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true,` +
		`"price_per_square_metre":{"amount":12000,"currency":"EUR"},"created_at":"2026-11-23T09:30:00Z","updated_at":"2026-11-23T09:30:00Z"}`)
	for b.Loop() {
		if err := materialsevents.Validate(materialsevents.MaterialCreated, data); err != nil {
			b.Fatal(err)
		}
	}
}
