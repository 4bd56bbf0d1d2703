package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"testing"
	"time"
)

// BenchmarkVerify compares the first sight of a token (a signature check;
// "cold", the cache disabled) with its repetitions (a cache hit), per
// algorithm, and the cache hit under parallel load.
func BenchmarkVerify(b *testing.B) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	keys := []struct {
		alg string
		key crypto.Signer
	}{{"HS256", nil}, {"RS256", rsaKey()}, {"ES256", ecKey}, {"EdDSA", edKey}}
	for _, k := range keys {
		c := testConfig()
		if k.key != nil {
			c.HMACSecret = nil
			c.SigningKey = k.key
			c.PublicKeys = map[string]crypto.PublicKey{"": k.key.Public()}
		}
		token := sign(b, newSigner(b, c), someone, time.Hour)
		for _, mode := range []string{"cold", "cached"} {
			cc := c
			if mode == "cold" {
				cc.CacheSize = -1
			}
			v := newVerifier(b, cc)
			b.Run(fmt.Sprintf("%s/%s", k.alg, mode), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := v.Verify(token); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("HS256/cached-parallel", func(b *testing.B) {
		c := testConfig()
		v := newVerifier(b, c)
		token := sign(b, newSigner(b, c), someone, time.Hour)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := v.Verify(token); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("HS256/cached-parallel-distinct", func(b *testing.B) {
		c := testConfig()
		v := newVerifier(b, c)
		s := newSigner(b, c)
		tokens := make([]string, 256)
		for i := range tokens {
			caller := someone
			caller.CompanyID = int64(i + 1)
			tokens[i] = sign(b, s, caller, time.Hour)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := v.Verify(tokens[i%len(tokens)]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}
