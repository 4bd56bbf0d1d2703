package auth

import (
	"crypto"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ConfigFromEnv builds a Config from the CHARTER_JWT_* variables listed in
// the package documentation, reading key files from disk. getenv is
// usually os.Getenv; tests pass a map's lookup. A configuration without
// any key is returned without error: whether that is acceptable (a
// development fallback) is the server's decision, and [NewVerifier]
// refuses it otherwise.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Issuer:   DefaultIssuer,
		Audience: DefaultAudience,
	}
	if v := getenv("CHARTER_JWT_ISSUER"); v != "" {
		c.Issuer = v
	}
	if v := getenv("CHARTER_JWT_AUDIENCE"); v != "" {
		c.Audience = v
	}
	if v := getenv("CHARTER_JWT_LEEWAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return Config{}, fmt.Errorf("auth: CHARTER_JWT_LEEWAY=%q is not a non-negative duration such as 30s", v)
		}
		// Zero in the environment means no leeway, which Config spells
		// as a negative value.
		c.Leeway = d
		if d == 0 {
			c.Leeway = -1
		}
	}
	if v := getenv("CHARTER_JWT_ALGORITHMS"); v != "" {
		for _, alg := range strings.Split(v, ",") {
			if alg = strings.TrimSpace(alg); alg != "" {
				c.Algorithms = append(c.Algorithms, alg)
			}
		}
	}
	if v := getenv("CHARTER_JWT_HS256_SECRET"); v != "" {
		c.HMACSecret = []byte(v)
	}
	if path := getenv("CHARTER_JWT_PUBLIC_KEY_FILE"); path != "" {
		if err := addPublicKey(&c, getenv("CHARTER_JWT_PUBLIC_KEY_ID"), path, "CHARTER_JWT_PUBLIC_KEY_FILE"); err != nil {
			return Config{}, err
		}
	}
	if v := getenv("CHARTER_JWT_PUBLIC_KEYS"); v != "" {
		for _, pair := range strings.Split(v, ",") {
			pair = strings.TrimSpace(pair)
			if pair == "" {
				continue
			}
			kid, path, ok := strings.Cut(pair, "=")
			if !ok || strings.TrimSpace(path) == "" {
				return Config{}, fmt.Errorf("auth: CHARTER_JWT_PUBLIC_KEYS entry %q is not kid=path", pair)
			}
			if err := addPublicKey(&c, strings.TrimSpace(kid), strings.TrimSpace(path), "CHARTER_JWT_PUBLIC_KEYS"); err != nil {
				return Config{}, err
			}
		}
	}
	if path := getenv("CHARTER_JWT_SIGNING_KEY_FILE"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("auth: CHARTER_JWT_SIGNING_KEY_FILE: %w", err)
		}
		if c.SigningKey, err = PrivateKeyFromPEM(data); err != nil {
			return Config{}, fmt.Errorf("auth: CHARTER_JWT_SIGNING_KEY_FILE %s: %w", path, err)
		}
		c.SigningKeyID = getenv("CHARTER_JWT_SIGNING_KEY_ID")
	}
	if v := getenv("CHARTER_JWT_CACHE_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return Config{}, fmt.Errorf("auth: CHARTER_JWT_CACHE_SIZE=%q is not a number", v)
		}
		// Zero in the environment means no cache, which Config spells
		// as a negative value.
		c.CacheSize = n
		if n == 0 {
			c.CacheSize = -1
		}
	}
	return c, nil
}

func addPublicKey(c *Config, kid, path, variable string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("auth: %s: %w", variable, err)
	}
	key, err := PublicKeyFromPEM(data)
	if err != nil {
		return fmt.Errorf("auth: %s %s: %w", variable, path, err)
	}
	if c.PublicKeys == nil {
		c.PublicKeys = map[string]crypto.PublicKey{}
	}
	if _, dup := c.PublicKeys[kid]; dup {
		return fmt.Errorf("auth: %s: key id %q is configured twice", variable, kid)
	}
	c.PublicKeys[kid] = key
	return nil
}
