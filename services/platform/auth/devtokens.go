package auth

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charterhq/charter/stories/access"
)

// DevToken is a named demo token that development mode prints.
type DevToken struct {
	// Name is a short handle: "staff", "external", "viewer".
	Name string
	// Description says in a sentence what the token may do.
	Description string
	// Caller is who the token authenticates.
	Caller access.Caller
	// Token is the signed JWT to send as "Authorization: Bearer <Token>".
	Token string
}

// DevCallers are the demo callers of development mode, one per role the
// contracts distinguish, granted the scopes the running services' specs
// name: staff and the external user get every scope, the viewer only those
// ending in ":read".
func DevCallers(scopes []string) []DevToken {
	var read []string
	for _, s := range scopes {
		if strings.HasSuffix(s, ":read") {
			read = append(read, s)
		}
	}
	return []DevToken{
		{
			Name:        "staff",
			Description: "Staff: reads and changes every company's data.",
			Caller: access.Caller{
				Subject: "dev-staff",
				Roles:   []access.Role{access.Staff},
				Scopes:  slices.Clone(scopes),
			},
		},
		{
			Name:        "external",
			Description: "External user of company 1: reads and changes that company's data.",
			Caller: access.Caller{
				Subject:   "dev-external-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    slices.Clone(scopes),
			},
		},
		{
			Name:        "viewer",
			Description: "External viewer of company 1: reads that company's data only.",
			Caller: access.Caller{
				Subject:   "dev-viewer-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    read,
			},
		},
	}
}

// DevTokens signs a token valid for ttl for each of [DevCallers] of
// scopes, in the same order.
func DevTokens(s *Signer, ttl time.Duration, scopes []string) ([]DevToken, error) {
	tokens := DevCallers(scopes)
	for i := range tokens {
		t, err := s.Sign(tokens[i].Caller, ttl)
		if err != nil {
			return nil, fmt.Errorf("auth: signing the %s token: %w", tokens[i].Name, err)
		}
		tokens[i].Token = t
	}
	return tokens, nil
}

// String renders t as a line for a terminal.
func (t DevToken) String() string {
	return fmt.Sprintf("%-8s %s\n         %s", t.Name, t.Description, strings.TrimSpace(t.Token))
}
