package contract

import (
	"errors"
	"strings"
	"testing"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
)

// payloadSeeds are payloads of materials' created event: a valid one, and
// variations of it the contract refuses or that the fast check must leave
// to kin-openapi.
var payloadSeeds = func() []string {
	valid := `{"id":1,"company_id":1,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true,` +
		`"price_per_square_metre":{"amount":12000,"currency":"EUR"},"created_at":"2026-11-23T09:30:00Z","updated_at":"2026-11-23T09:30:00.123456789Z"}`
	out := []string{valid}
	for _, r := range [][2]string{
		{`"id":1,`, ``},
		{`"id":1`, `"id":0.5`},
		{`"id":1`, `"id":"1"`},
		{`"name":"10 mm Steel"`, `"name":"  "`},
		{`"name":"10 mm Steel"`, `"name":""`},
		{`"name":"10 mm Steel"`, `"name":"tab\tname"`},
		{`"thickness":10`, `"thickness":0`},
		{`"thickness":10`, `"thickness":1001`},
		{`"currency":"EUR"`, `"currency":"eur"`},
		{`"amount":12000`, `"amount":-1`},
		{`"price_per_square_metre":{"amount":12000,"currency":"EUR"},`, ``},
		{`"price_per_square_metre":{"amount":12000,"currency":"EUR"}`, `"price_per_square_metre":null`},
		{`"created_at":"2026-11-23T09:30:00Z"`, `"created_at":"yesterday"`},
		{`"is_active":true`, `"is_active":"yes"`},
		{`"is_active":true`, `"is_active":true,"is_active":false`},
		{`{"id":1`, `{"extra":[1,{"a":null}],"id":1`},
	} {
		out = append(out, strings.Replace(valid, r[0], r[1], 1))
	}
	return append(out, `null`, `[]`, `{}`, ``, `{`, valid+`x`)
}()

// TestFastResponseCheckNeverAcceptsWhatKinRefuses holds the response
// flavour of the fast check to the same promise as the request one, on
// the payloads of the event contracts (which the generated Validate
// checks as responses): whatever it accepts, kin-openapi accepts too.
func TestFastResponseCheckNeverAcceptsWhatKinRefuses(t *testing.T) {
	s, err := materialsevents.Schema(materialsevents.MaterialCreated)
	if err != nil {
		t.Fatal(err)
	}
	check := FastResponseCheck(s)
	if check == nil {
		t.Fatal("the material payload gets no fast check")
	}
	for _, p := range payloadSeeds {
		if check([]byte(p)) && materialsevents.Validate(materialsevents.MaterialCreated, []byte(p)) != nil {
			t.Errorf("the fast check accepts %s, kin-openapi refuses it", p)
		}
	}
	// The readOnly id, which makes a request body unsure, is a response's
	// own: a plain valid payload takes the fast way.
	if !check([]byte(payloadSeeds[0])) {
		t.Error("a plain valid payload is not accepted by the fast check")
	}
	if _, err := quotesevents.Schema("charter.nothing.here"); !errors.Is(err, quotesevents.ErrUnknownType) {
		t.Errorf("the schema of an unknown type: %v", err)
	}
}

// quoteSeeds are payloads of quotes' submitted event, whose state is an
// enum.
var quoteSeeds = func() []string {
	valid := `{"id":3,"company_id":7,"state":"submitted","lines":[{"material_id":1,"material_name":"Steel","quantity":2,` +
		`"width_mm":1000,"height_mm":500,"unit_price":{"amount":6000,"currency":"EUR"},"total":{"amount":12000,"currency":"EUR"}}],` +
		`"total":{"amount":12000,"currency":"EUR"},"valid_until":"2026-12-30T09:30:00Z","submitted_at":"2026-11-30T09:30:00Z",` +
		`"created_at":"2026-11-30T09:00:00Z","updated_at":"2026-11-30T09:30:00Z"}`
	out := []string{valid}
	for _, state := range []string{`"draft"`, `"Submitted"`, `"bogus"`, `""`, `"\u0073ubmitted"`, `null`, `1`} {
		out = append(out, strings.Replace(valid, `"submitted"`, state, 1))
	}
	return out
}()

func TestFastResponseCheckOfAnEnum(t *testing.T) {
	s, err := quotesevents.Schema(quotesevents.QuoteSubmitted)
	if err != nil {
		t.Fatal(err)
	}
	check := FastResponseCheck(s)
	if check == nil {
		t.Fatal("the quote payload gets no fast check")
	}
	for i, p := range quoteSeeds {
		fast, kin := check([]byte(p)), quotesevents.Validate(quotesevents.QuoteSubmitted, []byte(p)) == nil
		if fast && !kin {
			t.Errorf("the fast check accepts %s, kin-openapi refuses it", p)
		}
		if i < 2 && !fast {
			t.Errorf("a plain valid payload is not accepted by the fast check: %s", p)
		}
	}
}

func FuzzFastResponseCheck(f *testing.F) {
	for _, p := range append(payloadSeeds, quoteSeeds...) {
		f.Add([]byte(p))
	}
	material, err := materialsevents.Schema(materialsevents.MaterialCreated)
	if err != nil {
		f.Fatal(err)
	}
	quote, err := quotesevents.Schema(quotesevents.QuoteSubmitted)
	if err != nil {
		f.Fatal(err)
	}
	checkMaterial, checkQuote := FastResponseCheck(material), FastResponseCheck(quote)
	f.Fuzz(func(t *testing.T, p []byte) {
		if checkMaterial(p) && materialsevents.Validate(materialsevents.MaterialCreated, p) != nil {
			t.Errorf("the fast check accepts %q as a material, kin-openapi refuses it", p)
		}
		if checkQuote(p) && quotesevents.Validate(quotesevents.QuoteSubmitted, p) != nil {
			t.Errorf("the fast check accepts %q as a quote, kin-openapi refuses it", p)
		}
	})
}

// BenchmarkFastResponseCheck is the fast check of a material's payload;
// compare with tools/eventgen's BenchmarkValidate, the decoding and
// kin-openapi walk it spares.
func BenchmarkFastResponseCheck(b *testing.B) {
	s, err := materialsevents.Schema(materialsevents.MaterialCreated)
	if err != nil {
		b.Fatal(err)
	}
	check, data := FastResponseCheck(s), []byte(payloadSeeds[0])
	b.ReportAllocs()
	for b.Loop() {
		if !check(data) {
			b.Fatal("refused")
		}
	}
}
