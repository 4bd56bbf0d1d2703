package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/golang-jwt/jwt/v5"
)

// MaxTokenLength bounds the tokens Verify reads. Charter's tokens are a
// few hundred bytes; refusing anything much longer before decoding keeps
// an oversized header from costing more than its rejection.
const MaxTokenLength = 8 << 10

// Verifier checks bearer tokens and says who sent them. It is safe for
// concurrent use; build one at start and share it.
type Verifier struct {
	parser     *jwt.Parser
	keys       *keyring
	algorithms []string
	leeway     time.Duration
	cache      *cache
	// now is the clock; tests replace it to see tokens expire.
	now func() time.Time
}

// NewVerifier returns a Verifier for c. It fails when c has no key, an
// unusable key, no issuer or audience, or an allow-list naming "none", an
// unknown algorithm or one no key can verify: a misconfiguration is found
// at start, not by the first request.
func NewVerifier(c Config) (*Verifier, error) {
	if c.Issuer == "" || c.Audience == "" {
		return nil, errors.New("auth: an issuer and an audience are required")
	}
	keys, ofKeys, err := newKeyring(c)
	if err != nil {
		return nil, err
	}
	algs, err := allowList(c.Algorithms, ofKeys, keys)
	if err != nil {
		return nil, err
	}
	v := &Verifier{
		keys:       keys,
		algorithms: algs,
		leeway:     c.leeway(),
		cache:      newCache(c.cacheSize()),
		now:        time.Now,
	}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(algs),
		jwt.WithIssuer(c.Issuer),
		jwt.WithAudience(c.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.leeway),
		jwt.WithTimeFunc(func() time.Time { return v.now() }),
		jwt.WithStrictDecoding(),
	)
	return v, nil
}

// Algorithms returns the allow-list in force, for the start-up log.
func (v *Verifier) Algorithms() []string { return append([]string(nil), v.algorithms...) }

// Verify checks token (the credentials of "Authorization: Bearer", without
// the scheme) and returns its caller. The error is one of this package's
// sentinels (ErrMissing, ErrMalformed, ErrInvalid, ErrWrongAudience,
// ErrClaims, ErrExpired, ErrNotYetValid), wrapped with the cause for logs.
//
// A token that verified is cached until it expires, so that repeating it
// costs a map look-up instead of a signature check. The slices of the
// returned Caller may be shared with other calls: read them, do not
// modify their elements.
func (v *Verifier) Verify(token string) (access.Caller, error) {
	if token == "" {
		return access.Caller{}, ErrMissing
	}
	if len(token) > MaxTokenLength {
		return access.Caller{}, fail(ErrMalformed, fmt.Errorf("token of %d bytes", len(token)))
	}
	now := v.now()
	if v.cache != nil {
		caller, cached, valid := v.cache.get(token, now)
		if valid {
			return caller, nil
		}
		if cached {
			return access.Caller{}, fail(ErrExpired, errors.New("cached token expired"))
		}
	}
	var cl claims
	parsed, err := v.parser.ParseWithClaims(token, &cl, v.keyFor)
	if err != nil {
		return access.Caller{}, classify(err)
	}
	if !parsed.Valid {
		return access.Caller{}, fail(ErrInvalid, errors.New("token not marked valid"))
	}
	// The JSON is read again only once the signature has verified, so that
	// a stranger's token costs no more than its signature check.
	if err := checkJSON(token); err != nil {
		return access.Caller{}, err
	}
	caller := cl.caller()
	if v.cache != nil {
		// The parser required exp, so it is present here.
		v.cache.put(token, caller, cl.ExpiresAt.Add(v.leeway), now)
	}
	return caller, nil
}

// keyFor finds the key for a parsed but unverified token, by its kid and
// algorithm; the algorithm was already checked against the allow-list.
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	var (
		kid    string
		hasKID bool
	)
	if raw, ok := t.Header["kid"]; ok {
		s, isString := raw.(string)
		if !isString {
			return nil, errors.New(`the "kid" header is not a string`)
		}
		kid, hasKID = s, true
	}
	return v.keys.lookup(kid, hasKID, t.Method.Alg())
}

// classify maps the parser's error to the sentinel a client sees. Several
// claim errors can come together; the order says which one is worth
// telling: a token for another service is refused as such even if it has
// also expired.
func classify(err error) error {
	var kind *Error
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		kind = ErrMalformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		kind = ErrInvalid
	case errors.Is(err, jwt.ErrTokenInvalidAudience), errors.Is(err, jwt.ErrTokenInvalidIssuer):
		kind = ErrWrongAudience
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing), errors.Is(err, jwt.ErrInvalidType),
		errors.Is(err, errNoSubject), errors.Is(err, errBadCompany):
		kind = ErrClaims
	case errors.Is(err, jwt.ErrTokenExpired):
		kind = ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		kind = ErrNotYetValid
	default:
		kind = ErrInvalid
	}
	return fail(kind, err)
}
