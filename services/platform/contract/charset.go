package contract

import (
	"net/http"
	"strings"

	"github.com/charterhq/charter/services/platform/problem"
)

// refuseCharset answers 415 to a JSON body whose Content-Type names a
// charset other than UTF-8, and reports whether it did. JSON exchanged
// between systems is UTF-8 (RFC 8259, section 8.1); a client that says
// its bytes are UTF-16 or Latin-1 and is read as UTF-8 anyway gets its
// text stored as something it did not send, or a confusing syntax error.
// No charset, or charset=utf-8 in any case, quoted or not, is accepted.
func refuseCharset(w http.ResponseWriter, r *http.Request, op *operation) bool {
	charset, named := jsonCharset(headerValue(r.Header, "Content-Type"))
	if !named || strings.EqualFold(charset, "utf-8") {
		return false
	}
	w.Header().Set("Accept", op.accepts)
	problem.Write(w, r, problem.New(http.StatusUnsupportedMediaType,
		"A JSON request body must be UTF-8; its Content-Type names charset "+quoteCharset(charset)+"."))
	return true
}

// jsonCharset returns the value of the charset parameter of a
// Content-Type, unquoted, and whether there is one.
func jsonCharset(contentType string) (string, bool) {
	_, params, _ := strings.Cut(contentType, ";")
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(param, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "charset") {
			continue
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = strings.ReplaceAll(value[1:len(value)-1], `\`, "")
		}
		return value, true
	}
	return "", false
}

// quoteCharset shows a charset as the client sent it, or says it was
// empty, keeping the detail to printable ASCII whatever the header held.
func quoteCharset(charset string) string {
	if charset == "" {
		return "(empty)"
	}
	if len(charset) > 40 || strings.IndexFunc(charset, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return "(not a charset name)"
	}
	return charset
}
