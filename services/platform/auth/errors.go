package auth

// Error is an authentication failure as a client may see it. Its fields
// never carry internal details (key ids, library messages, claim values),
// so the HTTP edge (package contract) can put them in a WWW-Authenticate
// challenge or a problem document as they are. The cause that explains the
// failure to an operator stays in the error chain for logging.
type Error struct {
	// Code is the RFC 6750 error code, "invalid_token"; empty when no
	// token was given, because RFC 6750 asks that such a challenge carry
	// no error code.
	Code string
	// Description is a short, client-safe sentence.
	Description string
}

// Error returns the description, prefixed with the package name for logs.
func (e *Error) Error() string { return "auth: " + e.Description }

// The failures that [Verifier.Verify] returns, matched with errors.Is. All
// but ErrMissing carry the RFC 6750 code "invalid_token".
var (
	// ErrMissing means the request carried no bearer token.
	ErrMissing = &Error{Code: "", Description: "A bearer token is required."}
	// ErrMalformed means the token is not a well-formed JWT, gives a name
	// twice (or a claim's name in another case), or a claim has the wrong
	// type, a date that is not a JSON number included.
	ErrMalformed = &Error{Code: "invalid_token", Description: "The bearer token is malformed."}
	// ErrInvalid means the token's signature, algorithm or key id is not
	// one this service trusts, or its "crit" header names an extension
	// this service does not implement (it implements none).
	ErrInvalid = &Error{Code: "invalid_token", Description: "The bearer token's signature is not valid."}
	// ErrWrongAudience means the token's audience or issuer is not this
	// service's.
	ErrWrongAudience = &Error{Code: "invalid_token", Description: "The bearer token is not meant for this service."}
	// ErrClaims means a required claim (exp, sub) is missing or a claim's
	// value is unusable.
	ErrClaims = &Error{Code: "invalid_token", Description: "The bearer token lacks a required claim or has an unusable one."}
	// ErrExpired means the token's expiry has passed, leeway included.
	ErrExpired = &Error{Code: "invalid_token", Description: "The bearer token has expired."}
	// ErrNotYetValid means the token's nbf or iat lies in the future,
	// leeway included.
	ErrNotYetValid = &Error{Code: "invalid_token", Description: "The bearer token is not valid yet."}
)

// failure ties a client-facing [*Error] to the cause an operator needs.
// Unwrapping yields both, so errors.Is finds the sentinel and a log line
// shows the cause.
type failure struct {
	kind  *Error
	cause error
}

func (f *failure) Error() string {
	if f.cause == nil {
		return f.kind.Error()
	}
	return f.kind.Error() + " (" + f.cause.Error() + ")"
}

func (f *failure) Unwrap() []error {
	if f.cause == nil {
		return []error{f.kind}
	}
	return []error{f.kind, f.cause}
}

func fail(kind *Error, cause error) error { return &failure{kind: kind, cause: cause} }
