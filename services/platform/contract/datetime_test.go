package contract

import (
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var dateTimeSeeds = []string{
	"2026-11-30T09:30:00Z", "2026-11-30T09:30:00.123456789Z", "2026-11-30T09:30:00+01:00", "2026-11-30T09:30:00.5-12:30",
	"2026-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "2026-10-10T20:00:00Z", "2026-11-19T19:09:09Z",
	"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-40T00:00:00Z",
	"2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00z",
	"2026-01-01t00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00+01:00Z",
	"2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00+01:0", "20261-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "x2026-01-01T00:00:00Z",
	"2026-01-01T00:00:00Z\n", "２026-01-01T00:00:00Z", "2026-01-01T00:00:00.1２Z", "", "Z",
}

// dateTime says what kin-openapi's date-time regexp says.
func TestDateTimeIsTheRegexp(t *testing.T) {
	re := regexp.MustCompile(openapi3.FormatOfStringDateTime)
	for _, s := range dateTimeSeeds {
		if got, want := dateTime(s), re.MatchString(s); got != want {
			t.Errorf("dateTime(%q) = %v, the regexp says %v", s, got, want)
		}
	}
	// While kin-openapi's own validator is registered, the fast check
	// uses dateTime.
	if _, ok := stringFormat("date-time").(dateTimeFormat); !ok {
		t.Errorf("the fast check validates date-time with %T", stringFormat("date-time"))
	}
}

func FuzzDateTime(f *testing.F) {
	for _, s := range dateTimeSeeds {
		f.Add(s)
	}
	re := regexp.MustCompile(openapi3.FormatOfStringDateTime)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := dateTime(s), re.MatchString(s); got != want {
			t.Errorf("dateTime(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}

func BenchmarkDateTime(b *testing.B) {
	for b.Loop() {
		if !dateTime("2026-11-30T09:30:00.123456789Z") {
			b.Fatal("refused")
		}
	}
}
