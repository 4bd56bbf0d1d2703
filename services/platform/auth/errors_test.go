package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// What a client is shown of a refused token, its Error's code and
// description, must not repeat what the library or the token said,
// whatever the failure.
func TestErrorLeaksNothing(t *testing.T) {
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
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Verify(%q) = %v: no *Error in the chain", tok, err)
		}
		got := e.Code + " " + e.Description
		for _, leak := range []string{"secret-kid-name", "audience-name", "test-audience", "keyfunc", "segments", "invalid audience", "claim"} {
			if strings.Contains(got, leak) {
				t.Errorf("Verify(%q) tells the client %q: mentions %q", tok, got, leak)
			}
		}
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
