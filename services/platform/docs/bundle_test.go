package docs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"
	"go.yaml.in/yaml/v3"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/docs"
)

// served is what the materials service serves at /openapi.json and
// /openapi.yaml, through the router, as integrators get it.
func served(t *testing.T) (asJSON, asYAML []byte) {
	t.Helper()
	bundled, err := docs.Bundled(materials.GetSwagger, materials.PathToRawSpec)()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := docs.NewSpec(bundled)
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Get(docs.SpecJSONPath, spec.JSON)
	r.Get(docs.SpecYAMLPath, spec.YAML)
	return get(t, r, docs.SpecJSONPath).Body.Bytes(), get(t, r, docs.SpecYAMLPath).Body.Bytes()
}

func TestServedSpecIsOneDocument(t *testing.T) {
	asJSON, asYAML := served(t)
	for name, body := range map[string][]byte{"json": asJSON, "yaml": asYAML} {
		t.Run(name+" has no $ref into another file and validates", func(t *testing.T) {
			if ref, ok := refToAnotherFile(t, body); ok {
				t.Errorf("the served spec refers to another file: $ref %q", ref)
			}
			// A loader that may not read other files: what an integrator's
			// tool holding only this document can do.
			doc, err := openapi3.NewLoader().LoadFromData(body)
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Errorf("the served spec does not validate: %v", err)
			}
		})
	}

	doc, err := openapi3.NewLoader().LoadFromData(asJSON)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("components keep their own names", func(t *testing.T) {
		c := doc.Components
		for kind, names := range map[string][]string{
			"schemas":         slices.Collect(maps.Keys(c.Schemas)),
			"responses":       slices.Collect(maps.Keys(c.Responses)),
			"parameters":      slices.Collect(maps.Keys(c.Parameters)),
			"securitySchemes": slices.Collect(maps.Keys(c.SecuritySchemes)),
		} {
			for _, name := range names {
				if strings.Contains(name, "shared") {
					t.Errorf("%s %s is named after its file", kind, name)
				}
			}
		}
		for _, name := range []string{"Problem", "FieldError"} {
			if c.Schemas[name] == nil {
				t.Errorf("no schema %s", name)
			}
		}
		for _, name := range []string{"BadRequest", "Unauthorized", "NotFound", "InternalError"} {
			if c.Responses[name] == nil {
				t.Errorf("no response %s", name)
			}
		}
		for _, name := range []string{"Limit", "Offset"} {
			if c.Parameters[name] == nil {
				t.Errorf("no parameter %s", name)
			}
		}
	})
	t.Run("the security scheme is a scheme, not a $ref", func(t *testing.T) {
		s := doc.Components.SecuritySchemes["bearerAuth"]
		if s == nil || s.Ref != "" || s.Value == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
			t.Fatalf("bearerAuth = %+v", s)
		}
	})
	t.Run("operation IDs are as the spec writes them", func(t *testing.T) {
		var got []string
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				got = append(got, op.OperationID)
			}
		}
		slices.Sort(got)
		want := []string{"createMaterial", "deleteMaterial", "getMaterial", "listMaterials", "updateMaterial"}
		if !slices.Equal(got, want) {
			t.Errorf("operation IDs = %v, want %v", got, want)
		}
	})
	t.Run("it is the spec's own files bundled", func(t *testing.T) {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		fromFiles, err := loader.LoadFromFile("../../../api/materials.yaml")
		if err != nil {
			t.Fatal(err)
		}
		want, err := docs.Bundle(fromFiles, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(asJSON, want) {
			t.Error("the served spec differs from api/materials.yaml bundled")
		}
	})
}

func TestBundleRefusesTwoComponentsOfOneName(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("shared.yaml", `openapi: 3.0.3
info: {title: Shared, version: 1.0.0}
paths: {}
components:
  schemas:
    Problem:
      type: object
      properties:
        title: {type: string}
`)
	write("spec.yaml", `openapi: 3.0.3
info: {title: Spec, version: 1.0.0}
paths:
  /things:
    get:
      responses:
        "200":
          description: A thing.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
        "400":
          description: A problem.
          content:
            application/problem+json:
              schema: {$ref: "shared.yaml#/components/schemas/Problem"}
components:
  schemas:
    Problem:
      type: object
      properties:
        name: {type: string}
`)
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Bundle(doc, nil); err == nil || !strings.Contains(err.Error(), "Problem") {
		t.Errorf("Bundle = %v, want an error naming Problem", err)
	}
}

// refToAnotherFile finds a $ref that does not point into the document.
func refToAnotherFile(t *testing.T, body []byte) (string, bool) {
	t.Helper()
	var tree any
	if err := yamlOrJSON(body, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(v any) (string, bool)
	walk = func(v any) (string, bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if s, ok := child.(string); ok && k == "$ref" && !strings.HasPrefix(s, "#") {
					return s, true
				}
				if ref, ok := walk(child); ok {
					return ref, true
				}
			}
		case []any:
			for _, child := range v {
				if ref, ok := walk(child); ok {
					return ref, true
				}
			}
		}
		return "", false
	}
	return walk(tree)
}

func yamlOrJSON(body []byte, v any) error {
	if json.Valid(body) {
		return json.Unmarshal(body, v)
	}
	return yaml.Unmarshal(body, v)
}
