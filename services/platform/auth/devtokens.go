package auth

import (
	"fmt"
	"strings"
	"time"

	"github.com/charterhq/charter/stories/access"
)

// The scopes of the materials contract, granted to the demo callers.
const (
	scopeMaterialsRead  = "materials:read"
	scopeMaterialsWrite = "materials:write"
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
// materials contract distinguishes.
func DevCallers() []DevToken {
	return []DevToken{
		{
			Name:        "staff",
			Description: "Staff: reads and changes every company's materials.",
			Caller: access.Caller{
				Subject: "dev-staff",
				Roles:   []access.Role{access.Staff},
				Scopes:  []string{scopeMaterialsRead, scopeMaterialsWrite},
			},
		},
		{
			Name:        "external",
			Description: "External user of company 1: reads and changes that company's materials.",
			Caller: access.Caller{
				Subject:   "dev-external-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    []string{scopeMaterialsRead, scopeMaterialsWrite},
			},
		},
		{
			Name:        "viewer",
			Description: "External viewer of company 1: reads that company's materials only.",
			Caller: access.Caller{
				Subject:   "dev-viewer-1",
				CompanyID: 1,
				Roles:     []access.Role{access.External},
				Scopes:    []string{scopeMaterialsRead},
			},
		},
	}
}

// DevTokens signs a token valid for ttl for each of [DevCallers], in the
// same order.
func DevTokens(s *Signer, ttl time.Duration) ([]DevToken, error) {
	tokens := DevCallers()
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
