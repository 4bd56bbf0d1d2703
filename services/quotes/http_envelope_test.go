package quotes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/charterhq/charter/services/platform/edge"
)

// TestQuotesProblemEnvelope holds the problems quotes' controller answers
// to the envelope of the edge's: the request's path and ID in the
// document, and headers that keep caches and browsers from reusing it.
// The 503 goes through the generated response that sets Retry-After.
func TestQuotesProblemEnvelope(t *testing.T) {
	send := aloneService(t)
	bob := aloneSign(aloneHeader, aloneClaims(""))
	res, body := send("POST", "/quotes", bob, `{"lines":[{"material_id":1,"quantity":1,"width_mm":100,"height_mm":100}]}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("creating a draft: status %d: %s", res.StatusCode, body)
	}
	var draft struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(body, &draft); err != nil {
		t.Fatal(err)
	}
	submit := fmt.Sprintf("/quotes/%d/submit", draft.ID)
	cases := []struct {
		name, method, target, token string
		status                      int
		headers                     map[string]string
	}{
		{name: "edge: an unknown route", method: "GET", target: "/quotez", status: 404},
		{name: "contract: no token", method: "GET", target: "/quotes", status: 401},
		{name: "controller: a quote that does not exist", method: "GET", target: "/quotes/999999", token: bob, status: 404},
		{name: "controller: a quote that cannot be priced now", method: "POST", target: submit, token: bob, status: 503,
			headers: map[string]string{"Retry-After": "5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := send(c.method, c.target, c.token, "")
			if res.StatusCode != c.status {
				t.Fatalf("status = %d, want %d: %s", res.StatusCode, c.status, body)
			}
			var p struct {
				Status    int    `json:"status"`
				Instance  string `json:"instance"`
				RequestID string `json:"request_id"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.Status != c.status {
				t.Fatalf("not a problem document of status %d: %v: %s", c.status, err, body)
			}
			if p.Instance != c.target {
				t.Errorf("instance = %q, want the request's path %q: %s", p.Instance, c.target, body)
			}
			if got, want := p.RequestID, res.Header.Get(edge.RequestIDHeader); got == "" || got != want {
				t.Errorf("request_id = %q, want the X-Request-Id %q", got, want)
			}
			want := map[string]string{"Content-Type": "application/problem+json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
			for h, v := range c.headers {
				want[h] = v
			}
			for h, v := range want {
				if got := res.Header.Get(h); got != v {
					t.Errorf("%s = %q, want %q", h, got, v)
				}
			}
		})
	}
}
