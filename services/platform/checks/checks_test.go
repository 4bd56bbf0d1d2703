package checks_test

import (
	"math"
	"testing"

	"github.com/charterhq/charter/services/platform/checks"
)

func TestParseReadsWhatStringWrites(t *testing.T) {
	for _, v := range []string{"strict", "off", "sampled:0.01", "sampled:0", "sampled:1"} {
		p, err := checks.Parse(v)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if p.String() != v {
			t.Errorf("Parse(%q).String() = %q", v, p.String())
		}
	}
	for _, v := range []string{"", "Strict", "sampled", "sampled:", "sampled:2", "sampled:-0.1", "sampled:NaN", "on"} {
		if p, err := checks.Parse(v); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", v, p)
		}
	}
}

func TestValidateRefusesWhatNoPolicyIs(t *testing.T) {
	for _, p := range []checks.Policy{{Mode: checks.Sampled, Rate: 1.5}, {Mode: checks.Sampled, Rate: math.NaN()}, {Mode: checks.Mode(9)}} {
		if p.Validate() == nil {
			t.Errorf("%+v is valid", p)
		}
	}
}

// Take decides for responses and event payloads alike: every one, some
// or none.
func TestTakeChecksEveryOneSomeOrNone(t *testing.T) {
	const draws = 10000
	count := func(p checks.Policy) int {
		n := 0
		for range draws {
			if p.Take() {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		p        checks.Policy
		min, max int
		none     bool
	}{
		{checks.Policy{Mode: checks.Strict}, draws, draws, false},
		{checks.Policy{Mode: checks.Off}, 0, 0, true},
		{checks.Policy{Mode: checks.Sampled, Rate: 0}, 0, 0, true},
		{checks.Policy{Mode: checks.Sampled, Rate: 1}, draws, draws, false},
		// Bounds the odds put beyond any run: 0.5 of 10000 is 5000 ± 50.
		{checks.Policy{Mode: checks.Sampled, Rate: 0.5}, 4000, 6000, false},
	} {
		if n := count(tc.p); n < tc.min || n > tc.max {
			t.Errorf("%v took %d of %d, want %d to %d", tc.p, n, draws, tc.min, tc.max)
		}
		if tc.p.None() != tc.none {
			t.Errorf("%v.None() = %v", tc.p, !tc.none)
		}
		if tc.p.Fails() != (tc.p.Mode == checks.Strict) {
			t.Errorf("%v.Fails() = %v", tc.p, tc.p.Fails())
		}
	}
}
