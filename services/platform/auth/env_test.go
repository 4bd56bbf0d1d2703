package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writePEM(t *testing.T, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigFromEnvDefaults(t *testing.T) {
	c, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	if c.Issuer != DefaultIssuer || c.Audience != DefaultAudience || c.leeway() != DefaultLeeway || c.cacheSize() != DefaultCacheSize {
		t.Errorf("defaults = %+v", c)
	}
	if c.HasKeys() {
		t.Error("an empty environment configured a key")
	}
	if c.UsesDevelopmentSecret() || !DevelopmentConfig().UsesDevelopmentSecret() {
		t.Error("UsesDevelopmentSecret does not tell the development secret apart")
	}
}

func TestConfigFromEnv(t *testing.T) {
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edDER, _ := x509.MarshalPKIXPublicKey(edPub)
	ecDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	rsaDER := x509.MarshalPKCS1PublicKey(&rsaKey().PublicKey)
	privDER, _ := x509.MarshalPKCS8PrivateKey(edPriv)

	c, err := ConfigFromEnv(env(map[string]string{
		"CHARTER_JWT_ISSUER":           "https://id.example.com",
		"CHARTER_JWT_AUDIENCE":         "materials",
		"CHARTER_JWT_LEEWAY":           "5s",
		"CHARTER_JWT_ALGORITHMS":       "EdDSA, ES256,RS256",
		"CHARTER_JWT_HS256_SECRET":     testSecret,
		"CHARTER_JWT_PUBLIC_KEY_FILE":  writePEM(t, "PUBLIC KEY", edDER),
		"CHARTER_JWT_PUBLIC_KEY_ID":    "ed",
		"CHARTER_JWT_PUBLIC_KEYS":      "ec=" + writePEM(t, "PUBLIC KEY", ecDER) + ", rsa=" + writePEM(t, "RSA PUBLIC KEY", rsaDER),
		"CHARTER_JWT_SIGNING_KEY_FILE": writePEM(t, "PRIVATE KEY", privDER),
		"CHARTER_JWT_SIGNING_KEY_ID":   "ed",
		"CHARTER_JWT_CACHE_SIZE":       "50",
	}))
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	if c.Issuer != "https://id.example.com" || c.Audience != "materials" || c.leeway() != 5*time.Second || c.CacheSize != 50 {
		t.Errorf("config = %+v", c)
	}
	if len(c.PublicKeys) != 3 || c.PublicKeys["ed"] == nil || c.PublicKeys["ec"] == nil || c.PublicKeys["rsa"] == nil {
		t.Errorf("public keys = %v", c.PublicKeys)
	}
	v := newVerifier(t, c)
	if got := v.Algorithms(); len(got) != 3 {
		t.Errorf("Algorithms() = %v, want the three configured", got)
	}
	// The signing key of the environment makes tokens its public key
	// verifies.
	if _, err := v.Verify(sign(t, newSigner(t, c), someone, time.Hour)); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestConfigFromEnvZeroMeansNone(t *testing.T) {
	c, err := ConfigFromEnv(env(map[string]string{"CHARTER_JWT_LEEWAY": "0s", "CHARTER_JWT_CACHE_SIZE": "0"}))
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	if c.leeway() != 0 || c.cacheSize() != 0 {
		t.Errorf("leeway %v, cache size %d; want none", c.leeway(), c.cacheSize())
	}
}

func TestConfigFromEnvRefuses(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	private := writePEM(t, "EC PRIVATE KEY", []byte("junk"))
	tests := map[string]map[string]string{
		"a bad leeway":            {"CHARTER_JWT_LEEWAY": "soon"},
		"a negative leeway":       {"CHARTER_JWT_LEEWAY": "-1s"},
		"a bad cache size":        {"CHARTER_JWT_CACHE_SIZE": "many"},
		"a missing key file":      {"CHARTER_JWT_PUBLIC_KEY_FILE": missing},
		"a private key as public": {"CHARTER_JWT_PUBLIC_KEY_FILE": private},
		"a rotation entry no kid": {"CHARTER_JWT_PUBLIC_KEYS": missing},
		"a bad signing key":       {"CHARTER_JWT_SIGNING_KEY_FILE": private},
	}
	for name, vars := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ConfigFromEnv(env(vars)); err == nil {
				t.Error("ConfigFromEnv accepted the environment")
			}
		})
	}
}

func TestPublicKeyFromPEMReadsCertificates(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: bigOne(), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	key, err := PublicKeyFromPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	if err != nil {
		t.Fatalf("PublicKeyFromPEM: %v", err)
	}
	if !pub.Equal(key) {
		t.Error("the certificate's key was not returned")
	}
}

func bigOne() *big.Int { return big.NewInt(1) }
