package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/access"
)

const testSecret = "a-test-secret-that-is-long-enough-for-hs256"

func testConfig() Config {
	return Config{Issuer: "test-issuer", Audience: "test-audience", HMACSecret: []byte(testSecret)}
}

// rsaKey is generated once: a 2048-bit key takes long under -race.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newVerifier(t testing.TB, c Config) *Verifier {
	t.Helper()
	v, err := NewVerifier(c)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

func newSigner(t testing.TB, c Config) *Signer {
	t.Helper()
	s, err := NewSigner(c)
	if err != nil {
		t.Fatalf("NewSigner: %v", err)
	}
	return s
}

func sign(t testing.TB, s *Signer, c access.Caller, ttl time.Duration) string {
	t.Helper()
	tok, err := s.Sign(c, ttl)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return tok
}

var someone = access.Caller{
	Subject:   "user-7",
	CompanyID: 3,
	Roles:     []access.Role{access.External},
	Scopes:    []string{"materials:read", "materials:write"},
}

// craft builds a token by hand, so that tests can produce what no honest
// signer would: alg "none", claims of the wrong type, a missing exp.
func craft(t testing.TB, header, payload map[string]any, signature func(signingInput string) []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(payload)
	var sig []byte
	if signature != nil {
		sig = signature(input)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func hs256(secret []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

// payload returns valid claims for testConfig, to be spoilt by a test.
func payload(now time.Time) map[string]any {
	return map[string]any{
		"iss":   "test-issuer",
		"aud":   "test-audience",
		"sub":   "user-7",
		"iat":   now.Unix(),
		"exp":   now.Add(time.Hour).Unix(),
		"scope": "materials:read",
	}
}

func with(p map[string]any, key string, value any) map[string]any {
	q := map[string]any{}
	for k, v := range p {
		q[k] = v
	}
	if value == nil {
		delete(q, key)
	} else {
		q[key] = value
	}
	return q
}

var hsHeader = map[string]any{"alg": "HS256", "typ": "JWT"}

func TestVerify(t *testing.T) {
	c := testConfig()
	v := newVerifier(t, c)
	s := newSigner(t, c)
	now := time.Now()
	other := testConfig()
	other.HMACSecret = []byte("another-secret-that-is-also-long-enough!!")

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"a valid token is accepted", sign(t, s, someone, time.Hour), nil},
		{"no token is missing", "", ErrMissing},
		{"garbage is malformed", "not a token", ErrMalformed},
		{"three dotted garbage parts are malformed", "a.b.c", ErrMalformed},
		{"an oversized token is malformed", strings.Repeat("a", MaxTokenLength+1), ErrMalformed},
		{"a token expired beyond the leeway is refused", sign(t, s, someone, -2*time.Minute), ErrExpired},
		{"a token expired within the leeway is accepted", sign(t, s, someone, -10*time.Second), nil},
		{"a token signed with another secret is refused", sign(t, newSigner(t, other), someone, time.Hour), ErrInvalid},
		{"a token with a tampered payload is refused", tamper(t, sign(t, s, someone, time.Hour)), ErrInvalid},
		{"a token without signature is refused", strings.TrimRight(sign(t, s, someone, time.Hour), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), ErrInvalid},
		{"alg none is refused", craft(t, map[string]any{"alg": "none", "typ": "JWT"}, payload(now), nil), ErrInvalid},
		{"alg None is refused", craft(t, map[string]any{"alg": "None", "typ": "JWT"}, payload(now), nil), ErrInvalid},
		{"alg none with a signature is refused", craft(t, map[string]any{"alg": "none"}, payload(now), hs256([]byte(testSecret))), ErrInvalid},
		{"an algorithm not allowed is refused", craft(t, map[string]any{"alg": "HS512"}, payload(now), hs256([]byte(testSecret))), ErrInvalid},
		{"a wrong audience is refused", craft(t, hsHeader, with(payload(now), "aud", "someone-else"), hs256([]byte(testSecret))), ErrWrongAudience},
		{"an audience among several is accepted", craft(t, hsHeader, with(payload(now), "aud", []string{"x", "test-audience"}), hs256([]byte(testSecret))), nil},
		{"a missing audience is refused", craft(t, hsHeader, with(payload(now), "aud", nil), hs256([]byte(testSecret))), ErrClaims},
		{"a wrong issuer is refused", craft(t, hsHeader, with(payload(now), "iss", "evil"), hs256([]byte(testSecret))), ErrWrongAudience},
		{"a missing issuer is refused", craft(t, hsHeader, with(payload(now), "iss", nil), hs256([]byte(testSecret))), ErrClaims},
		{"a missing exp is refused", craft(t, hsHeader, with(payload(now), "exp", nil), hs256([]byte(testSecret))), ErrClaims},
		{"an exp of the wrong type is malformed", craft(t, hsHeader, with(payload(now), "exp", "tomorrow"), hs256([]byte(testSecret))), ErrMalformed},
		{"nbf in the future is refused", craft(t, hsHeader, with(payload(now), "nbf", now.Add(5*time.Minute).Unix()), hs256([]byte(testSecret))), ErrNotYetValid},
		{"nbf within the leeway is accepted", craft(t, hsHeader, with(payload(now), "nbf", now.Add(10*time.Second).Unix()), hs256([]byte(testSecret))), nil},
		{"iat in the future is refused", craft(t, hsHeader, with(payload(now), "iat", now.Add(5*time.Minute).Unix()), hs256([]byte(testSecret))), ErrNotYetValid},
		{"a missing sub is refused", craft(t, hsHeader, with(payload(now), "sub", nil), hs256([]byte(testSecret))), ErrClaims},
		{"a negative company_id is refused", craft(t, hsHeader, with(payload(now), "company_id", -1), hs256([]byte(testSecret))), ErrClaims},
		{"a company_id string is malformed", craft(t, hsHeader, with(payload(now), "company_id", "1"), hs256([]byte(testSecret))), ErrMalformed},
		{"roles as a string are malformed", craft(t, hsHeader, with(payload(now), "roles", "staff"), hs256([]byte(testSecret))), ErrMalformed},
		{"an unknown kid is refused", craft(t, map[string]any{"alg": "HS256", "kid": "nope"}, payload(now), hs256([]byte(testSecret))), ErrInvalid},
		{"a kid that is not a string is refused", craft(t, map[string]any{"alg": "HS256", "kid": 7}, payload(now), hs256([]byte(testSecret))), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(tt.token)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if got.Subject != "user-7" {
					t.Errorf("Subject = %q, want user-7", got.Subject)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e != tt.want {
				t.Errorf("errors.As = %v, want the sentinel %v", e, tt.want)
			}
			if got.Subject != "" {
				t.Errorf("a refused token yielded caller %+v", got)
			}
		})
	}
	if n := v.cache.len(); n > 4 {
		t.Errorf("cache holds %d entries after 4 distinct valid tokens: refusals were cached", n)
	}
}

func tamper(t testing.TB, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.Replace(string(raw), `"company_id":3`, `"company_id":4`, 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

func TestVerifyClaims(t *testing.T) {
	c := testConfig()
	v := newVerifier(t, c)
	sig := hs256([]byte(testSecret))
	now := time.Now()
	tests := []struct {
		name    string
		payload map[string]any
		want    access.Caller
	}{
		{
			"scope is a space-separated string",
			with(payload(now), "scope", "materials:write  materials:read"),
			access.Caller{Subject: "user-7", Scopes: []string{"materials:read", "materials:write"}},
		},
		{
			"scp is an array",
			with(with(payload(now), "scope", nil), "scp", []string{"materials:read"}),
			access.Caller{Subject: "user-7", Scopes: []string{"materials:read"}},
		},
		{
			"scp may be a string",
			with(with(payload(now), "scope", nil), "scp", "materials:read materials:write"),
			access.Caller{Subject: "user-7", Scopes: []string{"materials:read", "materials:write"}},
		},
		{
			"scope and scp are merged without duplicates",
			with(payload(now), "scp", []string{"materials:read", "materials:write"}),
			access.Caller{Subject: "user-7", Scopes: []string{"materials:read", "materials:write"}},
		},
		{
			"no scope grants none",
			with(payload(now), "scope", nil),
			access.Caller{Subject: "user-7"},
		},
		{
			"roles and company_id",
			with(with(payload(now), "roles", []string{"external", "external"}), "company_id", 42),
			access.Caller{Subject: "user-7", CompanyID: 42, Roles: []access.Role{access.External}, Scopes: []string{"materials:read"}},
		},
		{
			"staff without company",
			with(payload(now), "roles", []string{"staff"}),
			access.Caller{Subject: "user-7", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(craft(t, hsHeader, tt.payload, sig))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !equalCallers(got, tt.want) {
				t.Errorf("caller = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func equalCallers(a, b access.Caller) bool {
	return a.Subject == b.Subject && a.CompanyID == b.CompanyID &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Scopes, b.Scopes)
}

func TestVerifySignerRoundTrip(t *testing.T) {
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tt := range []struct {
		name string
		key  crypto.Signer
		alg  string
	}{
		{"HS256", nil, "HS256"},
		{"RS256", rsaKey(), "RS256"},
		{"ES256", ecKey, "ES256"},
		{"ES384", ec384, "ES384"},
		{"EdDSA", edKey, "EdDSA"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig()
			if tt.key != nil {
				c.HMACSecret = nil
				c.SigningKey, c.SigningKeyID = tt.key, "k1"
				c.PublicKeys = map[string]crypto.PublicKey{"k1": tt.key.Public()}
			}
			v := newVerifier(t, c)
			if got := v.Algorithms(); !slices.Equal(got, []string{tt.alg}) {
				t.Errorf("Algorithms() = %v, want [%s]", got, tt.alg)
			}
			got, err := v.Verify(sign(t, newSigner(t, c), someone, time.Hour))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !equalCallers(got, someone) {
				t.Errorf("caller = %+v, want %+v", got, someone)
			}
		})
	}
}

// An attacker who knows the RSA public key signs an HS256 token with it as
// the HMAC secret, hoping the verifier feeds the same key to HMAC.
func TestVerifyRefusesAlgorithmConfusion(t *testing.T) {
	pub := &rsaKey().PublicKey
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	c := Config{Issuer: "test-issuer", Audience: "test-audience", PublicKeys: map[string]crypto.PublicKey{"": pub}}
	v := newVerifier(t, c)
	now := time.Now()
	for name, secret := range map[string][]byte{"PEM": pemBytes, "DER": der} {
		for _, kid := range []any{nil, ""} {
			header := map[string]any{"alg": "HS256", "typ": "JWT"}
			if kid != nil {
				header["kid"] = kid
			}
			_, err := v.Verify(craft(t, header, payload(now), hs256(secret)))
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("HS256 signed with the %s public key (kid %v): error = %v, want ErrInvalid", name, kid, err)
			}
		}
	}
	c.Algorithms = []string{"RS256", "HS256"}
	if _, err := NewVerifier(c); err == nil {
		t.Error("NewVerifier allowed HS256 with only an RSA key")
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	_, oldKey, _ := ed25519.GenerateKey(rand.Reader)
	_, newKey, _ := ed25519.GenerateKey(rand.Reader)
	_, strangerKey, _ := ed25519.GenerateKey(rand.Reader)
	c := Config{Issuer: "test-issuer", Audience: "test-audience", PublicKeys: map[string]crypto.PublicKey{
		"2024": oldKey.Public(),
		"2025": newKey.Public(),
	}}
	v := newVerifier(t, c)
	signer := func(key ed25519.PrivateKey, kid string) *Signer {
		sc := c
		sc.SigningKey, sc.SigningKeyID = key, kid
		return newSigner(t, sc)
	}
	tests := []struct {
		name   string
		signer *Signer
		want   error
	}{
		{"the old key's kid is accepted", signer(oldKey, "2024"), nil},
		{"the new key's kid is accepted", signer(newKey, "2025"), nil},
		{"no kid is tried against every key", signer(newKey, ""), nil},
		{"a kid naming another key is refused", signer(newKey, "2024"), ErrInvalid},
		{"an unknown kid is refused", signer(newKey, "2026"), ErrInvalid},
		{"an unknown key without kid is refused", signer(strangerKey, ""), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(sign(t, tt.signer, someone, time.Hour))
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyCache(t *testing.T) {
	c := testConfig()
	v := newVerifier(t, c)
	s := newSigner(t, c)
	now := time.Now()
	v.now = func() time.Time { return now }
	s.now = v.now
	token := sign(t, s, someone, time.Minute)

	first, err := v.Verify(token)
	if err != nil {
		t.Fatalf("first Verify: %v", err)
	}
	if v.cache.len() != 1 {
		t.Fatalf("cache holds %d entries after one token, want 1", v.cache.len())
	}
	second, err := v.Verify(token)
	if err != nil {
		t.Fatalf("cached Verify: %v", err)
	}
	if !equalCallers(first, second) || !equalCallers(second, someone) {
		t.Errorf("cached caller = %+v, first %+v, want %+v", second, first, someone)
	}

	t.Run("a cached token within the leeway is accepted", func(t *testing.T) {
		now = now.Add(time.Minute + 20*time.Second)
		if _, err := v.Verify(token); err != nil {
			t.Errorf("Verify: %v", err)
		}
	})
	t.Run("an expired cached token is refused and dropped", func(t *testing.T) {
		now = now.Add(time.Minute)
		if _, err := v.Verify(token); !errors.Is(err, ErrExpired) {
			t.Errorf("Verify error = %v, want ErrExpired", err)
		}
		if v.cache.len() != 0 {
			t.Errorf("cache holds %d entries, want the expired one dropped", v.cache.len())
		}
		if _, err := v.Verify(token); !errors.Is(err, ErrExpired) {
			t.Errorf("second Verify error = %v, want ErrExpired", err)
		}
	})
	t.Run("appending to a cached caller's slices does not change the cache", func(t *testing.T) {
		fresh := sign(t, s, someone, time.Hour)
		a, _ := v.Verify(fresh)
		a.Scopes = append(a.Scopes, "admin")
		a.Roles = append(a.Roles, access.Staff)
		b, _ := v.Verify(fresh)
		if !equalCallers(b, someone) {
			t.Errorf("cached caller became %+v", b)
		}
	})
}

func TestVerifyCacheIsBounded(t *testing.T) {
	c := testConfig()
	c.CacheSize = 100
	v := newVerifier(t, c)
	s := newSigner(t, c)
	bound := v.cache.perShard * len(v.cache.shards)
	for i := range 1000 {
		caller := someone
		caller.CompanyID = int64(i + 1)
		if _, err := v.Verify(sign(t, s, caller, time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.cache.len(); n > bound || n < c.CacheSize/2 {
		t.Errorf("cache holds %d entries, want at most %d and not far below %d", n, bound, c.CacheSize)
	}
}

func TestVerifyCacheEvictsExpiredFirst(t *testing.T) {
	c := testConfig()
	c.CacheSize = evictionSample
	v := newVerifier(t, c)
	s := newSigner(t, c)
	now := time.Now()
	v.now = func() time.Time { return now }
	s.now = v.now
	long := sign(t, s, someone, 24*time.Hour)
	if _, err := v.Verify(long); err != nil {
		t.Fatal(err)
	}
	for i := range 5 * evictionSample {
		caller := someone
		caller.CompanyID = int64(i + 10)
		if _, err := v.Verify(sign(t, s, caller, time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// The short-lived entries expire; new tokens must push them out, not
	// the long-lived one.
	now = now.Add(10 * time.Minute)
	for i := range evictionSample - 1 {
		caller := someone
		caller.CompanyID = int64(i + 1000)
		if _, err := v.Verify(sign(t, s, caller, time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := v.cache.get(long, now); !ok {
		t.Error("the long-lived token was evicted while expired entries remained")
	}
}

func TestVerifyWithoutCache(t *testing.T) {
	c := testConfig()
	c.CacheSize = -1
	v := newVerifier(t, c)
	if v.cache != nil {
		t.Fatal("a negative CacheSize left a cache")
	}
	token := sign(t, newSigner(t, c), someone, time.Hour)
	for range 2 {
		if _, err := v.Verify(token); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
}

func TestVerifyConcurrently(t *testing.T) {
	c := testConfig()
	c.CacheSize = 16
	v := newVerifier(t, c)
	s := newSigner(t, c)
	tokens := make([]string, 64)
	for i := range tokens {
		caller := someone
		caller.CompanyID = int64(i + 1)
		tokens[i] = sign(t, s, caller, time.Hour)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (i*7 + g) % len(tokens)
				got, err := v.Verify(tokens[k])
				if err != nil || got.CompanyID != int64(k+1) {
					t.Errorf("Verify(token %d) = %+v, %v", k, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewVerifierRefusesBadConfig(t *testing.T) {
	ok := testConfig()
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"no key", func(c *Config) { c.HMACSecret = nil }},
		{"a short secret", func(c *Config) { c.HMACSecret = []byte("short") }},
		{"no issuer", func(c *Config) { c.Issuer = "" }},
		{"no audience", func(c *Config) { c.Audience = "" }},
		{"alg none", func(c *Config) { c.Algorithms = []string{"HS256", "none"} }},
		{"alg NONE", func(c *Config) { c.Algorithms = []string{"NONE"} }},
		{"an unknown algorithm", func(c *Config) { c.Algorithms = []string{"HS1"} }},
		{"an algorithm without key", func(c *Config) { c.Algorithms = []string{"EdDSA"} }},
		{"a small RSA key", func(c *Config) { c.PublicKeys = map[string]crypto.PublicKey{"k": &smallRSA.PublicKey} }},
		{"a key of unknown type", func(c *Config) { c.PublicKeys = map[string]crypto.PublicKey{"k": "key"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			if _, err := NewVerifier(c); err == nil {
				t.Error("NewVerifier accepted the configuration")
			}
		})
	}
	if _, err := NewVerifier(Config{Issuer: "i", Audience: "a"}); !errors.Is(err, ErrNoKeys) {
		t.Errorf("no keys: error = %v, want ErrNoKeys", err)
	}
}

func TestVerifyWithoutLeeway(t *testing.T) {
	c := testConfig()
	c.Leeway = -1
	v := newVerifier(t, c)
	token := sign(t, newSigner(t, c), someone, -2*time.Second)
	if _, err := v.Verify(token); !errors.Is(err, ErrExpired) {
		t.Errorf("Verify error = %v, want ErrExpired", err)
	}
}

func decodePart(t testing.TB, token string, i int, v any) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}
