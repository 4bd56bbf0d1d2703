package docs_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.yaml.in/yaml/v3"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/docs"
)

func newRouter(t *testing.T, ready func(context.Context) error) http.Handler {
	t.Helper()
	raw, err := materials.GetSpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := docs.NewSpec(raw)
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Get(docs.SpecJSONPath, spec.JSON)
	r.Get(docs.SpecYAMLPath, spec.YAML)
	r.Get(docs.HealthzPath, docs.Healthz)
	r.Get(docs.ReadyzPath, docs.Readyz(ready))
	ui := docs.UI("Materials", docs.UIPath)
	r.Handle(docs.UIPath, ui)
	r.Handle(docs.UIPath+"/*", ui)
	return r
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestSpec(t *testing.T) {
	h := newRouter(t, nil)

	t.Run("json is the embedded spec", func(t *testing.T) {
		w := get(t, h, "/openapi.json")
		raw, _ := materials.GetSpecJSON()
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if got, want := w.Header().Get("Content-Type"), "application/json"; got != want {
			t.Errorf("content type = %q, want %q", got, want)
		}
		if w.Body.String() != string(raw) {
			t.Error("body is not the embedded spec")
		}
		if w.Header().Get("ETag") == "" || w.Header().Get("Cache-Control") == "" {
			t.Errorf("missing caching headers: %v", w.Header())
		}
	})

	t.Run("yaml says the same as json", func(t *testing.T) {
		w := get(t, h, "/openapi.yaml")
		if got, want := w.Header().Get("Content-Type"), "application/yaml"; got != want {
			t.Errorf("content type = %q, want %q", got, want)
		}
		var fromYAML, fromJSON map[string]any
		if err := yaml.Unmarshal(w.Body.Bytes(), &fromYAML); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(get(t, h, "/openapi.json").Body.Bytes(), &fromJSON); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(fromYAML)
		b, _ := json.Marshal(fromJSON)
		if string(a) != string(b) {
			t.Error("YAML and JSON documents differ")
		}
		if strings.HasPrefix(w.Body.String(), "{") {
			t.Error("YAML is written in flow style")
		}
	})

	t.Run("a matching etag gets 304", func(t *testing.T) {
		etag := get(t, h, "/openapi.json").Header().Get("ETag")
		w := get(t, h, "/openapi.json", "If-None-Match", etag)
		if got, want := w.Code, http.StatusNotModified; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if w.Body.Len() != 0 {
			t.Error("304 has a body")
		}
	})

	t.Run("not JSON is refused", func(t *testing.T) {
		if _, err := docs.NewSpec([]byte("[1, 2")); err == nil {
			t.Error("NewSpec accepted broken JSON")
		}
	})
}

func TestUI(t *testing.T) {
	h := newRouter(t, nil)
	w := get(t, h, "/docs/")
	if got, want := w.Code, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	page := w.Body.String()
	for _, want := range []string{"/openapi.json", "persistAuthorization", "swagger-ui-bundle.js"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, cdn := range []string{"unpkg.com", "cdn.jsdelivr", "cdnjs"} {
		if strings.Contains(page, cdn) {
			t.Errorf("page loads from a CDN (%s)", cdn)
		}
	}
	asset := get(t, h, "/docs/swagger-ui-bundle.js")
	if got, want := asset.Code, http.StatusOK; got != want {
		t.Fatalf("asset status = %d, want %d", got, want)
	}
	if asset.Body.Len() < 100_000 {
		t.Errorf("asset is %d bytes, want the embedded bundle", asset.Body.Len())
	}
	missing := get(t, h, "/docs/no-such-asset.css")
	if got, want := missing.Code, http.StatusNotFound; got != want {
		t.Fatalf("missing asset status = %d, want %d", got, want)
	}
	if got, want := missing.Header().Get("Content-Type"), "application/problem+json"; got != want {
		t.Errorf("missing asset content type = %q, want %q", got, want)
	}
	if !json.Valid(missing.Body.Bytes()) {
		t.Errorf("missing asset body is not JSON: %s", missing.Body)
	}
}

func TestHealth(t *testing.T) {
	failing := errors.New("database is locked")
	tests := []struct {
		name       string
		target     string
		check      func(context.Context) error
		wantStatus int
		wantType   string
	}{
		{"healthz is always ok", "/healthz", func(context.Context) error { return failing }, http.StatusOK, "application/json"},
		{"readyz is ok when the check passes", "/readyz", func(context.Context) error { return nil }, http.StatusOK, "application/json"},
		{"readyz is 503 when the check fails", "/readyz", func(context.Context) error { return failing }, http.StatusServiceUnavailable, "application/problem+json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, newRouter(t, tt.check), tt.target)
			if got := w.Code; got != tt.wantStatus {
				t.Errorf("status = %d, want %d", got, tt.wantStatus)
			}
			if got := w.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("content type = %q, want %q", got, tt.wantType)
			}
			body, _ := io.ReadAll(w.Body)
			if tt.wantStatus == http.StatusOK && string(body) != "{\"status\":\"ok\"}\n" {
				t.Errorf("body = %q", body)
			}
			if strings.Contains(string(body), "locked") {
				t.Error("the check's error reached the client")
			}
		})
	}
}
