package auth

import (
	"slices"
	"testing"
)

func TestMissingScopes(t *testing.T) {
	tests := []struct {
		name              string
		granted, required []string
		want              []string
	}{
		{"all granted", []string{"materials:read", "materials:write"}, []string{"materials:write"}, nil},
		{"one missing", []string{"materials:read"}, []string{"materials:read", "materials:write"}, []string{"materials:write"}},
		{"nothing granted", nil, []string{"materials:read"}, []string{"materials:read"}},
		{"nothing required", nil, nil, nil},
		{"a duplicate requirement is named once", nil, []string{"a", "b", "a"}, []string{"a", "b"}},
		{"a prefix is not the scope", []string{"materials"}, []string{"materials:read"}, []string{"materials:read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MissingScopes(tt.granted, tt.required); !slices.Equal(got, tt.want) {
				t.Errorf("MissingScopes = %v, want %v", got, tt.want)
			}
		})
	}
}
