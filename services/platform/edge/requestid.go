package edge

import (
	"context"
	"crypto/rand"
	"net/http"
	"strconv"
	"sync/atomic"
	"unsafe"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
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

// requestContext is a request's context: its scope, its path, the storage
// of its ID and of the header value that echoes it, and chi's routing
// context, so that all of them take one allocation.
type requestContext struct {
	request.Context
	// route answers chi.RouteCtxKey when Root made the routing context;
	// nil when Root is mounted under another chi router, whose routing
	// context the parent's context answers for.
	route *chi.Context
	// path is the request's URL path, for PathFrom.
	path   string
	header [1]string
	buf    [requestIDCap]byte
}

// pathKey is the context key PathFrom reads.
type pathKey struct{}

// Value answers for the scope (through request.Context), for the path and
// for chi's routing context when Root made it, so that none takes a
// context of its own; any other key goes to the parent.
func (c *requestContext) Value(key any) any {
	if c.route != nil && key == chi.RouteCtxKey {
		return c.route
	}
	if key == (pathKey{}) {
		return &c.path
	}
	return c.Context.Value(key)
}

// PathFrom returns the URL path of the request ctx belongs to, as Root
// received it and escaped as problem.Instance escapes it, or "" for a context that did not come through Root. It is
// the "instance" of the problem documents written where only the context
// is at hand, such as a controller's answers (package answer), so that
// they name the request as problem.Write does.
func PathFrom(ctx context.Context) string {
	if p, ok := ctx.Value(pathKey{}).(*string); ok {
		return *p
	}
	return ""
}

// newRequestContext returns the context of r, with r's own ID when it is
// sane (1 to 128 characters of letters, digits, '-', '_', '.', ':') and a
// new one otherwise, and sets the ID in w's header.
func newRequestContext(w http.ResponseWriter, r *http.Request) *requestContext {
	c := new(requestContext)
	c.Context.Context = r.Context()
	c.path = problem.Instance(r)
	if in := r.Header[RequestIDHeader]; len(in) > 0 && saneRequestID(in[0]) {
		c.Scope.ID = in[0]
	} else {
		c.Scope.ID = unsafe.String(&c.buf[0], len(appendRequestID(c.buf[:0])))
	}
	c.header[0] = c.Scope.ID
	// RequestIDHeader is canonical: set the value without Set's
	// canonicalization.
	w.Header()[RequestIDHeader] = c.header[:]
	return c
}

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
