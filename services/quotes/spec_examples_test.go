package quotes_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	genmaterials "github.com/charterhq/charter/gen/materials"
	genquotes "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/docs"
	"github.com/charterhq/charter/services/quotes"
)

// exampleCompany is the company of the external development token, the
// caller who tries the prefilled examples of Swagger UI against the demo
// data.
const exampleCompany = 1

// servedSpecs are the bundled specs the two services serve at
// /openapi.json, loaded as Swagger UI reads them.
func servedSpecs(t *testing.T) map[string]*openapi3.T {
	t.Helper()
	specs := map[string]*openapi3.T{}
	for name, bundled := range map[string]func() ([]byte, error){
		"materials": docs.Bundled(genmaterials.GetSwagger, genmaterials.PathToRawSpec),
		"quotes":    docs.Bundled(genquotes.GetSwagger, genquotes.PathToRawSpec),
	} {
		raw, err := bundled()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		specs[name] = doc
	}
	return specs
}

// sharedResponses names the responses of api/shared/components.yaml.
func sharedResponses(t *testing.T) map[string]bool {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../../api/shared/components.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for name := range doc.Components.Responses {
		names[name] = true
	}
	if len(names) == 0 {
		t.Fatal("api/shared/components.yaml has no responses")
	}
	return names
}

// problemExample returns the example of a response's problem document.
func problemExample(r *openapi3.Response) (map[string]any, bool) {
	media := r.Content.Get("application/problem+json")
	if media == nil || media.Example == nil {
		return nil, false
	}
	ex, ok := media.Example.(map[string]any)
	return ex, ok
}

// TestEachErrorResponseHasAnExampleOfItsOwn holds every error response
// of the served specs to an example of its own, so that Swagger UI never
// shows one case's problem under another status: no two different
// responses (a shared one such as PayloadTooLarge, or a service's own
// such as its NotFound) share an example, each carries a request_id, and
// each operation lists it under the status its example has.
func TestEachErrorResponseHasAnExampleOfItsOwn(t *testing.T) {
	shared := sharedResponses(t)
	owners := map[string][]string{} // example as JSON -> responses with it
	seen := map[string]bool{}
	specs := servedSpecs(t)
	for _, spec := range []string{"materials", "quotes"} {
		doc := specs[spec]
		for name, ref := range doc.Components.Responses {
			if ref.Value == nil || ref.Value.Content.Get("application/problem+json") == nil {
				continue
			}
			id := spec + " " + name
			if shared[name] {
				id = "shared " + name
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			ex, ok := problemExample(ref.Value)
			if !ok {
				t.Errorf("%s has no example of its own", id)
				continue
			}
			for _, field := range []string{"type", "title", "status", "detail", "request_id"} {
				if v, _ := ex[field]; v == nil || v == "" {
					t.Errorf("%s: its example has no %s", id, field)
				}
			}
			b, err := json.Marshal(ex)
			if err != nil {
				t.Fatal(err)
			}
			owners[string(b)] = append(owners[string(b)], id)
		}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				for code, ref := range op.Responses.Map() {
					if code[0] != '4' && code[0] != '5' || ref.Value == nil {
						continue
					}
					ex, ok := problemExample(ref.Value)
					if !ok {
						t.Errorf("%s %s %s: %s has no example", spec, method, path, code)
						continue
					}
					if got := fmt.Sprint(ex["status"]); got != code {
						t.Errorf("%s %s %s: the example under %s has status %s", spec, method, path, code, got)
					}
				}
			}
		}
	}
	for ex, ids := range owners {
		if len(ids) > 1 {
			sort.Strings(ids)
			t.Errorf("%s share one example: %s", strings.Join(ids, ", "), ex)
		}
	}
}

// demoMaterial returns the demo material of an ID, as the demo data
// numbers them from 1, and whether there is one.
func demoMaterial(id any) (int, bool) {
	n, ok := id.(float64)
	i := int(n)
	if !ok || float64(i) != n || i < 1 || i > len(materials.DemoMaterials) {
		return 0, false
	}
	return i, true
}

// TestPrefilledExamplesWorkOnTheDemoData holds the examples Swagger UI
// prefills to what the external user of company 1 can try against the
// demo data: every path parameter names a demo resource of that company,
// and every request body creates, updates or lists lines over what it
// has without a conflict.
func TestPrefilledExamplesWorkOnTheDemoData(t *testing.T) {
	ownMaterial := func(v any) bool {
		i, ok := demoMaterial(v)
		return ok && materials.DemoMaterials[i-1].CompanyID == exampleCompany
	}
	ownQuote := func(v any) bool {
		n, ok := v.(float64)
		i := int(n)
		return ok && float64(i) == n && i >= 1 && i <= len(quotes.DemoQuotes) &&
			quotes.DemoQuotes[i-1].CompanyID == exampleCompany
	}
	exists := map[string]func(any) bool{"material_id": ownMaterial, "quote_id": ownQuote}

	specs := servedSpecs(t)
	for _, spec := range []string{"materials", "quotes"} {
		doc := specs[spec]
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				params := slices.Concat(item.Parameters, op.Parameters)
				pathExample := map[string]any{}
				for _, ref := range params {
					p := ref.Value
					if p == nil || p.In != openapi3.ParameterInPath {
						continue
					}
					ex := p.Example
					if ex == nil && p.Schema != nil && p.Schema.Value != nil {
						ex = p.Schema.Value.Example
					}
					pathExample[p.Name] = ex
					check, ok := exists[p.Name]
					if !ok {
						t.Errorf("%s %s %s: no demo data to check the path parameter %s against", spec, method, path, p.Name)
						continue
					}
					if !check(ex) {
						t.Errorf("%s %s %s: the example %v of %s names nothing of company %d in the demo data", spec, method, path, ex, p.Name, exampleCompany)
					}
				}
				if op.RequestBody == nil || op.RequestBody.Value == nil {
					continue
				}
				media := op.RequestBody.Value.Content.Get("application/json")
				if media == nil {
					continue
				}
				ex := media.Example
				if ex == nil && media.Schema != nil && media.Schema.Value != nil {
					ex = media.Schema.Value.Example
				}
				body, ok := ex.(map[string]any)
				if !ok {
					t.Errorf("%s %s %s: the request body has no example", spec, method, path)
					continue
				}
				for _, problem := range bodyProblems(body, pathExample["material_id"], op.OperationID) {
					t.Errorf("%s %s %s: the request body example %s", spec, method, path, problem)
				}
			}
		}
	}
}

// bodyProblems says why a request body example would fail against the
// demo data, for the external user of company 1.
func bodyProblems(body map[string]any, materialID any, operationID string) []string {
	var problems []string
	if c, ok := body["company_id"]; ok && c != float64(exampleCompany) {
		problems = append(problems, fmt.Sprintf("names company %v, not %d", c, exampleCompany))
	}
	if name, ok := body["name"].(string); ok {
		own, _ := demoMaterial(materialID)
		for i, m := range materials.DemoMaterials {
			if m.CompanyID == exampleCompany && m.Name == name && i+1 != own {
				problems = append(problems, fmt.Sprintf("names %q, which material %d of company %d has", name, i+1, exampleCompany))
			}
		}
	}
	if lines, ok := body["lines"]; ok {
		list, _ := lines.([]any)
		if len(list) == 0 {
			problems = append(problems, "has no lines")
		}
		for k, line := range list {
			l, _ := line.(map[string]any)
			i, ok := demoMaterial(l["material_id"])
			if !ok || materials.DemoMaterials[i-1].CompanyID != exampleCompany || !materials.DemoMaterials[i-1].IsActive {
				problems = append(problems, fmt.Sprintf("line %d: material %v is no active demo material of company %d", k, l["material_id"], exampleCompany))
			}
		}
	}
	if len(body) == 0 {
		problems = append(problems, "of "+operationID+" is empty")
	}
	return problems
}
