package problem

import (
	"net/http"
	"strings"
)

// TypeBase is the prefix of every problem type URI; the slug after it
// names the kind of problem.
const TypeBase = "https://charter.dev/problems/"

// kind is the type URI and title documented for one status.
type kind struct {
	typ   string
	title string
}

// kinds holds the statuses Charter documents in its contracts, with the
// slugs and titles the contracts' examples use. Other statuses fall back
// to a slug and title derived from the status text.
var kinds = map[int]kind{
	http.StatusBadRequest:            {TypeBase + "invalid-request", "Invalid request"},
	http.StatusUnauthorized:          {TypeBase + "unauthorized", "Unauthorized"},
	http.StatusForbidden:             {TypeBase + "forbidden", "Forbidden"},
	http.StatusNotFound:              {TypeBase + "not-found", "Not found"},
	http.StatusMethodNotAllowed:      {TypeBase + "method-not-allowed", "Method not allowed"},
	http.StatusConflict:              {TypeBase + "conflict", "Conflict"},
	http.StatusRequestEntityTooLarge: {TypeBase + "payload-too-large", "Payload too large"},
	http.StatusUnsupportedMediaType:  {TypeBase + "unsupported-media-type", "Unsupported media type"},
	http.StatusUnprocessableEntity:   {TypeBase + "unprocessable", "Unprocessable content"},
	http.StatusTooManyRequests:       {TypeBase + "too-many-requests", "Too many requests"},
	http.StatusInternalServerError:   internal,
	http.StatusServiceUnavailable:    {TypeBase + "unavailable", "Service unavailable"},
}

var internal = kind{TypeBase + "internal", "Internal error"}

// kindOf returns the documented kind of status, or one derived from the
// status text so that every status still gets a stable type URI.
func kindOf(status int) kind {
	if k, ok := kinds[status]; ok {
		return k
	}
	text := http.StatusText(status)
	if text == "" {
		return internal
	}
	slug := strings.ToLower(strings.NewReplacer(" ", "-", "'", "").Replace(text))
	title := text[:1] + strings.ToLower(text[1:])
	return kind{TypeBase + slug, title}
}
