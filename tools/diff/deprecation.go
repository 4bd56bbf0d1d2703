package diff

import (
	"time"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/orderedmap"
)

// sunsetKey is the extension that dates the removal of a deprecated element.
const sunsetKey = "x-sunset"

// sunset reads x-sunset as a date (2006-01-02) or an RFC 3339 instant.
func sunset(ext *orderedmap.Map[string, *yaml.Node]) (time.Time, string, bool) {
	n, ok := get(ext, sunsetKey)
	if !ok || n == nil {
		return time.Time{}, "", false
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, n.Value); err == nil {
			return t, n.Value, true
		}
	}
	return time.Time{}, n.Value, false
}

// removal records the removal of an element. Removing something deprecated
// whose x-sunset date has passed is what deprecation announced, so it is
// info under its own rule; before the sunset it stays breaking.
func (c *comparer) removal(op, rule, ptr string, deprecated bool, ext *orderedmap.Map[string, *yaml.Node], msg string) {
	c.out = append(c.out, removalFinding(c.now, op, rule, ptr, deprecated, ext, msg))
}

func removalFinding(now time.Time, op, rule, ptr string, deprecated bool, ext *orderedmap.Map[string, *yaml.Node], msg string) Finding {
	if deprecated {
		when, raw, ok := sunset(ext)
		switch {
		case ok && !when.After(now):
			f := newFinding(op, RuleSunsetRemoval, ptr, raw, "", msg+" after its sunset "+raw+" ("+rule+")")
			return f
		case ok:
			msg += " before its sunset " + raw
		default:
			msg += " (deprecated, but without an x-sunset date)"
		}
	}
	return newFinding(op, rule, ptr, "", "", msg)
}

// deprecation records that an element became deprecated, a warning when no
// x-sunset tells clients until when it stays.
func (c *comparer) deprecation(op, ptr string, ext *orderedmap.Map[string, *yaml.Node], what string) {
	c.out = append(c.out, deprecationFinding(op, ptr, ext, what))
}

func deprecationFinding(op, ptr string, ext *orderedmap.Map[string, *yaml.Node], what string) Finding {
	if _, raw, ok := sunset(ext); ok {
		return newFinding(op, RuleDeprecated, ptr, "", raw, what+" deprecated, sunset "+raw)
	}
	return newFinding(op, RuleDeprecatedWithoutSunset, ptr, "", "", what+" deprecated without an x-sunset date")
}
