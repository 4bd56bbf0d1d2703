package diff

import (
	"regexp"
	"strings"
)

// Messages are built from a direction ("request", "response"), a subject
// and what changed. A component's subject is a dotted path ("request
// property Part.name"), which reads; an inline body's subject starts with
// the body ("request body", "response 200"), so the same construction
// would say "request request body.PolicySid" and "response property
// response 200.end". wording rewrites those, in one place, as "request
// body property PolicySid" and "response 200 property end".
var (
	// inlineRoot is an inline body's subject followed by a property path.
	inlineRoot = regexp.MustCompile(`(?:property )?((?:callback )?(?:request body|response (?:[1-5][0-9X]{2}|default)(?: header [^ .]+)?))\.`)
	// repeated is a direction followed by a subject that starts with it.
	repeated = regexp.MustCompile(`\b(?:callback request|callback response|request|response) ((?:callback )?(?:request body|response (?:[1-5][0-9X]{2}|default)))`)
)

func wording(msg string) string {
	msg = inlineRoot.ReplaceAllString(msg, "$1 property ")
	return repeated.ReplaceAllStringFunc(msg, func(m string) string {
		sub := repeated.FindStringSubmatch(m)
		dir := strings.TrimSuffix(m, " "+sub[1])
		if strings.HasPrefix(sub[1], dir+" ") {
			return sub[1]
		}
		return m
	})
}
