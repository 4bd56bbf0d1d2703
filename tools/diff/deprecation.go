package diff

import (
	"time"
)

// sunsetKey is the extension that dates the removal of a deprecated element.
const sunsetKey = "x-sunset"

// sunset reads the raw x-sunset value as a date (2006-01-02) or an RFC 3339
// instant; ok is false when it is absent or neither.
func sunset(raw string) (time.Time, bool) {
	if raw == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// removal records the removal of an element. Removing something deprecated
// whose x-sunset date has passed is what deprecation announced, so it is
// info under its own rule; before the sunset it stays breaking.
func (c *comparer) removal(op, rule, ptr string, deprecated bool, rawSunset, msg string) {
	c.out = append(c.out, removalFinding(c.now, op, rule, ptr, deprecated, rawSunset, msg))
}

func removalFinding(now time.Time, op, rule, ptr string, deprecated bool, rawSunset, msg string) Finding {
	if deprecated {
		when, ok := sunset(rawSunset)
		switch {
		case ok && !when.After(now):
			f := newFinding(op, RuleSunsetRemoval, ptr, rawSunset, "", msg+" after its sunset "+rawSunset+" ("+rule+")")
			return f
		case ok:
			msg += " before its sunset " + rawSunset
		default:
			msg += " (deprecated, but without an x-sunset date)"
		}
	}
	return newFinding(op, rule, ptr, "", "", msg)
}

// deprecation records that an element became deprecated, a warning when no
// x-sunset tells clients until when it stays.
func (c *comparer) deprecation(op, ptr, rawSunset, what string) {
	c.out = append(c.out, deprecationFinding(op, ptr, rawSunset, what))
}

func deprecationFinding(op, ptr, rawSunset, what string) Finding {
	if _, ok := sunset(rawSunset); ok {
		return newFinding(op, RuleDeprecated, ptr, "", rawSunset, what+" deprecated, sunset "+rawSunset)
	}
	return newFinding(op, RuleDeprecatedWithoutSunset, ptr, "", "", what+" deprecated without an x-sunset date")
}
