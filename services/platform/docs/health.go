package docs

import (
	"context"
	"net/http"
	"time"

	"github.com/charterhq/charter/services/platform/problem"
)

// healthy is the body of a passing health check.
var healthy = []byte(`{"status":"ok"}` + "\n")

// Healthz answers 200 {"status":"ok"} while the process can serve HTTP
// at all: it is the liveness probe, so it checks nothing else.
func Healthz(w http.ResponseWriter, r *http.Request) {
	writeHealthy(w)
}

// ReadyzTimeout bounds one readiness check, so that a hung dependency
// fails the probe instead of hanging it.
const ReadyzTimeout = 2 * time.Second

// Readyz answers 200 {"status":"ok"} when check passes and a 503 problem
// when it fails or takes longer than ReadyzTimeout: it is the readiness
// probe, and check should ping what requests need (the database). The
// check's error is not shown, since probes can be public.
func Readyz(check func(ctx context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if check != nil {
			ctx, cancel := context.WithTimeout(r.Context(), ReadyzTimeout)
			defer cancel()
			if err := check(ctx); err != nil {
				problem.Write(w, r, problem.New(http.StatusServiceUnavailable, "The service is not ready to serve requests."))
				return
			}
		}
		writeHealthy(w)
	}
}

func writeHealthy(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(healthy)
}
