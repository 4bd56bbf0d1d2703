package sdktest_test

import (
	"testing"

	"github.com/charterhq/charter/tools/sdktest"
)

// TestGoSDK runs the Go scenarios (tools/sdktest/go, a module that
// requires only the Go SDK) against the live server, and their test that
// the SDK's module graph holds none of the server's dependencies.
func TestGoSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("starts charterd and runs go test in tools/sdktest/go")
	}
	s := sdktest.Shared(t)
	s.Run(t, "tools/sdktest/go", "go", "test", "-count=1", "-v", "./...")
}
