package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/golang-jwt/jwt/v5"
)

// Signer issues tokens that a [Verifier] built from the same [Config]
// accepts. It exists for development mode and tests; production tokens
// come from an identity provider.
type Signer struct {
	method   jwt.SigningMethod
	key      any
	kid      string
	issuer   string
	audience string
	now      func() time.Time
}

// NewSigner returns a Signer for c: with c.SigningKey (RS256, ES256/384/512
// by curve, or EdDSA) when set, otherwise HS256 with c.HMACSecret.
func NewSigner(c Config) (*Signer, error) {
	if c.Issuer == "" || c.Audience == "" {
		return nil, errors.New("auth: an issuer and an audience are required")
	}
	s := &Signer{issuer: c.Issuer, audience: c.Audience, now: time.Now}
	switch k := c.SigningKey.(type) {
	case nil:
		if len(c.HMACSecret) == 0 {
			return nil, ErrNoKeys
		}
		if len(c.HMACSecret) < minHMACSecret {
			return nil, fmt.Errorf("auth: the HMAC secret has %d bytes, at least %d are needed", len(c.HMACSecret), minHMACSecret)
		}
		s.method, s.key = jwt.SigningMethodHS256, slices.Clone(c.HMACSecret)
	case *rsa.PrivateKey:
		s.method, s.key, s.kid = jwt.SigningMethodRS256, k, c.SigningKeyID
	case *ecdsa.PrivateKey:
		alg, err := defaultAlgorithm(&k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("auth: signing key: %w", err)
		}
		s.method, s.key, s.kid = jwt.GetSigningMethod(alg), k, c.SigningKeyID
	case ed25519.PrivateKey:
		s.method, s.key, s.kid = jwt.SigningMethodEdDSA, k, c.SigningKeyID
	default:
		return nil, fmt.Errorf("auth: unsupported signing key type %T", c.SigningKey)
	}
	return s, nil
}

// Sign returns a token for caller that expires after ttl. A ttl of zero or
// less yields a token that is already expired (beyond the leeway if it is
// long enough), which tests use to provoke a refusal.
func (s *Signer) Sign(caller access.Caller, ttl time.Duration) (string, error) {
	if caller.Subject == "" {
		return "", errors.New("auth: a caller to sign for needs a subject")
	}
	now := s.now()
	cl := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   caller.Subject,
			Audience:  jwt.ClaimStrings{s.audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			IssuedAt:  jwt.NewNumericDate(now),
		},
		Scope:     scopeList(caller.Scopes),
		CompanyID: caller.CompanyID,
	}
	for _, r := range caller.Roles {
		cl.Roles = append(cl.Roles, string(r))
	}
	t := jwt.NewWithClaims(s.method, cl)
	if s.kid != "" {
		t.Header["kid"] = s.kid
	}
	return t.SignedString(s.key)
}

// The scopes of the materials contract, granted to the demo callers.
const (
	scopeMaterialsRead  = "materials:read"
	scopeMaterialsWrite = "materials:write"
)

// DevToken is a named demo token that development mode prints.
type DevToken struct {
	// Name is a short handle: "staff", "external", "viewer".
	Name string
	// Description says in a sentence what the token may do.
	Description string
	// Caller is who the token authenticates.
	Caller access.Caller
	// Token is the signed JWT to send as "Authorization: Bearer <Token>".
	Token string
}

// DevCallers are the demo callers of development mode, one per role the
// materials contract distinguishes.
func DevCallers() []DevToken {
	return []DevToken{
		{
			Name:        "staff",
			Description: "Staff: reads and changes every company's materials.",
			Caller: access.Caller{
				Subject: "dev-staff",
				Roles:   []access.Role{access.Staff},
				Scopes:  []string{scopeMaterialsRead, scopeMaterialsWrite},
			},
		},
		{
			Name:        "external",
			Description: "External user of company 1: reads and changes that company's materials.",
			Caller: access.Caller{
				Subject:   "dev-external-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    []string{scopeMaterialsRead, scopeMaterialsWrite},
			},
		},
		{
			Name:        "viewer",
			Description: "External viewer of company 1: reads that company's materials only.",
			Caller: access.Caller{
				Subject:   "dev-viewer-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    []string{scopeMaterialsRead},
			},
		},
	}
}

// DevTokens signs a token valid for ttl for each of [DevCallers], in the
// same order.
func DevTokens(s *Signer, ttl time.Duration) ([]DevToken, error) {
	tokens := DevCallers()
	for i := range tokens {
		t, err := s.Sign(tokens[i].Caller, ttl)
		if err != nil {
			return nil, fmt.Errorf("auth: signing the %s token: %w", tokens[i].Name, err)
		}
		tokens[i].Token = t
	}
	return tokens, nil
}

// String renders t as a line for a terminal.
func (t DevToken) String() string {
	return fmt.Sprintf("%-8s %s\n         %s", t.Name, t.Description, strings.TrimSpace(t.Token))
}
