package contract

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/stories/access"
)

// authenticate verifies the request's bearer token and checks the scopes
// op needs (RFC 6750). It writes the 401 or 403 problem and returns false
// when the caller may not call op.
func (c *Contract) authenticate(w http.ResponseWriter, r *http.Request, op *operation) (access.Caller, bool) {
	token, ok := bearerToken(headerValue(r.Header, "Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+c.realm+`"`)
		problem.Write(w, r, problem.New(http.StatusUnauthorized,
			"The request has no bearer token; send one in the Authorization header."))
		return access.Caller{}, false
	}
	caller, err := c.verify(token)
	if err != nil {
		code, why := describe(err)
		challenge := `Bearer realm="` + c.realm + `"`
		if code != "" {
			challenge += `, error="` + code + `", error_description="` + headerSafe(why) + `"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		problem.Write(w, r, problem.New(http.StatusUnauthorized, why))
		return access.Caller{}, false
	}
	if missing, ok := missingScope(op.anyOf, caller.Scopes); !ok {
		w.Header().Set("WWW-Authenticate",
			`Bearer realm="`+c.realm+`", error="insufficient_scope", scope="`+missing+`"`)
		problem.Write(w, r, problem.New(http.StatusForbidden,
			"This operation needs the scope "+missing+"."))
		return access.Caller{}, false
	}
	return caller, true
}

// describe says why a token was refused in words fit for the client: the
// RFC 6750 code and description of package auth's error, never the
// error's text, which carries the cause for the logs. An error from
// elsewhere gets a generic description, so that nothing internal reaches
// the client.
func describe(err error) (code, description string) {
	var e *auth.Error
	if errors.As(err, &e) {
		return e.Code, e.Description
	}
	return "invalid_token", "The bearer token is not valid."
}

// headerValue is r.Header.Get for a key already in canonical form,
// without canonicalizing it again on every request.
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// bearerToken takes the token out of an Authorization header. The scheme
// name is case-insensitive (RFC 9110 section 11.1).
func bearerToken(header string) (string, bool) {
	const scheme = "Bearer "
	if len(header) <= len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return "", false
	}
	token := strings.TrimSpace(header[len(scheme):])
	return token, token != ""
}

// missingScope reports whether scopes satisfy one alternative of anyOf;
// when none is satisfied it names the scopes of the first alternative
// that the caller lacks, which is what the caller should ask for.
func missingScope(anyOf [][]string, scopes []string) (string, bool) {
	if len(anyOf) == 0 {
		return "", true
	}
	for _, need := range anyOf {
		if hasAll(scopes, need) {
			return "", true
		}
	}
	var lack []string
	for _, s := range anyOf[0] {
		if !slices.Contains(scopes, s) {
			lack = append(lack, s)
		}
	}
	return strings.Join(lack, " "), false
}

func hasAll(scopes, need []string) bool {
	for _, s := range need {
		if !slices.Contains(scopes, s) {
			return false
		}
	}
	return true
}

// headerSafe keeps a message fit for a quoted-string in a header (RFC 6750
// allows printable ASCII without quotes or backslashes), at most 200
// bytes.
func headerSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 200; i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			if c == '"' {
				b.WriteByte('\'')
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
