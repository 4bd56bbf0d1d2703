// Package docs serves what a service says about itself: Swagger UI at
// /docs, the OpenAPI spec at /openapi.json and /openapi.yaml, and the
// health endpoints /healthz and /readyz.
//
// Swagger UI comes from github.com/swaggest/swgui, which embeds the
// swagger-ui-dist assets in the binary: the docs work offline and load
// nothing from a CDN.
package docs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"
	"go.yaml.in/yaml/v3"
)

// Paths the handlers are meant to be mounted at; the UI loads SpecJSONPath.
const (
	UIPath       = "/docs"
	SpecJSONPath = "/openapi.json"
	SpecYAMLPath = "/openapi.yaml"
	HealthzPath  = "/healthz"
	ReadyzPath   = "/readyz"
)

// Spec serves one OpenAPI document as JSON and as YAML. The JSON and its
// ETag are prepared in NewSpec; the YAML, which few clients ask for, is
// rendered from it on its first request, once.
type Spec struct {
	json document

	yamlOnce sync.Once
	yaml     document
	yamlErr  error
}

// document is one prepared encoding of the spec.
type document struct {
	body        []byte
	etag        string
	contentType string
}

// NewSpec prepares the spec given as JSON, such as the generated
// GetSpecJSON returns. It fails when specJSON is not a JSON object.
func NewSpec(specJSON []byte) (*Spec, error) {
	if len(specJSON) == 0 {
		return nil, errors.New("docs: empty spec")
	}
	if !json.Valid(specJSON) {
		return nil, errors.New("docs: spec is not JSON")
	}
	if trimmed := bytes.TrimLeft(specJSON, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("docs: spec is not a JSON object")
	}
	return &Spec{json: newDocument(specJSON, "application/json")}, nil
}

// toYAML renders the spec, given as a JSON object, as block YAML.
func toYAML(specJSON []byte) ([]byte, error) {
	// Decoding into yaml.Node keeps the document's key order, which a
	// map would lose; JSON is a subset of YAML, so the YAML decoder reads
	// it as it is.
	var node yaml.Node
	if err := yaml.Unmarshal(specJSON, &node); err != nil {
		return nil, fmt.Errorf("docs: spec is not JSON: %w", err)
	}
	if len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("docs: spec is not a JSON object")
	}
	unstyle(&node)
	asYAML, err := yaml.Marshal(&node)
	if err != nil {
		return nil, fmt.Errorf("docs: spec to YAML: %w", err)
	}
	return asYAML, nil
}

// unstyle drops the flow style the JSON source gave every node, so that
// the YAML reads as block YAML rather than as JSON.
func unstyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle
	for _, c := range n.Content {
		unstyle(c)
	}
}

func newDocument(body []byte, contentType string) document {
	sum := sha256.Sum256(body)
	return document{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, contentType: contentType}
}

// JSON serves the spec as JSON.
func (s *Spec) JSON(w http.ResponseWriter, r *http.Request) { s.json.serve(w, r) }

// YAML serves the spec as YAML.
func (s *Spec) YAML(w http.ResponseWriter, r *http.Request) {
	s.yamlOnce.Do(func() {
		body, err := toYAML(s.json.body)
		if err != nil {
			s.yamlErr = err
			return
		}
		s.yaml = newDocument(body, "application/yaml")
	})
	if s.yamlErr != nil {
		http.Error(w, "the spec could not be rendered as YAML", http.StatusInternalServerError)
		return
	}
	s.yaml.serve(w, r)
}

// serve answers with the document, or 304 when the client holds the same
// version. The spec changes only with a deploy, so clients may keep it a
// few minutes but must revalidate after that.
func (d *document) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("ETag", d.etag)
	h.Set("Cache-Control", "public, max-age=300, must-revalidate")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, d.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(d.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(d.body)
	}
}

// UI returns Swagger UI, served from the assets embedded in the binary,
// loading the spec from SpecJSONPath. basePath is where the UI is mounted
// (UIPath). The bearer token a user enters stays across page reloads
// (persistAuthorization), so that trying the API needs it once. above is
// HTML shown above the UI, such as EventsLink; none when empty.
func UI(title, basePath string, above ...template.HTML) http.Handler {
	var prepend template.HTML
	for _, h := range above {
		prepend += h
	}
	ui := v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       title,
		SwaggerJSON: SpecJSONPath,
		BasePath:    basePath,
		PrependHTML: prepend,
		SettingsUI: map[string]string{
			"persistAuthorization":   "true",
			"tryItOutEnabled":        "true",
			"displayRequestDuration": "true",
		},
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ui.ServeHTTP(&notFoundWriter{ResponseWriter: w, r: r}, r)
	})
}
