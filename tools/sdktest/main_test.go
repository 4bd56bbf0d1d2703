package sdktest_test

import (
	"os"
	"testing"

	"github.com/charterhq/charter/tools/sdktest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	sdktest.Cleanup()
	os.Exit(code)
}
