package auth

import "slices"

// MissingScopes returns the scopes of required that granted lacks, in the
// order required lists them, or nil when none is missing. The edge answers
// 403 naming them; an operation that requires no scope is open to any
// authenticated caller.
func MissingScopes(granted, required []string) []string {
	var missing []string
	for _, r := range required {
		if !slices.Contains(granted, r) && !slices.Contains(missing, r) {
			missing = append(missing, r)
		}
	}
	return missing
}
