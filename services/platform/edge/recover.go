package edge

import (
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

// Recover turns a panic in a handler into a 500 problem. The panic value
// and the stack go to logger at Error level, with the request ID; the
// client sees only "Internal error." and the request ID to quote.
//
// A panic with http.ErrAbortHandler is re-raised: it is how a handler asks
// net/http to abort the response, and net/http does not log it.
func Recover(logger *slog.Logger) func(http.Handler) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				ctx := r.Context()
				logger.LogAttrs(ctx, slog.LevelError, "panic",
					slog.Any("panic", v),
					slog.String("stack", string(debug.Stack())),
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("request_id", request.IDFrom(ctx)),
				)
				if hw, ok := w.(headerWriter); ok && hw.headerWritten() {
					// The status is already on the wire; a second one would
					// only corrupt the response. Abort it instead so the
					// client sees a broken response, not a truncated success.
					panic(http.ErrAbortHandler)
				}
				problem.Write(w, r, problem.New(http.StatusInternalServerError, "Internal error."))
			}()
			next.ServeHTTP(w, r)
		})
	}
}
