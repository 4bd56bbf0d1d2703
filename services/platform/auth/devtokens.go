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
// ending in ":read". The external user and the viewer are of company 1.
func DevCallers(scopes []string) []DevToken {
	return DevCallersOf(1, scopes)
}

// DevCallersOf are [DevCallers] with the external user and the viewer of
// company instead, so that a test can try what one company sees of
// another's data.
func DevCallersOf(company int64, scopes []string) []DevToken {
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
			Description: fmt.Sprintf("External user of company %d: reads and changes that company's data.", company),
			Caller: access.Caller{
				Subject:   fmt.Sprintf("dev-external-%d", company),
				CompanyID: company,
				Roles:     []access.Role{access.External},
				Scopes:    slices.Clone(scopes),
			},
		},
		{
			Name:        "viewer",
			Description: fmt.Sprintf("External viewer of company %d: reads that company's data only.", company),
			Caller: access.Caller{
				Subject:   fmt.Sprintf("dev-viewer-%d", company),
				CompanyID: company,
				Roles:     []access.Role{access.External},
				Scopes:    read,
			},
		},
	}
}

// DevTokens signs a token valid for ttl for each of [DevCallers] of
// scopes, in the same order.
func DevTokens(s *Signer, ttl time.Duration, scopes []string) ([]DevToken, error) {
	return SignDevTokens(s, ttl, DevCallers(scopes))
}

// SignDevTokens signs a token valid for ttl for each of tokens' callers.
func SignDevTokens(s *Signer, ttl time.Duration, tokens []DevToken) ([]DevToken, error) {
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
