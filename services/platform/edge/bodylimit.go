package edge

import (
	"net/http"
	"strconv"

	"github.com/charterhq/charter/services/platform/problem"
)

// BodyLimit caps request bodies at n bytes. A request whose Content-Length
// already announces more is refused at once with a 413 problem, before a
// byte is read; any other body is wrapped in http.MaxBytesReader, so a
// reader past the limit gets an *http.MaxBytesError, which the contract
// middleware and the generated handlers' error hooks turn into a 413
// problem too (see TooLarge).
func BodyLimit(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				TooLarge(w, r, n)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TooLarge writes the 413 problem for a body over limit bytes.
func TooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	// The rest of the body is not worth reading: ask the client to
	// close so that the connection is not kept busy draining it.
	w.Header().Set("Connection", "close")
	problem.Write(w, r, problem.New(http.StatusRequestEntityTooLarge,
		"The request body is larger than "+strconv.FormatInt(limit, 10)+" bytes."))
}
