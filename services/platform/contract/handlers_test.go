package contract_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/gen/materials"
)

// TestParamError covers a binding failure that the contract accepts: the
// generated code's error still becomes a 400 naming the parameter, without
// its Go error text.
func TestParamError(t *testing.T) {
	c := newContract(t, discardLogger())
	r := chi.NewRouter()
	r.Get("/materials", func(w http.ResponseWriter, r *http.Request) {
		c.ParamError(w, r, &materials.InvalidParamFormatError{ParamName: "limit", Err: errors.New(`strconv.ParseInt: parsing "x": invalid syntax`)})
	})
	req := httptest.NewRequest(http.MethodGet, "/materials?limit=5", nil)
	req.Header.Set("Authorization", "Bearer "+readToken)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if got, want := w.Code, http.StatusBadRequest; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if !strings.Contains(w.Body.String(), `"pointer":"#/query/limit"`) {
		t.Errorf("body does not point at limit: %s", w.Body)
	}
	assertNoLeak(t, w.Body.String())
}

// A binding failure of a request the middleware did not see is answered
// as the contract would answer it: a caller without a token learns
// nothing of the parameter.
func TestParamErrorChecksTheContractFirst(t *testing.T) {
	c := newContract(t, discardLogger())
	r := chi.NewRouter()
	r.Get("/materials", func(w http.ResponseWriter, r *http.Request) {
		c.ParamError(w, r, &materials.InvalidParamFormatError{ParamName: "limit", Err: errors.New("bind")})
	})
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/materials?limit=abc", nil))
	if got, want := w.Code, http.StatusUnauthorized; got != want {
		t.Fatalf("status = %d, want %d: %s", got, want, w.Body)
	}
}

func TestRequestError(t *testing.T) {
	c := newContract(t, discardLogger())
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"body over the limit", fmt.Errorf("can't decode JSON body: %w", &http.MaxBytesError{Limit: 10}), http.StatusRequestEntityTooLarge},
		{"body the generated type refuses", errors.New("can't decode JSON body: json: cannot unmarshal string into Go struct field NewMaterial.thickness of type float64"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c.RequestError(w, httptest.NewRequest(http.MethodPost, "/materials", nil), tt.err)
			if w.Code != tt.want {
				t.Fatalf("status = %d, want %d", w.Code, tt.want)
			}
			if got := w.Header().Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("content type = %q", got)
			}
			assertNoLeak(t, w.Body.String())
			if strings.Contains(w.Body.String(), "Go struct") {
				t.Errorf("body leaks the Go type: %s", w.Body)
			}
		})
	}
}
