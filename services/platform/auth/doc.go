// Package auth authenticates the callers of Charter's services: it verifies
// the JWT bearer tokens named by the contracts' bearerAuth security scheme
// and turns them into an access.Caller, and it signs development tokens so
// that a new user can try the API at once.
//
// A token is accepted only when its signature verifies with a configured key
// under an allow-listed algorithm ("none" never is), when it carries an
// expiry ("exp") that has not passed, when its audience ("aud") and issuer
// ("iss") name this service, and when its "nbf" and "iat" are not in the
// future. A leeway absorbs clock skew between issuer and service. A token
// must also mean one thing only: one that gives a name twice, spells a
// claim in another case, gives a date ("exp", "nbf", "iat") as anything
// but a JSON number, or has a "crit" header (this package implements no
// extension) is refused. Tokens that verified are remembered by a bounded
// cache, so that a client sending the same token on every request pays for
// the signature once; a cached token's expiry is checked again on every
// use.
//
// The claims read are "sub" (the subject, required), "scope" (a
// space-separated string, RFC 8693 and RFC 9068) or "scp" (an array, or a
// space-separated string as some issuers send it), "roles" (an array of
// strings: "staff", "external") and "company_id" (a positive number).
//
// Failures are [*Error] values with an RFC 6750 error code and a short
// description that is safe to show to a client; the HTTP edge (package
// contract) answers a refused token with them, in the WWW-Authenticate
// challenge and the problem, and keeps the cause for its log.
//
// # Environment
//
// [ConfigFromEnv] reads:
//
//	CHARTER_JWT_ISSUER            expected "iss" (default "charter")
//	CHARTER_JWT_AUDIENCE          expected "aud" (default "charter")
//	CHARTER_JWT_LEEWAY            clock-skew leeway, a Go duration (default 30s;
//	                              0s for none)
//	CHARTER_JWT_ALGORITHMS        comma-separated allow-list, e.g. "RS256,ES256"
//	                              (default: the algorithms of the configured keys)
//	CHARTER_JWT_HS256_SECRET      shared HS256 secret, at least 32 bytes
//	CHARTER_JWT_PUBLIC_KEY_FILE   PEM file with one public key (RSA, ECDSA or
//	                              Ed25519; PKIX, PKCS #1 or a certificate)
//	CHARTER_JWT_PUBLIC_KEY_ID     "kid" of that key; empty matches tokens
//	                              without a "kid"
//	CHARTER_JWT_PUBLIC_KEYS       more keys for rotation, comma-separated
//	                              kid=path pairs, e.g. "2024=/k/a.pem,2025=/k/b.pem"
//	CHARTER_JWT_SIGNING_KEY_FILE  PEM private key (PKCS #8, PKCS #1 or SEC 1)
//	                              used only to sign development tokens
//	CHARTER_JWT_SIGNING_KEY_ID    "kid" written into tokens signed with it
//	CHARTER_JWT_CACHE_SIZE        verified tokens remembered (default 10000;
//	                              0 or less disables the cache)
//
// With none of the key variables set the configuration has no key and
// [NewVerifier] refuses it; a server in development mode may then fall back
// to [DevelopmentConfig], whose secret is public and must never protect
// real data.
package auth
