package gen

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// defaultMaxLength keeps most strings short: long strings rarely find
// more bugs than short ones and cost time on every request.
const defaultMaxLength = 24

// unboundedLength is how long a string without a maxLength gets, one
// draw in longOdds: past the 255 of a VARCHAR(255) column or a naive
// buffer, which a contract without a maximum promises to take.
const (
	unboundedLength = 1000
	longOdds        = 8
)

// lengthBounds returns the rune-length bounds a string must satisfy.
func lengthBounds(s *openapi3.Schema) (lo, hi int) {
	lo, hi = int(s.MinLength), int(s.MinLength)+defaultMaxLength
	if s.MaxLength != nil {
		hi = int(*s.MaxLength)
	}
	return lo, hi
}

// String returns a generator of strings that satisfy the string schema s,
// their free text drawn from a.
func (a Alphabet) String(s *openapi3.Schema) *rapid.Generator[string] {
	lo, hi := lengthBounds(s)
	if g := format(s.Format); g != nil {
		return g
	}
	if s.Pattern != "" {
		return a.matching(s.Pattern, lo, hi)
	}
	g := a.stringN(lo, min(hi, lo+defaultMaxLength))
	if s.MaxLength == nil {
		// Without a maximum every length is valid: now and then a
		// long one, drawn as one branch chosen by a number that
		// shrinks to the short one.
		//
		// A long string is short free text padded with one rune to a
		// drawn length. rapid draws a slice element by element, each
		// with a chance to stop, which keeps a string near its minimum
		// however high its maximum; and a length that decides how
		// many runes follow shifts every later draw of the request
		// when shrinking lowers it, so that shrinking a failure at 256
		// runes ran out of requests at 1,000. Padding keeps the number
		// of draws fixed: shrinking lowers the length alone. For the
		// same reason a short string draws a length and a pad too,
		// unused, so that shrinking turns a long string short by
		// lowering one number.
		length := rapid.IntRange(lo+defaultMaxLength+1, lo+unboundedLength)
		pad := a.stringN(1, 1)
		return rapid.Custom(func(t *rapid.T) string {
			long := rapid.IntRange(0, longOdds-1).Draw(t, "long") == longOdds-1
			n := length.Draw(t, "length")
			head := g.Draw(t, "text")
			fill := pad.Draw(t, "pad")
			if !long {
				return head
			}
			return head + strings.Repeat(fill, n-utf8.RuneCountInString(head))
		})
	}
	if hi > lo+defaultMaxLength {
		// The upper bound itself is an edge worth drawing, and so is
		// every length between: a column one rune too short for its
		// maximum fails only past the short strings.
		return rapid.OneOf(g, a.stringN(hi, hi), a.stringN(lo, hi))
	}
	return g
}

// format returns a generator for the formats whose values have a fixed
// shape, or nil when the format does not constrain the value.
func format(f string) *rapid.Generator[string] {
	switch f {
	case "date-time":
		return rapid.Map(instant(), func(t time.Time) string { return t.Format(time.RFC3339) })
	case "date":
		return rapid.Map(instant(), func(t time.Time) string { return t.Format(time.DateOnly) })
	case "uuid":
		return rapid.Map(rapid.SliceOfN(rapid.Byte(), 16, 16), func(b []byte) string {
			b[6] = b[6]&0x0f | 0x40
			b[8] = b[8]&0x3f | 0x80
			return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
		})
	case "email":
		return rapid.StringMatching(`[a-z][a-z0-9]{0,8}@[a-z]{1,8}\.(com|org|dev)`)
	case "uri", "url":
		return rapid.StringMatching(`https://[a-z]{1,10}\.(com|org)(/[a-z0-9]{1,6}){0,3}`)
	case "uri-reference":
		return rapid.StringMatching(`(/[a-z0-9]{1,6}){1,3}`)
	case "byte":
		return rapid.Map(rapid.SliceOfN(rapid.Byte(), 0, 16), base64.StdEncoding.EncodeToString)
	}
	return nil
}

func instant() *rapid.Generator[time.Time] {
	return rapid.Map(rapid.Int64Range(0, 253402300799), func(sec int64) time.Time {
		return time.Unix(sec, 0).UTC()
	})
}

// matching draws strings in which pattern matches and whose length lies in
// [lo, hi]. JSON Schema patterns are not anchored, so an unanchored pattern
// is surrounded by free text; rapid's StringMatching draws the match.
func (a Alphabet) matching(pattern string, lo, hi int) *rapid.Generator[string] {
	re, err := compile(pattern)
	if err != nil {
		// A pattern Go cannot read is not checked either; draw free text.
		return a.stringN(lo, hi)
	}
	core := rapid.StringMatching(a.generatorPattern(re))
	startFree := !strings.HasPrefix(pattern, "^")
	endFree := !strings.HasSuffix(pattern, "$") || strings.HasSuffix(pattern, `\$`)
	return rapid.Custom(func(t *rapid.T) string {
		m := core.Draw(t, "match")
		var pre, post string
		room := max(0, min(hi, lo+defaultMaxLength)-utf8.RuneCountInString(m))
		need := max(0, lo-utf8.RuneCountInString(m))
		if startFree && room > 0 {
			pre = a.stringN(0, room).Draw(t, "prefix")
			room -= utf8.RuneCountInString(pre)
			need = max(0, need-utf8.RuneCountInString(pre))
		}
		if endFree && (room > 0 || need > 0) {
			post = a.stringN(need, max(need, room)).Draw(t, "suffix")
		}
		return pre + m + post
	}).Filter(func(v string) bool {
		n := utf8.RuneCountInString(v)
		return n >= lo && n <= hi && re.MatchString(v)
	})
}
