package auth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/access"
)

func TestDevTokens(t *testing.T) {
	c := DevelopmentConfig()
	v := newVerifier(t, c)
	tokens, err := DevTokens(newSigner(t, c), time.Hour)
	if err != nil {
		t.Fatalf("DevTokens: %v", err)
	}
	want := map[string]struct {
		role      access.Role
		company   int64
		canWrite  bool
		canRead   bool
		hasPrefix string
	}{
		"staff":    {access.Staff, 0, true, true, "dev-"},
		"external": {access.External, 1, true, true, "dev-"},
		"viewer":   {access.External, 1, false, true, "dev-"},
	}
	if len(tokens) != len(want) {
		t.Fatalf("DevTokens returned %d tokens, want %d", len(tokens), len(want))
	}
	for _, tok := range tokens {
		t.Run(tok.Name, func(t *testing.T) {
			w, ok := want[tok.Name]
			if !ok {
				t.Fatalf("unexpected token %q", tok.Name)
			}
			got, err := v.Verify(tok.Token)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !equalCallers(got, tok.Caller) {
				t.Errorf("caller = %+v, want %+v", got, tok.Caller)
			}
			if !got.Has(w.role) || got.CompanyID != w.company || !strings.HasPrefix(got.Subject, w.hasPrefix) {
				t.Errorf("caller = %+v, want role %s and company %d", got, w.role, w.company)
			}
			if can := MissingScopes(got.Scopes, []string{"materials:write"}) == nil; can != w.canWrite {
				t.Errorf("can write = %v, want %v", can, w.canWrite)
			}
			if can := MissingScopes(got.Scopes, []string{"materials:read"}) == nil; can != w.canRead {
				t.Errorf("can read = %v, want %v", can, w.canRead)
			}
			if tok.Description == "" || !strings.Contains(tok.String(), tok.Token) {
				t.Errorf("String() = %q lacks a description or the token", tok.String())
			}
		})
	}
}

func TestSignerWritesTheContractClaims(t *testing.T) {
	c := testConfig()
	s := newSigner(t, c)
	now := time.Unix(1_700_000_000, 0)
	s.now = func() time.Time { return now }
	token := sign(t, s, someone, time.Hour)
	var header, claims map[string]any
	decodePart(t, token, 0, &header)
	decodePart(t, token, 1, &claims)
	if header["alg"] != "HS256" {
		t.Errorf("alg = %v, want HS256", header["alg"])
	}
	for name, want := range map[string]any{
		"iss":        "test-issuer",
		"sub":        "user-7",
		"scope":      "materials:read materials:write",
		"company_id": float64(3),
		"exp":        float64(now.Add(time.Hour).Unix()),
		"iat":        float64(now.Unix()),
	} {
		if claims[name] != want {
			t.Errorf("claim %s = %v (%T), want %v", name, claims[name], claims[name], want)
		}
	}
	if roles, _ := claims["roles"].([]any); !slices.Equal(roles, []any{"external"}) {
		t.Errorf("roles = %v, want [external]", claims["roles"])
	}
}

func TestNewSignerRefusesBadConfig(t *testing.T) {
	for name, c := range map[string]Config{
		"no key":         {Issuer: "i", Audience: "a"},
		"a short secret": {Issuer: "i", Audience: "a", HMACSecret: []byte("short")},
		"no issuer":      {Audience: "a", HMACSecret: []byte(DevelopmentSecret)},
	} {
		if _, err := NewSigner(c); err == nil {
			t.Errorf("%s: NewSigner accepted the configuration", name)
		}
	}
	if _, err := newSigner(t, testConfig()).Sign(access.Caller{}, time.Hour); err == nil {
		t.Error("Sign accepted a caller without subject")
	}
}
