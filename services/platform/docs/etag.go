package docs

import "strings"

// etagMatches reports whether an If-None-Match header names etag (RFC 9110
// section 13.1.2: weak comparison, "*" matches any).
func etagMatches(header, etag string) bool {
	for candidate := range strings.SplitSeq(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == etag {
			return true
		}
	}
	return false
}
