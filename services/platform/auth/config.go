package auth

import (
	"crypto"
	"time"
)

// Defaults applied by [ConfigFromEnv] and [NewVerifier].
const (
	// DefaultIssuer is the expected "iss" when none is configured.
	DefaultIssuer = "charter"
	// DefaultAudience is the expected "aud" when none is configured.
	DefaultAudience = "charter"
	// DefaultLeeway absorbs clock skew between the issuer and this
	// service; small enough that an expired token is not honoured for long.
	DefaultLeeway = 30 * time.Second
	// DefaultCacheSize bounds the verified-token cache. Each entry holds a
	// token and a caller, about a kilobyte, so the default costs ~10 MB at
	// most.
	DefaultCacheSize = 10000
)

// DevelopmentSecret is the HS256 secret of [DevelopmentConfig]. It is in
// the source code, so anybody can sign tokens with it: a server uses it
// only in development mode, never to protect real data.
const DevelopmentSecret = "charter-development-secret-not-for-production-use"

// Config says which tokens a [Verifier] accepts and how a [Signer] signs.
type Config struct {
	// Issuer is the required "iss" claim.
	Issuer string
	// Audience is the required value among the "aud" claim's.
	Audience string
	// Leeway is the clock skew tolerated on exp, nbf and iat. Zero means
	// DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// Algorithms is the allow-list of "alg" header values. Empty means the
	// algorithms of the configured keys (HS256 for the secret, RS256,
	// ES256/ES384/ES512 or EdDSA for public keys, by their type and curve).
	// "none" is refused.
	Algorithms []string
	// HMACSecret verifies and signs HS256 tokens that carry no "kid". At
	// least 32 bytes (RFC 7518 §3.2).
	HMACSecret []byte
	// PublicKeys maps a "kid" to an *rsa.PublicKey, *ecdsa.PublicKey or
	// ed25519.PublicKey. Keys rotate by adding the new kid before tokens
	// carry it and removing the old one once its tokens have expired. The
	// key under "" (and the HMAC secret) verifies tokens without a "kid";
	// when none there fits the token's algorithm, such a token is tried
	// against every key that does.
	PublicKeys map[string]crypto.PublicKey
	// SigningKey, if set, is what a [Signer] signs with instead of the
	// HMAC secret: an *rsa.PrivateKey, *ecdsa.PrivateKey or
	// ed25519.PrivateKey. A Verifier ignores it.
	SigningKey crypto.Signer
	// SigningKeyID is the "kid" a Signer writes with SigningKey.
	SigningKeyID string
	// CacheSize bounds how many verified tokens are remembered. Zero
	// means DefaultCacheSize; a negative value disables the cache.
	CacheSize int
}

// HasKeys reports whether c has a key to verify tokens with. A server uses
// it to decide whether to fall back to [DevelopmentConfig] in development
// mode.
func (c Config) HasKeys() bool { return len(c.HMACSecret) > 0 || len(c.PublicKeys) > 0 }

// UsesDevelopmentSecret reports whether c's HMAC secret is the public
// [DevelopmentSecret], so that a server outside development mode can
// refuse to start with it.
func (c Config) UsesDevelopmentSecret() bool { return string(c.HMACSecret) == DevelopmentSecret }

// DevelopmentConfig returns the configuration of development mode: the
// default issuer and audience and [DevelopmentSecret]. A Verifier and a
// Signer built from it agree, so the tokens of [DevTokens] are accepted.
func DevelopmentConfig() Config {
	return Config{
		Issuer:     DefaultIssuer,
		Audience:   DefaultAudience,
		HMACSecret: []byte(DevelopmentSecret),
	}
}

func (c Config) leeway() time.Duration {
	switch {
	case c.Leeway == 0:
		return DefaultLeeway
	case c.Leeway < 0:
		return 0
	}
	return c.Leeway
}

func (c Config) cacheSize() int {
	if c.CacheSize == 0 {
		return DefaultCacheSize
	}
	return max(c.CacheSize, 0)
}
