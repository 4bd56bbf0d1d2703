package sdktest_test

import (
	"net/http"
	"testing"

	"github.com/charterhq/charter/tools/sdktest"
)

// TestServerServesEveryCaller: the server started for the scenarios
// answers each caller as its role allows: the external user and the viewer
// of one company read its materials, the user of the other company does
// not see them, and a request without a token is refused.
func TestServerServesEveryCaller(t *testing.T) {
	if testing.Short() {
		t.Skip("starts charterd")
	}
	s := sdktest.Shared(t)
	for _, service := range []string{"materials", "quotes"} {
		if s.URLs[service] == "" {
			t.Fatalf("no URL for %s: %v", service, s.URLs)
		}
	}
	get := func(token, path string) int {
		req, err := http.NewRequest(http.MethodGet, s.URLs["materials"]+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	// Material 1 is the demo data's first material, of company 1.
	for caller, want := range map[string]int{
		sdktest.Staff: 200, sdktest.External: 200, sdktest.Viewer: 200, sdktest.OtherCompany: 404,
	} {
		if got := get(s.Tokens[caller], "/materials/1"); got != want {
			t.Errorf("%s's GET /materials/1 answered %d, want %d", caller, got, want)
		}
	}
	if got := get("", "/materials"); got != http.StatusUnauthorized {
		t.Errorf("GET /materials without a token answered %d, want 401", got)
	}
}
