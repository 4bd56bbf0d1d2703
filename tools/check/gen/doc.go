// Package gen draws JSON values from OpenAPI schemas with pgregory.net/rapid:
// values that satisfy a schema (Value) and values that break exactly one of
// its constraints (Violations). The values are the plain types
// encoding/json produces (map[string]any, []any, string, int64, float64,
// bool, nil) so that callers can marshal them or serialize them as
// parameters without knowing the schema again.
//
// Generators shrink the way rapid shrinks: integers towards the lower
// bound, strings towards the shortest, optional properties towards absent.
// Edge values (bounds, the extremes of the format) are drawn on purpose,
// because servers break there.
package gen
