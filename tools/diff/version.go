package diff

import (
	"strconv"
	"strings"
)

// Bump is a semantic version increment.
type Bump string

// The bumps, from the largest.
const (
	Major Bump = "major"
	Minor Bump = "minor"
	Patch Bump = "patch"
)

// major returns the major number of a version such as "1.2.3" or "v2";
// ok is false when there is none.
func major(v string) (int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, ".-+"); i >= 0 {
		v = v[:i]
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// MajorBumped reports whether next's major number is above base's.
func MajorBumped(base, next string) bool {
	b, ok1 := major(base)
	n, ok2 := major(next)
	return ok1 && ok2 && n > b
}

// Recommend returns the bump a set of findings calls for: major for any
// breaking change, minor for anything else a client can see, patch when
// nothing changed for clients. The generated Go client's changes do not
// count: the API's version is about the wire.
func Recommend(findings []Finding) Bump {
	bump := Patch
	for _, f := range findings {
		if f.Ignored || f.SDK() {
			continue
		}
		if f.Severity == Error && f.Rule != RuleSunsetRemoval {
			return Major
		}
		bump = Minor
	}
	return bump
}
