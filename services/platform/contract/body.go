package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
)

// requestBody is what readBody leaves for validateBody.
type requestBody struct {
	data  []byte
	media *mediaType
	value any // the decoded JSON document when media.json and not valid
	// valid is true when the compiled check of media accepted data, which
	// then needs neither decoding nor kin-openapi.
	valid bool
}

// readBody checks the media type of r's body, reads it once, restores it
// for the handler and decodes it when it is JSON. It writes the 413, 415
// or 400 problem and returns false when the body cannot be validated.
func (c *Contract) readBody(w http.ResponseWriter, r *http.Request, op *operation) (requestBody, bool) {
	var rb requestBody
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		// No body: whether that is allowed is validateBody's question.
		return rb, true
	}
	media, ok := op.accepted(headerValue(r.Header, "Content-Type"))
	if !ok {
		w.Header().Set("Accept", op.accepts)
		problem.Write(w, r, problem.New(http.StatusUnsupportedMediaType,
			"The request body must be "+op.accepts+"."))
		return rb, false
	}
	if media.json && refuseCharset(w, r, op) {
		return rb, false
	}
	data, err := readAll(r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			edge.TooLarge(w, r, tooLarge.Limit)
			return rb, false
		}
		problem.Write(w, r, problem.New(http.StatusBadRequest, "The request body could not be read."))
		return rb, false
	}
	replay := &replayBody{}
	replay.Reset(data)
	r.Body = replay
	rb.data, rb.media = data, media
	if len(data) == 0 || !media.json {
		return rb, true
	}
	if media.check != nil && media.check.valid(data) && plainJSON(data) {
		rb.valid = true
		return rb, true
	}
	if ended(w, r) {
		// Not worth decoding.
		return rb, false
	}
	if err := json.Unmarshal(data, &rb.value); err != nil {
		writeInvalid(w, r, []problem.FieldError{{Pointer: "#", Detail: jsonSyntaxDetail(err)}})
		return rb, false
	}
	if fields := jsonTextErrors(data); len(fields) > 0 {
		writeInvalid(w, r, fields)
		return rb, false
	}
	return rb, true
}

// readAll reads r's body into a buffer sized from Content-Length when the
// client announced one, so that the common case allocates once.
func readAll(r *http.Request) ([]byte, error) {
	defer r.Body.Close()
	if n := r.ContentLength; n > 0 && n <= 1<<20 {
		buf := make([]byte, n+1)
		read, err := io.ReadFull(r.Body, buf)
		switch {
		case err == io.ErrUnexpectedEOF, err == io.EOF:
			// Shorter than announced: net/http reports that as an error
			// itself on the next read, so take what came.
			return buf[:read], nil
		case err != nil:
			return nil, err
		}
		// More than announced cannot happen with net/http's body, but a
		// hand-built request may lie: read the rest the slow way.
		rest, err := io.ReadAll(r.Body)
		return append(buf, rest...), err
	}
	return io.ReadAll(r.Body)
}

// replayBody hands the already-read body to the handler.
type replayBody struct{ bytes.Reader }

func (*replayBody) Close() error { return nil }

// jsonSyntaxDetail says what is wrong with a body that is not JSON, in
// encoding/json's words, which name no Go types for a syntax error.
func jsonSyntaxDetail(err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return "the body is not valid JSON: " + syntax.Error() + " (at byte " + strconv.FormatInt(syntax.Offset, 10) + ")"
	}
	return "the body is not valid JSON"
}
