package contract

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charterhq/charter/services/platform/auth"
)

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc.def.ghi", "abc.def.ghi", true},
		{"BEARER  abc.def.ghi ", "abc.def.ghi", true},
		{"", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer   ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"abc.def.ghi", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got, ok := bearerToken(tt.header); got != tt.want || ok != tt.ok {
				t.Errorf("bearerToken(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		code     string
		describe string
	}{
		{"an auth error wrapped with its cause", fmt.Errorf("%w (kid dev-1)", auth.ErrExpired),
			"invalid_token", "The bearer token has expired."},
		{"no token carries no error code", auth.ErrMissing, "", "A bearer token is required."},
		{"a foreign error says nothing of itself", errors.New("kid 2024 not found in /etc/keys"),
			"invalid_token", "The bearer token is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, why := describe(tt.err); code != tt.code || why != tt.describe {
				t.Errorf("describe = %q, %q; want %q, %q", code, why, tt.code, tt.describe)
			}
		})
	}
}

// RFC 6750 allows printable ASCII without '"' and '\' in
// error_description.
func TestHeaderSafe(t *testing.T) {
	if got, want := headerSafe("a \"quoted\" back\\slash\n and é"), "a 'quoted' backslash and "; got != want {
		t.Errorf("headerSafe = %q, want %q", got, want)
	}
}
