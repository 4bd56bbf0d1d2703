package asyncapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/asyncapi"
)

func TestLoadTheQuotesContract(t *testing.T) {
	doc, err := asyncapi.Load("../../api/events/quotes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var sent, received []string
	for _, c := range doc.Sent() {
		sent = append(sent, c.Address)
	}
	for _, c := range doc.Received() {
		received = append(received, c.Address)
		if filepath.Base(c.From) != "materials.yaml" {
			t.Errorf("channel %s comes from %q, want materials.yaml", c.ID, c.From)
		}
	}
	if got, want := strings.Join(sent, " "), "charter.quotes.quote.submitted charter.quotes.quote.accepted charter.quotes.quote.rejected charter.quotes.quote.expired"; got != want {
		t.Errorf("sent %s, want %s", got, want)
	}
	if got, want := strings.Join(received, " "), "charter.materials.material.created charter.materials.material.updated charter.materials.material.deleted"; got != want {
		t.Errorf("received %s, want %s", got, want)
	}
	for _, op := range doc.Operations {
		if op.Action == asyncapi.Receive && op.Queue != "quotes" {
			t.Errorf("%s: queue %q, want the durable consumer quotes", op.ID, op.Queue)
		}
	}
	m := doc.Channel("quoteSubmitted").Messages[0]
	if m.SchemaFormat != asyncapi.SchemaFormatOpenAPI30 || m.ContentType != "application/json" || !m.PayloadIsRef {
		t.Errorf("message %+v", m)
	}
	if filepath.Base(m.PayloadSource.File) != "quotes.yaml" || m.PayloadSource.Pointer != "/components/schemas/Quote" {
		t.Errorf("payload written at %+v, want the HTTP contract's Quote", m.PayloadSource)
	}
	// The payload is self-contained: the Money of the total is inlined.
	total := m.Payload.Map("properties").Map("total")
	if total == nil || total.Get("$ref") != nil || total.Map("properties").Map("currency") == nil {
		t.Errorf("total is not inlined: %+v", total)
	}
}

func TestLoadRefuses(t *testing.T) {
	for _, tc := range []struct{ name, doc, wrong string }{
		{"OpenAPI", "openapi: 3.0.3\n", "not an AsyncAPI 3 document"},
		{"AsyncAPI 2", "asyncapi: 2.6.0\n", "not an AsyncAPI 3 document"},
		{"operation to another file's channel", `asyncapi: 3.0.0
info: {title: x, version: 1.0.0}
operations:
  send:
    action: send
    channel: {$ref: "other.yaml#/channels/x"}
`, "must point into the document's channels"},
		{"unknown action", `asyncapi: 3.0.0
info: {title: x, version: 1.0.0}
channels:
  x: {address: x}
operations:
  publish:
    action: publish
    channel: {$ref: "#/channels/x"}
`, "neither send nor receive"},
		{"missing file", `asyncapi: 3.0.0
info: {title: x, version: 1.0.0}
channels:
  x: {$ref: "nowhere.yaml#/channels/x"}
`, "nowhere.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "doc.yaml")
			if err := os.WriteFile(p, []byte(tc.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := asyncapi.Load(p)
			if err == nil || !strings.Contains(err.Error(), tc.wrong) {
				t.Fatalf("err = %v, want one that says %q", err, tc.wrong)
			}
		})
	}
}
