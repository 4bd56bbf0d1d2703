package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/access"
)

func TestDevTokens(t *testing.T) {
	c := DevelopmentConfig()
	v := newVerifier(t, c)
	tokens, err := DevTokens(newSigner(t, c), time.Hour, []string{"materials:read", "materials:write"})
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
