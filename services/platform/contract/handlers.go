package contract

import (
	"errors"
	"log/slog"
	"net/http"
	"reflect"

	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

// ParamError is the generated ChiServerOptions.ErrorHandlerFunc: it
// answers a parameter the generated code could not bind. The middleware
// has checked the request already and it is not checked twice; a request
// the middleware did not see (the generated routes mounted without it) is
// checked here first, authentication included, so that a binding error
// never answers a caller the contract would refuse.
func (c *Contract) ParamError(w http.ResponseWriter, r *http.Request, err error) {
	refused(w)
	op := c.lookup(r)
	if op != nil && request.ScopeFrom(r.Context()).Operation() != op.id {
		if _, ok := c.check(w, r, op); !ok {
			return
		}
	}
	// The contract accepts what the binding refused: point at the
	// parameter the binding names, without its Go error text.
	pointer := "#"
	if name := paramName(err); name != "" && op != nil {
		if in, ok := op.paramIn[name]; ok {
			pointer = "#/" + in + "/" + escapePointer(name)
		}
	}
	writeInvalid(w, r, []problem.FieldError{{Pointer: pointer, Detail: "is not valid for its type"}})
}

// paramName reads the ParamName field that every parameter error type of
// oapi-codegen carries. Those types live in each generated package, so
// this package cannot name them; reflection runs only on this error path.
func paramName(err error) string {
	for ; err != nil; err = errors.Unwrap(err) {
		v := reflect.ValueOf(err)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		if f := v.FieldByName("ParamName"); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return ""
}

// RequestError is the generated StrictHTTPServerOptions.RequestErrorHandlerFunc:
// it answers a body the generated handler could not decode. The middleware
// validated the body already, so this is rare; a body over the limit still
// gets its 413.
func (c *Contract) RequestError(w http.ResponseWriter, r *http.Request, err error) {
	refused(w)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		edge.TooLarge(w, r, tooLarge.Limit)
		return
	}
	c.logger.LogAttrs(r.Context(), slog.LevelDebug, "request body not decoded",
		slog.String("error", err.Error()),
		slog.String("request_id", request.IDFrom(r.Context())))
	writeInvalid(w, r, []problem.FieldError{{Pointer: "#", Detail: "the body does not match the schema of the operation"}})
}

// ResponseError is the generated StrictHTTPServerOptions.ResponseErrorHandlerFunc:
// a controller returned an error or a response could not be encoded. The
// error is logged with the request ID; the client sees "Internal error."
// and the request ID to quote.
//
// An error that wraps an unavailable dependency (one whose type has an
// Unavailable method that reports true, such as sqldb.ErrUnavailable) is
// answered 503 with Retry-After instead, the platform's rule for every
// operation (api/shared's ServiceUnavailable): the request may work when
// tried again, and a client or load balancer knows to retry a 503 and not
// a 500. The readiness probe fails meanwhile too.
func (c *Contract) ResponseError(w http.ResponseWriter, r *http.Request, err error) {
	status, level, msg, detail := http.StatusInternalServerError, slog.LevelError, "internal error", "Internal error."
	if isUnavailable(err) {
		status, level, msg, detail = http.StatusServiceUnavailable, slog.LevelWarn, "dependency unavailable",
			"The service cannot reach what it needs to answer; try again after Retry-After."
		w.Header().Set("Retry-After", answer.RetryAfterHeader)
	}
	c.logger.LogAttrs(r.Context(), level, msg,
		slog.String("error", err.Error()),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("request_id", request.IDFrom(r.Context())))
	problem.Write(w, r, problem.New(status, detail))
}

// isUnavailable reports whether err wraps an error that says a dependency
// cannot serve now but may shortly. The method, not a sentinel, keeps the
// contract free of the packages that raise such errors.
func isUnavailable(err error) bool {
	u, ok := errors.AsType[unavailable](err)
	return ok && u.Unavailable()
}

// unavailable is an error that says whether it is a dependency's
// unavailability.
type unavailable interface {
	error
	Unavailable() bool
}
