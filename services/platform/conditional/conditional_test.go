package conditional_test

import (
	"testing"

	"github.com/charterhq/charter/services/platform/conditional"
)

func TestETagIsStrongAndQuoted(t *testing.T) {
	if got, want := conditional.ETag(7), `"7"`; got != want {
		t.Errorf("ETag(7) = %s, want %s", got, want)
	}
}

func TestIfMatch(t *testing.T) {
	tests := []struct {
		name   string
		header *string
		want   int64
	}{
		{"absent: any version", nil, conditional.Any},
		{"star: any version", ptr("*"), conditional.Any},
		{"the tag of a version", ptr(`"7"`), 7},
		{"the tag among spaces", ptr(` "7" `), 7},
		{"the same tag twice", ptr(`"7", "7"`), 7},
		{"two versions: none can be checked in one step", ptr(`"7", "8"`), conditional.None},
		{"a weak tag never matches strongly", ptr(`W/"7"`), conditional.None},
		{"a tag of another server", ptr(`"abc"`), conditional.None},
		{"an unquoted version", ptr(`7`), conditional.None},
		{"version zero", ptr(`"0"`), conditional.None},
		{"a negative version", ptr(`"-1"`), conditional.None},
		{"a leading zero", ptr(`"07"`), conditional.None},
		{"empty", ptr(``), conditional.None},
		{"an empty tag", ptr(`""`), conditional.None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := conditional.IfMatch(tt.header); got != tt.want {
				t.Errorf("IfMatch(%v) = %d, want %d", tt.header, got, tt.want)
			}
		})
	}
}

func TestNotModified(t *testing.T) {
	tests := []struct {
		name   string
		header *string
		want   bool
	}{
		{"absent", nil, false},
		{"star", ptr("*"), true},
		{"the current tag", ptr(`"7"`), true},
		{"the current tag, weak", ptr(`W/"7"`), true},
		{"the current tag in a list", ptr(`"6", "7"`), true},
		{"an older tag", ptr(`"6"`), false},
		{"a tag of another server", ptr(`"abc"`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := conditional.NotModified(tt.header, 7); got != tt.want {
				t.Errorf("NotModified(%v, 7) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func ptr(s string) *string { return &s }
