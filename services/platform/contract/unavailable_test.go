package contract_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/stories/story"
)

// errDown is what a repository returns when its database is down: an
// error whose type says so (sqldb.ErrUnavailable is one).
type errDown struct{}

func (errDown) Error() string     { return "dial tcp 127.0.0.1:5432: connect: connection refused" }
func (errDown) Unavailable() bool { return true }

// TestResponseErrorUnavailable: an internal error that wraps an
// unavailable dependency is answered 503 with Retry-After, the answer a
// client and a load balancer know to retry; any other stays a 500.
func TestResponseErrorUnavailable(t *testing.T) {
	c := newContract(t, discardLogger())
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
	}{
		{"an internal error", errors.New("boom"), http.StatusInternalServerError, ""},
		{"a story's internal error wrapping an unavailable database",
			&story.Failed{Story: "GetMaterial", Step: "fetch", Err: fmt.Errorf("sqldb: get material: %w", errDown{})},
			http.StatusServiceUnavailable, answer.RetryAfterHeader},
		{"an error joined with an unavailable one", errors.Join(errors.New("rollback"), errDown{}),
			http.StatusServiceUnavailable, answer.RetryAfterHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c.ResponseError(w, httptest.NewRequest(http.MethodGet, "/materials/1", nil), tt.err)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if got := w.Header().Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("content type = %q", got)
			}
			assertNoLeak(t, w.Body.String())
			if body := w.Body.String(); strings.Contains(body, "connection refused") || strings.Contains(body, "5432") {
				t.Errorf("body leaks the error: %s", body)
			}
		})
	}
}
