package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// The JWT library decodes a token's header and claims with encoding/json,
// which reads more than an issuer may have meant: of a name given twice it
// keeps the last ("roles" twice made an external caller staff), it matches
// a claim's name whatever its case ("ROLES", or "ſcope" with a long s), and
// it reads a date through json.Number, which also accepts a string of
// digits. RFC 7519 §4 lets a verifier refuse duplicate names, §2 asks that
// a NumericDate be a number, and RFC 7515 §4.1.11 that a verifier refuse a
// token whose "crit" header names an extension it does not implement. So,
// once the parser has accepted a token, its header and claims are read
// again as JSON text, and the token is refused unless it can only mean
// one thing.
//
// The second reading uses encoding/json's Decoder.Token, which is simple
// and handles escaped names ("rol\u0065s" is "roles"), but slow: about
// 30µs and 150 allocations for a token of Charter's size, more than the
// HS256 check itself. It runs once per token, as the cache remembers the
// verdict, and only after the signature verified, so that a stranger's
// token costs no more than its signature check.

// dateClaims are the claims that RFC 7519 defines as NumericDates.
var dateClaims = []string{"exp", "nbf", "iat"}

// claimNames are the names of the claims a Verifier reads, as the json
// tags of claims spell them.
var claimNames = jsonNames(reflect.TypeFor[claims]())

var (
	errDuplicateName = errors.New("a name is given twice")
	errFoldedName    = errors.New("a claim is named in another case than the one read")
	errDateNotNumber = errors.New("a date claim is not a JSON number")
	errCritical      = errors.New(`the "crit" header names extensions this verifier does not implement`)
)

// checkJSON reads the header and the claims of token as JSON text. It
// returns a failure when either gives a name twice, when the claims name a
// claim that is read in another case, when exp, nbf or iat is not a number,
// or when the header has "crit": this verifier implements no extension.
// It is called with tokens the parser accepted, whose segments decode.
func checkJSON(token string) error {
	header, rest, _ := strings.Cut(token, ".")
	payload, _, _ := strings.Cut(rest, ".")
	enc := base64.RawURLEncoding.Strict()
	h, err := enc.DecodeString(header)
	if err != nil {
		return fail(ErrMalformed, fmt.Errorf("header: %w", err))
	}
	p, err := enc.DecodeString(payload)
	if err != nil {
		return fail(ErrMalformed, fmt.Errorf("claims: %w", err))
	}
	if err := walkTop(h, checkHeader); err != nil {
		if errors.Is(err, errCritical) {
			return fail(ErrInvalid, fmt.Errorf("header: %w", err))
		}
		return fail(ErrMalformed, fmt.Errorf("header: %w", err))
	}
	if err := walkTop(p, checkClaim); err != nil {
		return fail(ErrMalformed, fmt.Errorf("claims: %w", err))
	}
	return nil
}

// checkHeader refuses "crit" whatever it lists: an empty list is not
// allowed either (RFC 7515 §4.1.11).
func checkHeader(name string, dec *json.Decoder) error {
	if name == "crit" {
		return errCritical
	}
	return walkValue(dec)
}

// checkClaim refuses a claim that encoding/json would take for one of
// claimNames though it is spelt otherwise, and a date that is not a
// number.
func checkClaim(name string, dec *json.Decoder) error {
	for _, known := range claimNames {
		if name != known && strings.EqualFold(name, known) {
			return fmt.Errorf("%w: %q", errFoldedName, name)
		}
	}
	if !slices.Contains(dateClaims, name) {
		return walkValue(dec)
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if _, ok := tok.(json.Number); !ok {
		return fmt.Errorf("%w: %q is %v", errDateNotNumber, name, tok)
	}
	return nil
}

// walkTop reads data, which must be one JSON object and nothing more, and
// fails when any object in it gives a name twice. For each member of the
// outer object it calls member, which reads the member's value.
func walkTop(data []byte, member func(name string, dec *json.Decoder) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	if err := walkObject(dec, member); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON object")
	}
	return nil
}

// walkObject reads the members of an object whose '{' was read, and its
// '}'. member reads each value.
func walkObject(dec *json.Decoder, member func(name string, dec *json.Decoder) error) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if seen[name] {
			return fmt.Errorf("%w: %q", errDuplicateName, name)
		}
		seen[name] = true
		if err := member(name, dec); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// walkValue reads one value, objects and arrays whole.
func walkValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, anyValue)
	case json.Delim('['):
		for dec.More() {
			if err := walkValue(dec); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return nil
}

// anyValue reads the value of a member of a nested object, whatever its
// name.
func anyValue(_ string, dec *json.Decoder) error { return walkValue(dec) }

// jsonNames returns the names encoding/json reads the fields of struct
// type t under, embedded structs' included.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			names = append(names, jsonNames(f.Type)...)
		case name != "":
			names = append(names, name)
		case f.IsExported():
			names = append(names, f.Name)
		}
	}
	return names
}
