package auth

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/charterhq/charter/stories/access"
	"github.com/golang-jwt/jwt/v5"
)

// claims is the payload of a Charter token.
type claims struct {
	jwt.RegisteredClaims
	// Scope is the RFC 8693 / RFC 9068 form: one space-separated string.
	Scope scopeList `json:"scope,omitempty"`
	// Scp is the form some issuers use instead: an array (or, with
	// Microsoft's, a space-separated string).
	Scp       scopeList `json:"scp,omitempty"`
	Roles     []string  `json:"roles,omitempty"`
	CompanyID int64     `json:"company_id,omitempty"`
}

var (
	errNoSubject  = errors.New(`the "sub" claim is missing`)
	errBadCompany = errors.New(`the "company_id" claim is not positive`)
)

// Validate is called by the parser after the registered claims were
// checked; it rejects the claims a Caller cannot be built without.
func (c claims) Validate() error {
	if c.Subject == "" {
		return errNoSubject
	}
	if c.CompanyID < 0 {
		return errBadCompany
	}
	return nil
}

// caller turns verified claims into the caller the stories see. The
// slices are clipped so that a caller appending to them copies rather
// than writing into the cached entry shared with other requests.
func (c claims) caller() access.Caller {
	scopes := append([]string(c.Scope), c.Scp...)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	var roles []access.Role
	for _, r := range c.Roles {
		if r != "" && !slices.Contains(roles, access.Role(r)) {
			roles = append(roles, access.Role(r))
		}
	}
	return access.Caller{
		Subject:   c.Subject,
		CompanyID: c.CompanyID,
		Roles:     slices.Clip(roles),
		Scopes:    slices.Clip(scopes),
	}
}

// scopeList reads scopes given either as one space-separated string or
// as an array of strings.
type scopeList []string

func (s *scopeList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*s = strings.Fields(one)
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return errors.New("scopes must be a string or an array of strings")
	}
	*s = nil
	for _, m := range many {
		*s = append(*s, strings.Fields(m)...)
	}
	return nil
}

// MarshalJSON writes the RFC 8693 form, a space-separated string.
func (s scopeList) MarshalJSON() ([]byte, error) {
	return json.Marshal(strings.Join(s, " "))
}
