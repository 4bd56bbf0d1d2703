package contract

import (
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/charterhq/charter/services/platform/problem"
)

// checkedWriter captures a response for ValidateResponses. Holding (Strict
// mode), it keeps the status and the body until the check and sends them
// in release; otherwise it passes everything on at once and keeps a copy
// of the body to check after the response left. A holding writer stops
// holding (commits) when the handler flushes or the body outgrows the
// limit.
//
// The header map is the underlying writer's own: handlers see the headers
// set in front of them, and the check sees the headers the client gets.
type checkedWriter struct {
	w     http.ResponseWriter
	limit int

	// status is the final status the handler wrote; 0 until it wrote one.
	status int
	// body is the body written so far, while it is within limit.
	body []byte
	// overflow is set when the body outgrew limit: it was passed on and
	// is not checked.
	overflow bool
	// committed is set once the status went to w; until then a holding
	// writer can still replace the response.
	committed bool
	// before are the header keys set before the handler ran, kept so that
	// a replaced response does not carry the handler's headers.
	before []string
	// reader hands body to kin-openapi without allocating a reader.
	reader replayBody
	// refused is set by refused(w): the contract refused the request
	// after accepting it.
	refused bool
}

// writers recycles checkedWriters, their body buffers included: a check
// per request would otherwise allocate both.
var writers = sync.Pool{New: func() any { return new(checkedWriter) }}

// maxPooledBody bounds the buffer a pooled writer keeps, so that one big
// response does not pin its memory for the life of the process.
const maxPooledBody = 64 << 10

func newCheckedWriter(w http.ResponseWriter, hold bool, limit int) *checkedWriter {
	cw := writers.Get().(*checkedWriter)
	cw.w, cw.limit = w, limit
	cw.committed = !hold
	if hold {
		for k := range w.Header() {
			cw.before = append(cw.before, k)
		}
	}
	return cw
}

// free returns cw to the pool. It is not called after a panic: a writer a
// panicking handler may still hold is simply left to the collector.
func (cw *checkedWriter) free() {
	body := cw.body[:0]
	if cap(body) > maxPooledBody {
		body = nil
	}
	*cw = checkedWriter{body: body, before: cw.before[:0]}
	writers.Put(cw)
}

// Header returns the underlying writer's header map.
func (cw *checkedWriter) Header() http.Header { return cw.w.Header() }

// WriteHeader records the status; a holding writer sends it in release.
func (cw *checkedWriter) WriteHeader(code int) {
	if cw.status != 0 {
		return // superfluous, as net/http would ignore it
	}
	if code < 200 {
		// Informational: it goes out at once, and the final status is
		// still to come.
		cw.w.WriteHeader(code)
		return
	}
	cw.status = code
	if cw.committed {
		cw.w.WriteHeader(code)
		return
	}
	// A body announced bigger than the limit would only be held to be
	// passed on unchecked: pass it on from the start. (Parsing an absent
	// length would allocate a syntax error on every response.)
	if cl := cw.w.Header().Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n > int64(cw.limit) {
			cw.overflow = true
			cw.commit()
		}
	}
}

// Write keeps b for the check and, unless holding, passes it on.
func (cw *checkedWriter) Write(b []byte) (int, error) {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	fits := !cw.overflow && len(cw.body)+len(b) <= cw.limit
	if !cw.committed {
		if fits {
			cw.body = append(cw.body, b...)
			return len(b), nil
		}
		cw.overflow = true
		cw.commit()
		return cw.w.Write(b)
	}
	if fits {
		cw.body = append(cw.body, b...)
	} else {
		cw.overflow = true
		cw.body = cw.body[:0]
	}
	return cw.w.Write(b)
}

// Flush sends what a holding writer held, ending the holding, and flushes
// the underlying writer: a handler that streams keeps streaming.
func (cw *checkedWriter) Flush() {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	cw.commit()
	_ = http.NewResponseController(cw.w).Flush()
}

// Unwrap lets http.ResponseController reach the server's writer, for
// write deadlines and the like.
func (cw *checkedWriter) Unwrap() http.ResponseWriter { return cw.w }

// commit sends the held status and body. The body is kept for the check
// unless it outgrew the limit.
func (cw *checkedWriter) commit() {
	if cw.committed {
		return
	}
	cw.committed = true
	if cw.status != 0 {
		cw.w.WriteHeader(cw.status)
	}
	if len(cw.body) > 0 {
		// The handler's writes were taken as done; a client gone by now
		// is net/http's to notice, as it would be without the check.
		_, _ = cw.w.Write(cw.body)
	}
	if cw.overflow {
		cw.body = cw.body[:0]
	}
}

// release sends the response as the handler wrote it.
func (cw *checkedWriter) release() { cw.commit() }

// replace sends p instead of the held response, without the headers the
// handler set: a Location or an ETag would describe a response the client
// never gets.
func (cw *checkedWriter) replace(r *http.Request, p problem.Problem) {
	h := cw.w.Header()
	for k := range h {
		if !slices.Contains(cw.before, k) {
			delete(h, k)
		}
	}
	cw.committed = true
	problem.Write(cw.w, r, p)
}

// refused tells the response check around w, if any, that what is written
// to w is the contract's refusal (a parameter or a body the generated code
// could not bind), not the operation's response: the contract answers it
// whatever the operation documents, as it does a refusal before
// acceptance. Writers in between are seen through with Unwrap.
func refused(w http.ResponseWriter) {
	for {
		switch x := w.(type) {
		case *checkedWriter:
			x.refused = true
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return
		}
	}
}
