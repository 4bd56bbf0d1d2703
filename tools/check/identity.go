package check

import (
	"fmt"
	"regexp"
	"strings"
)

// Identity is one caller the checker acts as: a bearer token (or a way to
// mint one) and the tenant its data belongs to.
type Identity struct {
	// Name names the identity in reports: curl commands read its token
	// from $TOKEN_<NAME> (upper-cased), and from $TOKEN when the only
	// identity has no name. It is required when there are several.
	Name string
	// Tenant is whom the identity's data belongs to. What an identity
	// creates must stay out of reach of every identity of another
	// tenant (tenant_isolation); "" leaves the identity out of that
	// check.
	Tenant string
	// Token is sent as the bearer token of every request that needs one.
	Token string
	// Mint, when set, is used instead of Token: it returns a token of
	// the identity granting exactly scopes, which is how in-process runs
	// reach every operation and probe missing scopes (auth_enforced).
	Mint func(scopes []string) string
}

// WithIdentities sets who the checker acts as, replacing WithToken and
// WithTokenFactory. The first identity sends the requests of the
// stateless properties; each stateful sequence runs as one identity,
// drawn, and what it creates is probed by the others of a different
// tenant (tenant_isolation).
func WithIdentities(ids ...Identity) Option {
	return func(c *config) { c.identities = append([]Identity(nil), ids...) }
}

// identityName is what a name may be: it becomes part of a shell variable.
var identityName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// validIdentities refuses identities the run cannot tell apart or use.
func validIdentities(ids []Identity) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if id.Name == "" && len(ids) > 1 {
			return fmt.Errorf("check: an identity without a name among %d; name each", len(ids))
		}
		if id.Name != "" && !identityName.MatchString(id.Name) {
			return fmt.Errorf("check: identity name %q: use letters, digits, - and _", id.Name)
		}
		if seen[strings.ToUpper(id.Name)] {
			return fmt.Errorf("check: identity %q is given twice", id.Name)
		}
		seen[strings.ToUpper(id.Name)] = true
		if id.Token == "" && id.Mint == nil {
			return fmt.Errorf("check: identity %q has no token", id.Name)
		}
	}
	return nil
}

// Variable is the shell variable printed curl commands read the
// identity's token from: TOKEN_<NAME>, or TOKEN without a name.
func (id Identity) Variable() string {
	if id.Name == "" {
		return "TOKEN"
	}
	return "TOKEN_" + strings.ToUpper(strings.ReplaceAll(id.Name, "-", "_"))
}

// credential is what one request authenticates with.
type credential struct {
	// header is the Authorization header, "" to send none.
	header string
	// shown is what curl commands print in place of the header's
	// token, e.g. "$TOKEN_ALICE"; "" prints the header as it is, for
	// made-up tokens that are no secret.
	shown string
	// as names the identity the token is of.
	as string
}

// credential returns the credential of id granting scopes.
func (id Identity) credential(scopes []string) credential {
	if id.Token == "" && id.Mint == nil {
		return credential{}
	}
	tok := id.Token
	if id.Mint != nil {
		tok = id.Mint(scopes)
	}
	return credential{header: "Bearer " + tok, shown: "Bearer $" + id.Variable(), as: id.Name}
}

// isolated reports whether what a creates must be out of b's reach.
func isolated(a, b Identity) bool {
	return a.Tenant != "" && b.Tenant != "" && a.Tenant != b.Tenant
}

// lacking returns a credential of id granting scopes, which leave out
// missing; curl commands show it as $TOKEN_<NAME>_WITHOUT_<SCOPE>.
func (id Identity) lacking(missing string, scopes []string) credential {
	c := id.credential(scopes)
	c.shown = "Bearer $" + id.Variable() + "_WITHOUT_" + strings.ToUpper(nonWord.ReplaceAllString(missing, "_"))
	return c
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)
