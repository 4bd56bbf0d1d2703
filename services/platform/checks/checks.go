// Package checks decides which values a service checks against its
// contracts at run time: its responses against its OpenAPI contract
// (services/platform/contract) and the payloads of the events it records
// against its event contract (services/platform/events). One setting,
// CHARTER_RESPONSE_CHECK, says it for both: every value, failing the one
// that breaks the contract, in development and tests; a share of them in
// production, where a check on every write costs more than it finds, each
// violation logged (and, for responses, counted); or none.
package checks

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Mode says which values are checked and what a violation does.
type Mode int

const (
	// Off checks nothing.
	Off Mode = iota
	// Strict checks every value, and a violation fails what produced
	// it (a 500 instead of the response, an error that fails the story
	// recording the event), so that a test through the real stack fails.
	Strict
	// Sampled checks a share of the values (Policy.Rate). A violation is
	// logged, and the value goes on as it was made.
	Sampled
)

// String returns the mode's name, as a log or a flag shows it.
func (m Mode) String() string {
	switch m {
	case Off:
		return "off"
	case Strict:
		return "strict"
	case Sampled:
		return "sampled"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Policy is a Mode with its rate. The zero value checks nothing.
type Policy struct {
	Mode Mode
	// Rate is the share of the values Sampled checks, from 0 (none) to 1
	// (all). The other modes ignore it.
	Rate float64
}

// Parse reads a policy as CHARTER_RESPONSE_CHECK writes it: "strict",
// "off" or "sampled:R" with R from 0 to 1.
func Parse(v string) (Policy, error) {
	switch {
	case v == "strict":
		return Policy{Mode: Strict}, nil
	case v == "off":
		return Policy{Mode: Off}, nil
	case strings.HasPrefix(v, "sampled:"):
		rate, err := strconv.ParseFloat(strings.TrimPrefix(v, "sampled:"), 64)
		p := Policy{Mode: Sampled, Rate: rate}
		if err != nil || p.Validate() != nil {
			return Policy{}, fmt.Errorf("%q: the rate of sampled:R is a number from 0 to 1", v)
		}
		return p, nil
	}
	return Policy{}, fmt.Errorf("%q is not strict, off or sampled:R", v)
}

// String writes p as Parse reads it.
func (p Policy) String() string {
	if p.Mode == Sampled {
		return "sampled:" + strconv.FormatFloat(p.Rate, 'g', -1, 64)
	}
	return p.Mode.String()
}

// Validate reports what makes p no policy: an unknown mode, or a rate
// outside [0, 1] in Sampled mode.
func (p Policy) Validate() error {
	switch p.Mode {
	case Off, Strict:
		return nil
	case Sampled:
		if math.IsNaN(p.Rate) || p.Rate < 0 || p.Rate > 1 {
			return fmt.Errorf("checks: the rate %v is not within [0, 1]", p.Rate)
		}
		return nil
	}
	return fmt.Errorf("checks: unknown mode %d", p.Mode)
}

// None reports whether p checks nothing at all (Off, or Sampled at rate
// 0), so that a check can cost nothing where it is not wanted.
func (p Policy) None() bool {
	return p.Mode == Off || (p.Mode == Sampled && p.Rate <= 0)
}

// Take reports whether the next value is to be checked: every one in
// Strict mode, a share Rate of them drawn at random in Sampled mode, none
// when Off. It is safe for concurrent use and costs a few nanoseconds.
func (p Policy) Take() bool {
	switch p.Mode {
	case Strict:
		return true
	case Sampled:
		return p.Rate >= 1 || (p.Rate > 0 && rand.Float64() < p.Rate)
	}
	return false
}

// Fails reports whether a violation found under p fails what produced
// the value, rather than being reported only.
func (p Policy) Fails() bool { return p.Mode == Strict }
