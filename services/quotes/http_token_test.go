package quotes_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/quotes"
	domain "github.com/charterhq/charter/stories/quotes"
)

// aloneService serves quotes alone, pricing from a materials service
// that cannot be reached, and returns a function that sends it one
// request with a bearer token (none when empty). It builds everything
// itself, so that the tests that use it need no other file's helpers.
func aloneService(t *testing.T) func(method, target, token, body string) (*http.Response, []byte) {
	t.Helper()
	cfg := auth.Config{Issuer: "alone-test", Audience: "quotes", HMACSecret: []byte(aloneSecret)}
	verifier, err := auth.NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	unreachable := func(context.Context, []int64) (map[int64]domain.PricedMaterial, error) {
		return nil, fmt.Errorf("dial materials: %w", domain.ErrMaterialsUnreachable)
	}
	h, err := quotes.NewHandler(quotes.Options{
		Parts:  quotes.Parts{Repository: memory.NewQuotes(), Copies: memory.NewMaterialCopies(), Materials: unreachable, Now: time.Now},
		Verify: verifier.Verify,
		Checks: checks.Policy{Mode: checks.Strict},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	send := func(method, target, token, body string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, data
	}
	return send
}

const aloneSecret = "quotes-alone-test-secret-of-at-least-32-bytes"

// aloneClaims is the payload of an external caller of company 7 who
// reads and writes quotes, written by hand with extra members after its
// "roles" and "exp" last.
func aloneClaims(extra string) string {
	return fmt.Sprintf(`{"iss":"alone-test","aud":"quotes","sub":"bob","scope":"quotes:read quotes:write","company_id":7,"roles":["external"],%s"iat":%d,"exp":%d}`,
		extra, time.Now().Unix(), time.Now().Add(time.Hour).Unix())
}

// aloneSign signs a header and a payload written by hand with the
// service's HS256 secret.
func aloneSign(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	input := enc([]byte(header)) + "." + enc([]byte(payload))
	mac := hmac.New(sha256.New, []byte(aloneSecret))
	mac.Write([]byte(input))
	return input + "." + enc(mac.Sum(nil))
}

const aloneHeader = `{"alg":"HS256","typ":"JWT"}`

// TestQuotesRefuseAmbiguousTokens sends signed tokens that a lenient
// reader would take for something their issuer did not write; each is
// refused as an invalid token, with the reason in the challenge.
func TestQuotesRefuseAmbiguousTokens(t *testing.T) {
	send := aloneService(t)
	if res, body := send("GET", "/quotes", aloneSign(aloneHeader, aloneClaims("")), ""); res.StatusCode != http.StatusOK {
		t.Fatalf("a hand-signed token without a flaw: status %d: %s", res.StatusCode, body)
	}
	claims := aloneClaims("")
	i := strings.LastIndex(claims, `"exp":`) + len(`"exp":`)
	expAsString := claims[:i] + `"` + strings.TrimSuffix(claims[i:], "}") + `"}`
	tokens := []struct{ name, token string }{
		{"roles given twice, staff last", aloneSign(aloneHeader, aloneClaims(`"roles":["staff"],`))},
		{"roles given again in another case", aloneSign(aloneHeader, aloneClaims(`"Roles":["staff"],`))},
		{"exp as a string of digits", aloneSign(aloneHeader, expAsString)},
		{"nbf as a string", aloneSign(aloneHeader, aloneClaims(fmt.Sprintf(`"nbf":"%d",`, time.Now().Unix())))},
		{"an unknown critical header", aloneSign(`{"alg":"HS256","typ":"JWT","crit":["x-charter"],"x-charter":1}`, aloneClaims(""))},
	}
	for _, tok := range tokens {
		t.Run(tok.name, func(t *testing.T) {
			res, body := send("GET", "/quotes", tok.token, "")
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401: %s", res.StatusCode, body)
			}
			var p struct {
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.Detail == "" {
				t.Fatalf("not a problem with a detail: %v: %s", err, body)
			}
			challenge := res.Header.Get("WWW-Authenticate")
			if !strings.Contains(challenge, `error="invalid_token"`) || !strings.Contains(challenge, `error_description="`+p.Detail+`"`) {
				t.Errorf("WWW-Authenticate = %q, want invalid_token described as %q", challenge, p.Detail)
			}
		})
	}
}
