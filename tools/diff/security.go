package diff

import (
	"slices"
	"sort"
	"strings"
)

// alternative is one security requirement object: every scheme in it is
// needed, with at least the listed scopes.
type alternative map[string][]string

// effectiveSecurity returns the alternatives that apply to an operation: its
// own when declared (an empty list means no security), else the document's.
// No alternatives at all means anyone may call.
func effectiveSecurity(doc *document, op *operation) []alternative {
	if op.declaresSecurity {
		return op.security
	}
	return doc.security
}

// satisfies reports whether a client holding the credentials of have can
// meet requirement need.
func satisfies(have, need alternative) bool {
	for scheme, scopes := range need {
		got, ok := have[scheme]
		if !ok {
			return false
		}
		for _, s := range scopes {
			if !slices.Contains(got, s) {
				return false
			}
		}
	}
	return true
}

// allowed reports whether a client that could call under alternative have
// can still call under alts.
func allowed(have alternative, alts []alternative) bool {
	if len(alts) == 0 {
		return true
	}
	for _, a := range alts {
		if satisfies(have, a) {
			return true
		}
	}
	return false
}

func sameSchemes(a, b alternative) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func formatSecurity(alts []alternative) string {
	if len(alts) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(alts))
	for _, a := range alts {
		names := make([]string, 0, len(a))
		for n, scopes := range a {
			if len(scopes) > 0 {
				n += "[" + strings.Join(scopes, " ") + "]"
			}
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) == 0 {
			names = []string{"{}"}
		}
		parts = append(parts, strings.Join(names, " + "))
	}
	return strings.Join(parts, " | ")
}

func (c *comparer) security(label, ptr string, oop, nop *operation) {
	oldAlts := effectiveSecurity(c.old.doc, oop)
	newAlts := effectiveSecurity(c.new.doc, nop)
	have := oldAlts
	if len(have) == 0 {
		have = []alternative{{}}
	}
	ov, nv := formatSecurity(oldAlts), formatSecurity(newAlts)
	for _, h := range have {
		if allowed(h, newAlts) {
			continue
		}
		rule := RuleSecurityRequirementAdded
		for _, n := range newAlts {
			if sameSchemes(h, n) {
				rule = RuleSecurityScopesAdded
			}
		}
		msg := "security requirement added: " + ov + " became " + nv
		if rule == RuleSecurityScopesAdded {
			msg = "security scopes added: " + ov + " became " + nv
		}
		c.add(label, rule, ptr, ov, nv, msg)
		return
	}
	newHave := newAlts
	if len(newHave) == 0 {
		newHave = []alternative{{}}
	}
	for _, h := range newHave {
		if !allowed(h, oldAlts) {
			c.add(label, RuleSecurityRelaxed, ptr, ov, nv, "security relaxed: "+ov+" became "+nv)
			return
		}
	}
}
