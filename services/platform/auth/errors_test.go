package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestChallenge(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no token carries no error code", ErrMissing, `Bearer realm="charter"`},
		{"an expired token", fail(ErrExpired, errors.New("token is expired by 1h")),
			`Bearer realm="charter", error="invalid_token", error_description="The bearer token has expired."`},
		{"a bad scheme is an invalid request", ErrBadScheme,
			`Bearer realm="charter", error="invalid_request", error_description="The Authorization header must use the Bearer scheme."`},
		{"a foreign error says nothing of itself", errors.New("kid 2024 not found in /etc/keys"),
			`Bearer realm="charter", error="invalid_token", error_description="The bearer token's signature is not valid."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Challenge(tt.err); got != tt.want {
				t.Errorf("Challenge = %s\nwant        %s", got, tt.want)
			}
		})
	}
}

// The description a client sees must not repeat what the library or the
// token said, whatever the failure.
func TestChallengeLeaksNothing(t *testing.T) {
	v := newVerifier(t, testConfig())
	now := time.Now()
	tokens := []string{
		"garbage",
		craft(t, map[string]any{"alg": "HS256", "kid": "secret-kid-name"}, payload(now), hs256([]byte(testSecret))),
		craft(t, hsHeader, with(payload(now), "aud", "audience-name"), hs256([]byte(testSecret))),
		craft(t, hsHeader, with(payload(now), "exp", now.Add(-time.Hour).Unix()), hs256([]byte(testSecret))),
	}
	for _, tok := range tokens {
		_, err := v.Verify(tok)
		got := Challenge(err)
		for _, leak := range []string{"secret-kid-name", "audience-name", "test-audience", "keyfunc", "segments", "invalid audience", "claim"} {
			if strings.Contains(got, leak) {
				t.Errorf("Challenge(%v) = %s: mentions %q", err, got, leak)
			}
		}
	}
}

func TestInsufficientScope(t *testing.T) {
	got := InsufficientScope([]string{"materials:write"})
	want := `Bearer realm="charter", error="insufficient_scope", error_description="The bearer token lacks a scope this operation needs.", scope="materials:write"`
	if got != want {
		t.Errorf("InsufficientScope = %s\nwant                %s", got, want)
	}
}

func TestErrorsWrapTheirCause(t *testing.T) {
	cause := errors.New("the cause")
	err := fail(ErrExpired, cause)
	if !errors.Is(err, ErrExpired) || !errors.Is(err, cause) {
		t.Errorf("errors.Is does not find both the sentinel and the cause in %v", err)
	}
	if wrapped := fmt.Errorf("edge: %w", err); !errors.Is(wrapped, ErrExpired) {
		t.Errorf("a wrapped failure lost its sentinel")
	}
	if !strings.Contains(err.Error(), "the cause") {
		t.Errorf("Error() = %q: the cause is missing for the log", err.Error())
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		want   string
		err    error
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", nil},
		{"bearer abc.def.ghi", "abc.def.ghi", nil},
		{"BEARER  abc.def.ghi", "abc.def.ghi", nil},
		{"", "", ErrMissing},
		{"Bearer", "", ErrBadScheme},
		{"Bearer ", "", ErrBadScheme},
		{"Basic dXNlcjpwYXNz", "", ErrBadScheme},
		{"Bearer abc def", "", ErrBadScheme},
		{"abc.def.ghi", "", ErrBadScheme},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, err := BearerToken(tt.header)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tt.header, got, err, tt.want, tt.err)
			}
		})
	}
}
