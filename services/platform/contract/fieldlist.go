package contract

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/charterhq/charter/services/platform/problem"
)

// MaxFieldErrors is the most invalid fields the 400 problem of a request
// lists. A request with more gets the first MaxFieldErrors in the order
// they were found, and a detail saying that only those are listed.
//
// The cap bounds what refusing a request costs beyond decoding it. A body
// under the size limit can hold a hundred thousand unknown properties,
// each an error of its own; listing them all once meant joining them by
// pointer in quadratic time, tens of seconds of CPU for one request. A
// client fixes a request a few fields at a time anyway.
const MaxFieldErrors = 20

// maxFieldDetail bounds the joined details of one field: once its detail
// is this long, further reasons for the same field are dropped.
const maxFieldDetail = 512

// fieldList collects the invalid fields of one request for its 400
// problem: one entry per pointer, in the order pointers are first met, the
// reasons of a pointer met again joined into its detail ("must be more
// than 0; must be at least 0", since kin-openapi reports each failed
// keyword), at most MaxFieldErrors entries. Its cost is bounded by the
// cap, whatever the number of errors offered, because callers stop
// offering when add says the list is full.
type fieldList struct {
	fields []problem.FieldError
	// omitted is true when a field was left out for want of room.
	omitted bool
}

// add records f, joining its detail to that of the entry with the same
// pointer. It returns false when f was left out because the list is full:
// the caller should stop looking for more.
func (l *fieldList) add(f problem.FieldError) bool {
	// At most MaxFieldErrors entries: a scan beats a map.
	for i := range l.fields {
		e := &l.fields[i]
		if e.Pointer != f.Pointer {
			continue
		}
		if len(e.Detail) < maxFieldDetail && !strings.Contains(e.Detail, f.Detail) {
			e.Detail += "; " + f.Detail
		}
		return true
	}
	if len(l.fields) == MaxFieldErrors {
		l.omitted = true
		return false
	}
	l.fields = append(l.fields, f)
	return true
}

// addAll adds fields until the list is full, and reports whether there is
// still room.
func (l *fieldList) addAll(fields []problem.FieldError) bool {
	for _, f := range fields {
		if !l.add(f) {
			return false
		}
	}
	return true
}

// full reports whether a field has been left out: further errors need not
// be looked for.
func (l *fieldList) full() bool { return l.omitted }

// collect adds the field errors of kin-openapi's err under prefix until
// the list is full or ctx ends.
func (l *fieldList) collect(ctx context.Context, prefix string, err error) {
	eachFieldError(ctx, prefix, err, l.add)
}

// write sends the 400 problem listing the fields.
func (l *fieldList) write(w http.ResponseWriter, r *http.Request) {
	detail := "The request does not match the contract."
	if l.omitted {
		detail = "The request does not match the contract; only the first " +
			strconv.Itoa(MaxFieldErrors) + " invalid fields are listed."
	}
	p := problem.New(http.StatusBadRequest, detail)
	p.Errors = l.fields
	problem.Write(w, r, p)
}

// writeInvalid writes the 400 problem listing fields, one entry per
// pointer.
func writeInvalid(w http.ResponseWriter, r *http.Request, fields []problem.FieldError) {
	var l fieldList
	l.addAll(fields)
	l.write(w, r)
}

// ended answers a request whose context ended before the contract had
// judged it, and reports whether it did. The client has gone, or the
// server's deadline for the request has passed: the rest of the work would
// be done for an answer nobody reads, and the handler must not run a
// request that nobody waits for. The 503 reaches a client only when a
// deadline ended the request.
func ended(w http.ResponseWriter, r *http.Request) bool {
	if r.Context().Err() == nil {
		return false
	}
	problem.Write(w, r, problem.New(http.StatusServiceUnavailable,
		"The request ended before it was validated."))
	return true
}
