package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/access"
)

// signRaw signs a header and a payload written as JSON text, for what a
// map cannot hold: a name twice, a member order, a number spelt as a
// string. The signature is a good HS256 one, so that a refusal is about
// the JSON and never about the signature.
func signRaw(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	input := enc([]byte(header)) + "." + enc([]byte(payload))
	return input + "." + enc(hs256([]byte(testSecret))(input))
}

// rawPayload is a valid payload for testConfig, of an external caller,
// with extra members spliced in after its "roles".
func rawPayload(now time.Time, extra string) string {
	return fmt.Sprintf(`{"iss":"test-issuer","aud":"test-audience","sub":"user-7","roles":["external"],%s"iat":%d,"exp":%d}`,
		extra, now.Unix(), now.Add(time.Hour).Unix())
}

const rawHeader = `{"alg":"HS256","typ":"JWT"}`

// A token is read as its issuer wrote it or not at all: a claim spelt
// twice, a date that is not a number or a critical extension this
// verifier does not know would each let the verifier read something
// other than what was meant, so each is refused.
func TestVerifyRefusesAmbiguousTokens(t *testing.T) {
	v := newVerifier(t, testConfig())
	now := time.Now()
	exp := now.Add(time.Hour).Unix()
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"a token written by hand is accepted", signRaw(rawHeader, rawPayload(now, "")), nil},
		{"a date as a number with a fraction is accepted", signRaw(rawHeader, rawPayload(now, fmt.Sprintf(`"nbf":%d.5,`, now.Add(-time.Minute).Unix()))), nil},
		{"an unknown claim is ignored", signRaw(rawHeader, rawPayload(now, `"x":{"roles":["staff"]},`)), nil},

		{"roles given twice are malformed", signRaw(rawHeader, rawPayload(now, `"roles":["staff"],`)), ErrMalformed},
		{"roles given twice, once with an escape, are malformed", signRaw(rawHeader, rawPayload(now, `"rol\u0065s":["staff"],`)), ErrMalformed},
		{"sub given twice is malformed", signRaw(rawHeader, rawPayload(now, `"sub":"user-8",`)), ErrMalformed},
		{"exp given twice is malformed", signRaw(rawHeader, rawPayload(now, fmt.Sprintf(`"exp":%d,`, exp+3600))), ErrMalformed},
		{"roles given again in another case are malformed", signRaw(rawHeader, rawPayload(now, `"Roles":["staff"],`)), ErrMalformed},
		{"roles in another case alone are malformed", signRaw(rawHeader, fmt.Sprintf(`{"iss":"test-issuer","aud":"test-audience","sub":"user-7","ROLES":["staff"],"exp":%d}`, exp)), ErrMalformed},
		{"a claim spelt with a letter that folds to ASCII is malformed", signRaw(rawHeader, rawPayload(now, `"ſcope":"materials:write",`)), ErrMalformed},
		{"a name given twice in a nested object is malformed", signRaw(rawHeader, rawPayload(now, `"x":{"a":1,"a":2},`)), ErrMalformed},

		{"exp as a string of digits is malformed", signRaw(rawHeader, fmt.Sprintf(`{"iss":"test-issuer","aud":"test-audience","sub":"user-7","exp":"%d"}`, exp)), ErrMalformed},
		{"nbf as a string of digits is malformed", signRaw(rawHeader, rawPayload(now, fmt.Sprintf(`"nbf":"%d",`, now.Unix()))), ErrMalformed},
		{"iat as a string of digits is malformed", signRaw(rawHeader, fmt.Sprintf(`{"iss":"test-issuer","aud":"test-audience","sub":"user-7","iat":"%d","exp":%d}`, now.Unix(), exp)), ErrMalformed},
		{"nbf as null is malformed", signRaw(rawHeader, rawPayload(now, `"nbf":null,`)), ErrMalformed},

		{"an unknown critical header is refused", signRaw(`{"alg":"HS256","typ":"JWT","crit":["x-unknown"],"x-unknown":true}`, rawPayload(now, "")), ErrInvalid},
		{"b64 as a critical header is refused", signRaw(`{"alg":"HS256","b64":false,"crit":["b64"]}`, rawPayload(now, "")), ErrInvalid},
		{"an empty crit is refused", signRaw(`{"alg":"HS256","crit":[]}`, rawPayload(now, "")), ErrInvalid},
		{"a header name given twice is malformed", signRaw(`{"alg":"HS256","kid":"unknown","kid":""}`, rawPayload(now, "")), ErrMalformed},
		{"alg given twice is malformed", signRaw(`{"alg":"none","alg":"HS256"}`, rawPayload(now, "")), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(tt.token)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if want := (access.Caller{Subject: "user-7", Roles: []access.Role{access.External}}); got.Subject != want.Subject || len(got.Roles) != 1 || got.Roles[0] != access.External {
					t.Errorf("caller = %+v, want %+v", got, want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e != tt.want {
				t.Fatalf("Verify = %+v, %v; want the refusal %v", got, err, tt.want)
			}
		})
	}
}
