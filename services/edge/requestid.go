package edge

import (
	"context"
	"crypto/rand"
	"net/http"
	"strconv"
	"sync/atomic"
	"unsafe"

	"github.com/charterhq/charter/services/problem"
)

// RequestIDHeader is the header that carries a request's ID, both ways.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an incoming ID: it is echoed into logs and
// responses, so it must stay short.
const maxRequestIDLen = 128

// requestIDPrefix makes IDs unique across processes; the counter after it
// makes them unique within one. Neither needs randomness per request,
// which keeps generating an ID to one allocation.
var (
	requestIDPrefix = newRequestIDPrefix()
	requestCounter  atomic.Uint64
)

// RequestID gives every request an ID: the caller's X-Request-Id when it
// is sane (1 to 128 characters of letters, digits, '-', '_', '.', ':'),
// otherwise a new one. The ID is put in the request's context (read it
// with RequestIDFrom) and in the response's X-Request-Id header.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := requestIDValues(r)
		// RequestIDHeader is canonical: set the value without Set's
		// canonicalization.
		w.Header()[RequestIDHeader] = values
		next.ServeHTTP(w, r.WithContext(problem.WithRequestID(r.Context(), values[0])))
	})
}

// requestIDValues returns the request's ID as the one value of a header.
func requestIDValues(r *http.Request) []string {
	if in := r.Header[RequestIDHeader]; len(in) > 0 && saneRequestID(in[0]) {
		return in[:1:1]
	}
	id := new(struct {
		values [1]string
		buf    [requestIDCap]byte
	})
	id.values[0] = unsafe.String(&id.buf[0], len(appendRequestID(id.buf[:0])))
	return id.values[:]
}

// RequestIDFrom returns the request ID that RequestID put in ctx, or ""
// when there is none.
func RequestIDFrom(ctx context.Context) string { return problem.RequestIDFrom(ctx) }

// saneRequestID reports whether an incoming ID can be echoed into logs and
// headers without escaping: anything else could forge log lines.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// appendRequestID appends a new ID to b.
func appendRequestID(b []byte) []byte {
	b = append(b, requestIDPrefix...)
	b = append(b, '-')
	return strconv.AppendUint(b, requestCounter.Add(1), 36)
}

// requestIDCap holds the prefix, the dash and a counter in base 36.
const requestIDCap = 10 + 1 + 13

// crockford is Crockford's base32 alphabet: no I, L, O or U, so IDs read
// aloud or copied by hand survive.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func newRequestIDPrefix() string {
	var raw [10]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails since Go 1.24.
	var out [10]byte
	for i, v := range raw {
		out[i] = crockford[v&31]
	}
	return string(out[:])
}
