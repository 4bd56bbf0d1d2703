// Package scenario is what an integrator writes with Charter's Go SDK
// (github.com/charterhq/charter/gen/sdk/go), run against the live server:
// go test ./tools/sdktest in the repository starts charterd and runs this
// module's tests with the services' URLs and the callers' tokens in the
// environment. Run on its own, without them, the scenarios skip.
package scenario

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"
)

// env is a variable the driver sets; the test skips without it.
func env(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("%s is not set: run go test ./tools/sdktest from the repository's root, which starts charterd", name)
	}
	return v
}

// companyID is the company of the external token.
func companyID(t *testing.T) int64 {
	t.Helper()
	id, err := strconv.ParseInt(env(t, "CHARTER_COMPANY_ID"), 10, 64)
	if err != nil {
		t.Fatalf("CHARTER_COMPANY_ID: %v", err)
	}
	return id
}

// bearer sends token on every request of a client, as an integrator's
// RequestEditorFn does.
func bearer(token string) func(ctx context.Context, req *http.Request) error {
	return func(ctx context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// unique is a suffix that keeps the names of one run apart from another's.
func unique() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ctx is the context of one scenario: generous, since the machine may be
// busy, but bounded.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// ptr is a pointer to v, for the optional fields of requests.
func ptr[T any](v T) *T { return &v }
