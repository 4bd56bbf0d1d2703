package gen

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// GoPattern rewrites a pattern written in ECMA-262 syntax, as JSON Schema
// and OpenAPI write them, into Go's: \uXXXX (any case of hex digits) and
// \u{X...} become \x{...}, and a pair of escaped surrogates such as
// \uD83D\uDE00 becomes the one code point it encodes. A backslash that
// is itself escaped (\\u) is left alone. The rest of the two syntaxes
// agree on what specs use (classes, \p{...}, anchors, repetitions).
func GoPattern(pattern string) string {
	if !strings.Contains(pattern, `\u`) {
		return pattern
	}
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '\\' || i+1 >= len(pattern) {
			b.WriteByte(c)
			continue
		}
		if pattern[i+1] != 'u' {
			// An escape of anything else, \\ included, is kept whole
			// so that the character after it is not read as one.
			b.WriteString(pattern[i : i+2])
			i++
			continue
		}
		r, n := codeUnit(pattern[i:])
		if n == 0 {
			b.WriteString(pattern[i : i+2])
			i++
			continue
		}
		if 0xD800 <= r && r <= 0xDBFF {
			if lo, m := codeUnit(pattern[i+n:]); m > 0 && 0xDC00 <= lo && lo <= 0xDFFF {
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				n += m
			}
		}
		b.WriteString(`\x{` + strconv.FormatInt(int64(r), 16) + `}`)
		i += n - 1
	}
	return b.String()
}

// codeUnit reads \uXXXX or \u{X...} at the start of s and returns the
// value and the length of the escape, 0 when there is none.
func codeUnit(s string) (rune, int) {
	if !strings.HasPrefix(s, `\u`) {
		return 0, 0
	}
	if strings.HasPrefix(s, `\u{`) {
		end := strings.IndexByte(s, '}')
		if end < 4 || end > 9 {
			return 0, 0
		}
		v, err := strconv.ParseUint(s[3:end], 16, 32)
		if err != nil || v > 0x10FFFF {
			return 0, 0
		}
		return rune(v), end + 1
	}
	if len(s) < 6 {
		return 0, 0
	}
	v, err := strconv.ParseUint(s[2:6], 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(v), 6
}

var compiled sync.Map // pattern -> *regexp.Regexp or error

// compile compiles an ECMA-262 pattern once.
func compile(pattern string) (*regexp.Regexp, error) {
	if v, ok := compiled.Load(pattern); ok {
		if re, ok := v.(*regexp.Regexp); ok {
			return re, nil
		}
		return nil, v.(error)
	}
	re, err := regexp.Compile(GoPattern(pattern))
	if err != nil {
		compiled.Store(pattern, err)
		return nil, err
	}
	compiled.Store(pattern, re)
	return re, nil
}

// PatternCompiler compiles patterns the way this package reads them, for
// kin-openapi's validation (openapi3.SetSchemaRegexCompiler), which
// otherwise understands \uXXXX only with upper-case digits.
func PatternCompiler(pattern string) (openapi3.RegexMatcher, error) {
	return compile(pattern)
}
