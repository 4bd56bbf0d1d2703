package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// minHMACSecret is the shortest HS256 secret accepted: RFC 7518 §3.2 asks
// for a key at least as long as the hash output.
const minHMACSecret = 32

// supportedAlgorithms are the algorithms a key of this package can verify.
var supportedAlgorithms = []string{
	"HS256", "HS384", "HS512",
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512",
	"EdDSA",
}

// keyring holds the verification keys by kid. Each key is checked against
// the token's algorithm before use, so that a key can never be used with
// an algorithm of another family (the HS256-with-an-RSA-public-key
// confusion).
type keyring struct {
	byID map[string][]any
}

func newKeyring(c Config) (*keyring, []string, error) {
	r := &keyring{byID: map[string][]any{}}
	var algs []string
	if len(c.HMACSecret) > 0 {
		if len(c.HMACSecret) < minHMACSecret {
			return nil, nil, fmt.Errorf("auth: the HMAC secret has %d bytes, at least %d are needed", len(c.HMACSecret), minHMACSecret)
		}
		r.byID[""] = append(r.byID[""], slices.Clone(c.HMACSecret))
		algs = append(algs, "HS256")
	}
	for kid, k := range c.PublicKeys {
		alg, err := defaultAlgorithm(k)
		if err != nil {
			return nil, nil, fmt.Errorf("auth: key %q: %w", kid, err)
		}
		r.byID[kid] = append(r.byID[kid], k)
		if !slices.Contains(algs, alg) {
			algs = append(algs, alg)
		}
	}
	if len(r.byID) == 0 {
		return nil, nil, ErrNoKeys
	}
	slices.Sort(algs)
	return r, algs, nil
}

// ErrNoKeys is returned by [NewVerifier] and [NewSigner] when the
// configuration has no key to work with.
var ErrNoKeys = errors.New("auth: no key configured (set an HMAC secret or a public key)")

// errUnknownKey explains, in logs only, why a token's kid or algorithm
// found no key.
var errUnknownKey = errors.New("no configured key matches the token's kid and algorithm")

// lookup returns the keys that may verify a token with the given kid and
// algorithm: one key, or a set that the parser tries in turn.
func (r *keyring) lookup(kid string, hasKID bool, alg string) (any, error) {
	var found []any
	for _, k := range r.byID[kid] {
		if fits(k, alg) {
			found = append(found, k)
		}
	}
	if len(found) == 0 && !hasKID {
		// A token without a kid, and no key of its type declared for
		// such tokens: any trusted key of the right type may have
		// signed it.
		for _, ks := range r.byID {
			for _, k := range ks {
				if fits(k, alg) {
					found = append(found, k)
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, errUnknownKey
	case 1:
		return found[0], nil
	}
	set := jwt.VerificationKeySet{Keys: make([]jwt.VerificationKey, len(found))}
	for i, k := range found {
		set.Keys[i] = k
	}
	return set, nil
}

// fits reports whether key may verify a signature made with alg.
func fits(key any, alg string) bool {
	switch k := key.(type) {
	case []byte:
		return strings.HasPrefix(alg, "HS")
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		want, err := defaultAlgorithm(k)
		return err == nil && alg == want
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

// defaultAlgorithm is the algorithm a public key is used with unless the
// configuration allows more.
func defaultAlgorithm(key crypto.PublicKey) (string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return "", fmt.Errorf("RSA key of %d bits, at least 2048 are needed", k.N.BitLen())
		}
		return "RS256", nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "ES256", nil
		case elliptic.P384():
			return "ES384", nil
		case elliptic.P521():
			return "ES512", nil
		}
		return "", errors.New("unsupported elliptic curve")
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", errors.New("malformed Ed25519 key")
		}
		return "EdDSA", nil
	}
	return "", fmt.Errorf("unsupported key type %T", key)
}

// allowList checks the configured algorithms against what the keys can
// verify, so that a typo or "none" fails at start rather than rejecting
// every request.
func allowList(configured, ofKeys []string, keys *keyring) ([]string, error) {
	if len(configured) == 0 {
		return ofKeys, nil
	}
	var algs []string
	for _, alg := range configured {
		alg = strings.TrimSpace(alg)
		if strings.EqualFold(alg, "none") {
			return nil, errors.New(`auth: the algorithm "none" can never be allowed`)
		}
		if !slices.Contains(supportedAlgorithms, alg) {
			return nil, fmt.Errorf("auth: unsupported algorithm %q", alg)
		}
		if !keys.canVerify(alg) {
			return nil, fmt.Errorf("auth: algorithm %q is allowed but no configured key can verify it", alg)
		}
		if !slices.Contains(algs, alg) {
			algs = append(algs, alg)
		}
	}
	return algs, nil
}

func (r *keyring) canVerify(alg string) bool {
	for _, ks := range r.byID {
		for _, k := range ks {
			if fits(k, alg) {
				return true
			}
		}
	}
	return false
}

// PublicKeyFromPEM parses the first PEM block of data as a public key: a
// PKIX "PUBLIC KEY", a PKCS #1 "RSA PUBLIC KEY" or a "CERTIFICATE" (whose
// key is taken; the certificate itself is not validated).
func PublicKeyFromPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("auth: no PEM block found")
	}
	var (
		key crypto.PublicKey
		err error
	)
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("auth: PEM block %q is not a public key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: parsing public key: %w", err)
	}
	if _, err := defaultAlgorithm(key); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return key, nil
}

// PrivateKeyFromPEM parses the first PEM block of data as a signing key: a
// PKCS #8 "PRIVATE KEY", a PKCS #1 "RSA PRIVATE KEY" or a SEC 1 "EC
// PRIVATE KEY".
func PrivateKeyFromPEM(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("auth: no PEM block found")
	}
	var (
		key any
		err error
	)
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("auth: PEM block %q is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: parsing private key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("auth: unsupported private key type %T", key)
	}
	if _, err := defaultAlgorithm(signer.Public()); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return signer, nil
}
