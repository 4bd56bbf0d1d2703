package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
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
