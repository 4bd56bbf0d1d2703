package gen_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charterhq/charter/tools/check/gen"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// refused reports why a platform that keeps the usual text rules refuses
// s, or "" when it takes it: not UTF-8, a control character but tab and
// line breaks, or, for free text (blank), nothing to see. A pattern
// decides for itself whether blank text matches.
func refused(s string, blank bool) string {
	if !utf8.ValidString(s) {
		return "not UTF-8"
	}
	for _, r := range s {
		if gen.Control(r) {
			return "control character " + string(r)
		}
	}
	if blank && s != "" && strings.IndexFunc(s, func(r rune) bool { return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) }) < 0 {
		return "nothing to see"
	}
	return ""
}

// TestFreeTextKeepsTheTextRules draws unpatterned strings, strings around
// an unanchored match and the classes of a pattern: none holds what a
// platform's text rules refuse, which would turn a valid request into a
// refused one.
func TestFreeTextKeepsTheTextRules(t *testing.T) {
	for name, s := range map[string]*openapi3.Schema{
		"unpatterned":          openapi3.NewStringSchema(),
		"bounded":              openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(3),
		"unanchored pattern":   openapi3.NewStringSchema().WithPattern(`\S`),
		"negated class":        openapi3.NewStringSchema().WithPattern(`^[^a]+$`),
		"any character":        openapi3.NewStringSchema().WithPattern(`^.{1,5}$`),
		"violations of a name": openapi3.NewStringSchema().WithMinLength(2).WithMaxLength(5).WithPattern(`^[a-z]+$`),
	} {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			v := gen.Value(s).Draw(t, "value")
			if why := refused(v.(string), s.Pattern == ""); why != "" {
				t.Fatalf("%q: %s", v, why)
			}
			for _, vio := range gen.Violations(s) {
				// A violation may be blank on purpose (a pattern
				// refuses spaces); it must break nothing else.
				bad, _ := vio.Apply(t, v).(string)
				if why := refused(bad, false); why != "" {
					t.Fatalf("%s violation %q: %s", vio.Rule, bad, why)
				}
			}
		}))
	}
}

// TestFreeTextIsNotOnlyASCII asserts that non-ASCII text comes up, where
// servers that count bytes for runes or mangle encodings break.
func TestFreeTextIsNotOnlyASCII(t *testing.T) {
	g := gen.Value(openapi3.NewStringSchema().WithMinLength(1))
	found := false
	rapid.Check(t, func(t *rapid.T) {
		s := g.Draw(t, "s").(string)
		found = found || strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) >= 0
	})
	if !found {
		t.Error("a hundred strings held no rune beyond ASCII")
	}
}

// TestLongStringsReachTheirMaximum asserts that a string with a large
// maxLength is drawn across its whole range, not only short: a column
// one rune shorter than the contract fails only at the top.
func TestLongStringsReachTheirMaximum(t *testing.T) {
	s := openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(200)
	longest := 0
	rapid.Check(t, func(t *rapid.T) {
		v := gen.Value(s).Draw(t, "s").(string)
		longest = max(longest, utf8.RuneCountInString(v))
	})
	if longest != 200 {
		t.Errorf("the longest of a hundred strings has %d runes, want 200", longest)
	}
}

// TestUnboundedStringsGetLong asserts that a string without a maxLength
// is not kept short: the contract promises to take any length, and a
// column of 255 fails only past it.
func TestUnboundedStringsGetLong(t *testing.T) {
	s := openapi3.NewStringSchema().WithMinLength(1)
	longest := 0
	g := gen.Value(s)
	rapid.Check(t, func(t *rapid.T) {
		// Ten strings a case, so that a thousand are drawn and a seed
		// that misses every long one does not come up.
		for range 10 {
			longest = max(longest, utf8.RuneCountInString(g.Draw(t, "s").(string)))
		}
	})
	if longest <= 255 {
		t.Errorf("the longest of a thousand strings without a maximum has %d runes, want more than 255", longest)
	}
}

// TestHeaderValuesAreVisibleASCII draws header values, valid and broken:
// each is visible ASCII that every HTTP client sends as it is.
func TestHeaderValuesAreVisibleASCII(t *testing.T) {
	header := regexp.MustCompile(`^[!-~]([ -~]*[!-~])?$`)
	s := openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(10)
	rapid.Check(t, func(t *rapid.T) {
		v := gen.Header.Value(s).Draw(t, "valid").(string)
		if !header.MatchString(v) {
			t.Fatalf("header value %q is not visible ASCII", v)
		}
		for _, vio := range gen.Header.Violations(s) {
			bad, ok := vio.Apply(t, v).(string)
			if ok && bad != "" && !header.MatchString(bad) {
				t.Fatalf("%s violation %q is not visible ASCII", vio.Rule, bad)
			}
		}
	})
}

// TestPatternsInECMASyntax draws values of patterns written with \uXXXX
// and \u{...} escapes, as JSON Schema writes them (ECMA-262): each value
// matches, by the pattern's meaning and by kin-openapi's validation with
// the package's compiler, and each pattern violation does not.
func TestPatternsInECMASyntax(t *testing.T) {
	for _, c := range []struct {
		pattern string
		match   *regexp.Regexp // the same pattern in Go's syntax
	}{
		{`^[\u0041-\u005a]{2,4}$`, regexp.MustCompile(`^[A-Z]{2,4}$`)},
		{`^\u00e9t\u00E9$`, regexp.MustCompile(`^été$`)},
		{`^[^\u0000-\u001f]+$`, regexp.MustCompile(`^[^\x00-\x1f]+$`)},
		{`^\uD83D\uDE00+$`, regexp.MustCompile(`^😀+$`)},
		{`^\u{1F600}\u{41}$`, regexp.MustCompile(`^😀A$`)},
		{`^a\\u0041$`, regexp.MustCompile(`^a\\u0041$`)},
	} {
		s := openapi3.NewStringSchema().WithPattern(c.pattern)
		t.Run(c.pattern, rapid.MakeCheck(func(t *rapid.T) {
			v := gen.Value(s).Draw(t, "value").(string)
			if !c.match.MatchString(v) {
				t.Fatalf("%q does not match %s", v, c.pattern)
			}
			if !gen.Valid(s, v) {
				t.Fatalf("%q is not valid for %s", v, c.pattern)
			}
			for _, vio := range gen.Violations(s) {
				if vio.Rule != "pattern" {
					continue
				}
				bad := vio.Apply(t, v).(string)
				if c.match.MatchString(bad) || gen.Valid(s, bad) {
					t.Fatalf("pattern violation %q matches %s", bad, c.pattern)
				}
			}
		}))
	}
}

func TestGoPattern(t *testing.T) {
	for in, want := range map[string]string{
		`\u0041`:          `\x{41}`,
		`[\u00e9-\u00EA]`: `[\x{e9}-\x{ea}]`,
		`\uD83D\uDE00`:    `\x{1f600}`,
		`\u{1F600}`:       `\x{1f600}`,
		`\\u0041`:         `\\u0041`,
		`\d\u`:            `\d\u`,
		`plain`:           `plain`,
	} {
		if got := gen.GoPattern(in); got != want {
			t.Errorf("GoPattern(%q) = %q, want %q", in, got, want)
		}
	}
}
