// Package conditional implements the conditional requests of RFC 9110
// (section 13) for resources that carry a version, a count of their
// writes: the strong ETag of a version, the version an If-Match header
// asks a write to happen at, and whether an If-None-Match header makes a
// GET answer 304.
//
// A service declares the headers in its contract (ETag on the responses
// that carry the resource, If-Match on PUT and DELETE, If-None-Match on
// GET with its 304, and the shared PreconditionFailed response), and its
// controller translates them with this package:
//
//	m, err := stories.Update.Run(ctx, who, things.UpdateInput{ID: id, Version: conditional.IfMatch(req.Params.IfMatch), ...})
//	// ErrVersionMismatch answers 412 through the operation's answers table.
//	etag := conditional.ETag(m.Version)
//
// The check itself is the repository's: it writes only at the version
// asked for, in the statement that writes, so that of two clients that
// read the same version only one changes the resource. A spec that
// declares If-Match required makes the contract answer 428 to a write
// without it (see contract.Middleware).
package conditional

import (
	"strconv"
	"strings"
)

// Any is the version IfMatch returns when the write may happen at any
// version: the header is absent, or "*", which every current
// representation matches (a missing resource is answered 404 anyway).
const Any int64 = 0

// None is the version IfMatch returns when no version can match: a weak
// tag (If-Match compares strongly), a tag this package did not make, or a
// list of several versions. A repository never stores it, so a write at
// None is refused as a version mismatch.
const None int64 = -1

// ETag returns the strong entity tag of a resource at version, quoted as
// the header carries it: "7". A resource's version changes with every
// write and never comes back, which is what a strong tag needs.
func ETag(version int64) string {
	return `"` + strconv.FormatInt(version, 10) + `"`
}

// IfMatch returns the version the If-Match header asks a write to happen
// at: Any when the header is absent or "*", None when no version can
// match. A client sends back the one ETag it read; a list that names more
// than one version is answered as None rather than with a write that
// could not be checked in one step.
func IfMatch(header *string) int64 {
	if header == nil {
		return Any
	}
	tags := splitTags(*header)
	if len(tags) == 1 && tags[0] == "*" {
		return Any
	}
	version := None
	for _, tag := range tags {
		v, ok := parse(tag)
		if !ok {
			continue
		}
		if version != None && version != v {
			return None
		}
		version = v
	}
	return version
}

// NotModified reports whether the If-None-Match header makes a GET of a
// resource at version answer 304: it holds "*" or the resource's tag,
// compared weakly (W/"7" matches "7") as RFC 9110 asks of If-None-Match.
func NotModified(header *string, version int64) bool {
	if header == nil {
		return false
	}
	for _, tag := range splitTags(*header) {
		if tag == "*" {
			return true
		}
		if v, ok := parse(strings.TrimPrefix(tag, "W/")); ok && v == version {
			return true
		}
	}
	return false
}

// splitTags splits a header's list of entity tags. The tags this package
// makes hold no comma, so a comma inside another's tag only makes that
// tag unknown, which matches nothing.
func splitTags(header string) []string {
	var tags []string
	for tag := range strings.SplitSeq(header, ",") {
		if tag = strings.TrimSpace(tag); tag != "" {
			tags = append(tags, tag)
		}
	}
	return tags
}

// parse returns the version of a strong tag ETag made.
func parse(tag string) (int64, bool) {
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return 0, false
	}
	digits := tag[1 : len(tag)-1]
	if digits[0] == '0' || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v < 1 {
		return 0, false
	}
	return v, true
}
