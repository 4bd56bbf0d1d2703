// Package problem writes RFC 9457 problem documents: the one error format
// every client of a Charter service sees, whatever layer failed.
//
// A problem carries only what was written for clients: a type URI, a
// title, the status, a detail sentence and, for invalid input, one entry
// per invalid field. Go error strings are never copied into it by this
// package, so type names, SQL and stack traces cannot leak through it.
package problem

import (
	"encoding/json"
	"net/http"

	"github.com/charterhq/charter/services/platform/request"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document, shaped like the Problem schema
// of the contracts in api/.
type Problem struct {
	// Type is a URI that identifies the kind of problem.
	Type string `json:"type"`
	// Title is a short summary of the kind of problem.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail says what went wrong in this occurrence.
	Detail string `json:"detail,omitempty"`
	// Instance is the request path that failed, as Instance writes it.
	Instance string `json:"instance,omitempty"`
	// RequestID is the ID of the request, to quote when asking for help.
	RequestID string `json:"request_id,omitempty"`
	// Errors lists one entry per invalid field of the request.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError is one invalid field of a request.
type FieldError struct {
	// Pointer is a JSON pointer to the field: "#/name" in the body, or
	// "#/query/limit", "#/path/material_id", "#/header/X-Name" for
	// parameters.
	Pointer string `json:"pointer"`
	// Detail says why the value is invalid.
	Detail string `json:"detail"`
}

// New returns the problem of the given status with a detail sentence. Its
// type and title are the ones Charter documents for that status.
func New(status int, detail string) Problem {
	k := kindOf(status)
	return Problem{Type: k.typ, Title: k.title, Status: status, Detail: detail}
}

// Instance returns the path of r as a problem's instance: escaped as the
// request line carries it (RFC 3986), never the decoded path, which can
// hold a NUL or another control character that /materials/%00 decodes to
// and that has no place in a URI reference a client logs or displays.
func Instance(r *http.Request) string {
	if r == nil || r.URL == nil {
		return ""
	}
	return r.URL.EscapedPath()
}

// Write sends p as the response. It fills Instance from the request path
// and RequestID from the request's context when p leaves them empty, so
// that callers build a problem from what they know and nothing else.
func Write(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	if p.Type == "" || p.Title == "" {
		k := kindOf(p.Status)
		if p.Type == "" {
			p.Type = k.typ
		}
		if p.Title == "" {
			p.Title = k.title
		}
	}
	if r != nil {
		if p.Instance == "" {
			p.Instance = Instance(r)
		}
		if p.RequestID == "" {
			p.RequestID = request.IDFrom(r.Context())
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		// A Problem holds only strings and ints; this cannot fail, but the
		// client must still get a document rather than an empty body.
		body = []byte(`{"type":"` + internal.typ + `","title":"` + internal.title + `","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	// A problem describes this response only; caches must not serve it
	// for a later request that might succeed.
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}
