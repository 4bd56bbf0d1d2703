package contract

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charterhq/charter/services/platform/problem"
)

// The text rule holds every string of a request, whatever its schema says:
// each value and property name of a JSON body and each string parameter
// must be UTF-8 text as the client sent it, with no control character but
// tab, line feed and carriage return. It refuses
//
//   - bytes that are not UTF-8, and escaped surrogates that are not a
//     pair ("\ud800"), which encoding/json would turn into U+FFFD without
//     a word, so that the service would store what nobody sent;
//   - U+0000 to U+0008, U+000B, U+000C, U+000E to U+001F, U+007F and
//     U+0080 to U+009F: NUL, which PostgreSQL's text cannot hold (it
//     answered 500 where SQLite stored it), and the other C0 and C1
//     controls, which no field of a Charter contract means and which break
//     the logs, terminals, CSV and XML that the data goes on to.
//
// A schema can refuse more (a name refuses tab and line feed through its
// pattern); nothing can allow less. api/shared/components.yaml documents
// the rule for integrators with the 400 answer.

// textControl reports whether r is a control character the text rule
// refuses.
func textControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || 0x7f <= r && r <= 0x9f
}

// controlDetail says which control character a string holds.
func controlDetail(r rune) string {
	return "must not contain the control character " + codePoint(r)
}

const notUTF8Detail = "must be UTF-8 text; it holds bytes that are not"

// surrogateDetail says which unpaired surrogate an escape holds.
func surrogateDetail(v rune) string {
	return `must not contain the unpaired surrogate \u` + hex4(v) +
		"; a character beyond U+FFFF is escaped as a pair, such as \\uD83D\\uDE00"
}

func codePoint(r rune) string { return "U+" + hex4(r) }

// hex4 writes r in upper-case hexadecimal, at least four digits long.
func hex4(r rune) string {
	s := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	return strings.Repeat("0", max(0, 4-len(s))) + s
}

// textDetail says why s breaks the text rule, or "" when it keeps it.
// Parameters are checked with it once percent-decoded.
func textDetail(s string) string {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if textControl(rune(b)) {
				return controlDetail(rune(b))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return notUTF8Detail
		case textControl(r):
			return controlDetail(r)
		}
		i += n
	}
	return ""
}

// plainJSON reports whether the text rule has nothing to look at in a
// JSON body: it has no escape, no DEL, no C1 control and only UTF-8. A
// raw C0 control cannot be in the strings of a JSON body that parses.
// It guards the fast path of bodies that bodyCheck accepted, on its own
// rather than trusting that bodyCheck leaves escapes and invalid UTF-8
// to the slow path, and costs a few scans at memory speed: 40 to 60 ns
// for a create body of materials where the check itself takes 450 to
// 650 ns on the same machine (BenchmarkPlainJSON, BenchmarkBodyCheck).
func plainJSON(data []byte) bool {
	if bytes.IndexByte(data, '\\') >= 0 || bytes.IndexByte(data, 0x7f) >= 0 {
		return false
	}
	// U+0080 to U+009F are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
	for rest := data; ; {
		i := bytes.IndexByte(rest, 0xc2)
		if i < 0 {
			break
		}
		if i+1 < len(rest) && rest[i+1] < 0xa0 {
			return false
		}
		rest = rest[i+1:]
	}
	return utf8.Valid(data)
}

// maxTextErrors bounds the field errors jsonTextErrors reports: a body
// with a control in each of a hundred thousand strings costs one walk,
// not a hundred thousand errors.
const maxTextErrors = 20

// jsonTextErrors walks a JSON body that encoding/json accepted and
// returns one field error per string, value or property name, that breaks
// the text rule, pointing at it, in the order of the body; at most
// maxTextErrors.
func jsonTextErrors(data []byte) []problem.FieldError {
	if plainJSON(data) {
		return nil
	}
	w := textWalk{data: data}
	w.ws()
	w.value()
	return w.fields
}

// textWalk is a walk of a JSON body that knows where it is.
type textWalk struct {
	data   []byte
	i      int
	path   []textStep
	fields []problem.FieldError
}

// textStep is one step of the path to a value: the raw name of a property
// (quotes and escapes included) or the index of an array item.
type textStep struct {
	name  []byte
	index int
}

func (w *textWalk) done() bool { return w.i >= len(w.data) || len(w.fields) >= maxTextErrors }

func (w *textWalk) ws() {
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

func (w *textWalk) value() {
	if w.done() {
		return
	}
	switch w.data[w.i] {
	case '{':
		w.object()
	case '[':
		w.array()
	case '"':
		if detail := w.str(); detail != "" {
			w.report(detail)
		}
	default:
		// A number, true, false or null.
		for w.i < len(w.data) {
			switch w.data[w.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			w.i++
		}
	}
}

func (w *textWalk) object() {
	w.i++ // {
	for !w.done() {
		at := w.i
		w.ws()
		if w.i < len(w.data) && w.data[w.i] == '}' {
			w.i++
			return
		}
		start := w.i
		detail := w.str()
		w.path = append(w.path, textStep{name: w.data[start:w.i]})
		if detail != "" {
			w.report("the property name " + detail)
		}
		w.ws()
		w.i++ // :
		w.ws()
		w.value()
		w.path = w.path[:len(w.path)-1]
		w.ws()
		if w.i < len(w.data) && w.data[w.i] == ',' {
			w.i++
		}
		if w.i == at {
			return // not JSON: encoding/json has said so already
		}
	}
}

func (w *textWalk) array() {
	w.i++ // [
	for n := 0; !w.done(); n++ {
		at := w.i
		w.ws()
		if w.i < len(w.data) && w.data[w.i] == ']' {
			w.i++
			return
		}
		w.path = append(w.path, textStep{index: n})
		w.value()
		w.path = w.path[:len(w.path)-1]
		w.ws()
		if w.i < len(w.data) && w.data[w.i] == ',' {
			w.i++
		}
		if w.i == at {
			return // not JSON: encoding/json has said so already
		}
	}
}

// str passes over the string at w.i and says why it breaks the text rule:
// the first reason it meets, or "".
func (w *textWalk) str() string {
	d := w.data
	w.i++ // "
	detail := ""
	note := func(s string) {
		if detail == "" {
			detail = s
		}
	}
	for w.i < len(d) {
		b := d[w.i]
		switch {
		case b == '"':
			w.i++
			return detail
		case b == '\\':
			r, n := w.escape()
			switch {
			case r < 0:
				note(surrogateDetail(-r))
			case textControl(r):
				note(controlDetail(r))
			}
			w.i += n
		case b < utf8.RuneSelf:
			if textControl(rune(b)) {
				note(controlDetail(rune(b)))
			}
			w.i++
		default:
			r, n := utf8.DecodeRune(d[w.i:])
			switch {
			case r == utf8.RuneError && n == 1:
				note(notUTF8Detail)
			case textControl(r):
				note(controlDetail(r))
			}
			w.i += n
		}
	}
	return detail
}

// escape reads the escape at w.i and returns the character it stands for
// and its length in bytes; a surrogate that is not half of a pair comes
// back negated.
func (w *textWalk) escape() (rune, int) {
	d := w.data[w.i:]
	if len(d) < 2 {
		return 0, len(d)
	}
	switch d[1] {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'u':
	default:
		// \" \\ \/ and the tab, line feed and carriage return of \t, \n
		// and \r, none of which the rule refuses: the letter will do.
		return rune(d[1]), 2
	}
	v, ok := hexRune(d, 2)
	if !ok {
		return 0, 2
	}
	switch {
	case 0xd800 <= v && v < 0xdc00:
		if len(d) >= 12 && d[6] == '\\' && d[7] == 'u' {
			if low, ok := hexRune(d, 8); ok && 0xdc00 <= low && low < 0xe000 {
				return 0x10000 + (v-0xd800)<<10 + (low - 0xdc00), 12
			}
		}
		return -v, 6
	case 0xdc00 <= v && v < 0xe000:
		return -v, 6
	}
	return v, 6
}

// hexRune reads the four hexadecimal digits of a \u escape at d[at:].
func hexRune(d []byte, at int) (rune, bool) {
	if len(d) < at+4 {
		return 0, false
	}
	var v rune
	for _, c := range d[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}

// report records detail for the value at the current path.
func (w *textWalk) report(detail string) {
	var b bytes.Buffer
	b.WriteByte('#')
	for _, s := range w.path {
		b.WriteByte('/')
		if s.name == nil {
			b.WriteString(strconv.Itoa(s.index))
			continue
		}
		// The name as encoding/json decodes it, which is how the schema
		// errors name it too.
		var name string
		_ = json.Unmarshal(s.name, &name)
		b.WriteString(escapePointer(name))
	}
	w.fields = append(w.fields, problem.FieldError{Pointer: b.String(), Detail: detail})
}
