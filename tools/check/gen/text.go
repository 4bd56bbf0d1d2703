package gen

import (
	"regexp"
	"regexp/syntax"
	"sync"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// Alphabet is the runes a generator draws free text from: the parts of a
// string no pattern or format fixes (unpatterned strings, the text around
// an unanchored match, the strings violations draw).
type Alphabet struct {
	runes *rapid.Generator[rune]
	// keep holds the ranges of runes the alphabet allows, as pairs of
	// bounds in order: the character classes of a pattern are narrowed
	// to them (see restrict).
	keep []rune
}

// Text is what a string of a request may hold on a platform that keeps
// the usual text rules, whatever the schema says: UTF-8, no control
// character but tab, line feed and carriage return (so no NUL, no DEL
// and no C1 control), and not only invisible runes. Letters, digits,
// symbols, marks and spaces of every script come up, and the runes that
// break naive servers (U+FEFF, U+FFFD, U+202E, a rune whose lower case
// is longer), so that non-ASCII text is always tried.
var Text = Alphabet{
	runes: rapid.Rune().Filter(func(r rune) bool { return !Control(r) }),
	keep:  []rune{'\t', '\n', '\r', '\r', ' ', '~', 0xA0, unicode.MaxRune},
}

// Header is what a header value may hold: visible ASCII, which every
// HTTP client sends as it is (net/http refuses control characters, and
// servers trim the spaces around a value and read other bytes as
// Latin-1).
var Header = Alphabet{
	runes: rapid.RuneFrom(nil, &unicode.RangeTable{R16: []unicode.Range16{{Lo: '!', Hi: '~', Stride: 1}}}),
	keep:  []rune{' ', '~'},
}

// Control reports whether r is a control character a text rule refuses:
// U+0000 to U+001F but tab, line feed and carriage return, and U+007F to
// U+009F.
func Control(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || 0x7f <= r && r <= 0x9f
}

// visible reports whether s has a rune that is not a space, a mark, a
// format character or a control: a string of spaces alone or of U+200B,
// U+2060 or U+FEFF reads as empty, and text rules refuse it where they
// ask for something to see.
func visible(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) {
			return true
		}
	}
	return false
}

// stringN draws strings of lo to hi runes of the alphabet; a non-empty
// one has something to see, so that a valid value is never refused for
// being blank.
func (a Alphabet) stringN(lo, hi int) *rapid.Generator[string] {
	g := rapid.StringOfN(a.runes, lo, hi, -1)
	return rapid.Custom(func(t *rapid.T) string {
		s := g.Draw(t, "text")
		if s == "" || visible(s) {
			return s
		}
		// Replace the first rune with a letter rather than filter:
		// filtering strings of spaces away makes rapid give up on
		// schemas whose strings are one rune long.
		_, n := utf8.DecodeRuneInString(s)
		return "a" + s[n:]
	})
}

// restrict narrows the character classes of a pattern (and its . ) to the
// runes a allows, so that what rapid draws to match it keeps the text
// rules by construction rather than by a filter, which would stop
// shrinking at every control character rapid tries first. A class that
// allows nothing of a is left as it is: the pattern asks for it.
func (a Alphabet) restrict(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpCharClass:
		if in := intersect(re.Rune, a.keep); len(in) > 0 {
			re.Rune = in
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		all := []rune{0, unicode.MaxRune}
		if re.Op == syntax.OpAnyCharNotNL {
			all = []rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}
		}
		re.Op, re.Rune = syntax.OpCharClass, intersect(all, a.keep)
	}
	for _, sub := range re.Sub {
		a.restrict(sub)
	}
}

// intersect returns the runes in both x and y, ranges of pairs of bounds
// in order, as regexp/syntax holds a class.
func intersect(x, y []rune) []rune {
	var out []rune
	for i := 0; i+1 < len(x); i += 2 {
		for j := 0; j+1 < len(y); j += 2 {
			lo, hi := max(x[i], y[j]), min(x[i+1], y[j+1])
			if lo <= hi {
				out = append(out, lo, hi)
			}
		}
	}
	return out
}

// generatorPattern returns the pattern rapid draws matches of: re's,
// its classes narrowed to a.
// Writing out a class narrowed from \p{L} costs milliseconds, so each
// is written once per alphabet.
func (a Alphabet) generatorPattern(re *regexp.Regexp) string {
	key := generatorKey{re.String(), string(a.keep)}
	if p, ok := generatorPatterns.Load(key); ok {
		return p.(string)
	}
	p := re.String()
	if tree, err := syntax.Parse(p, syntax.Perl); err == nil {
		a.restrict(tree)
		p = tree.String()
	}
	generatorPatterns.Store(key, p)
	return p
}

type generatorKey struct{ pattern, keep string }

var generatorPatterns sync.Map // generatorKey -> string
