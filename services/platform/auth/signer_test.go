package auth

import (
	"slices"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/access"
)

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
