package sdk

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/charterhq/charter/tools/diff"
	"golang.org/x/exp/apidiff"
)

// maxListed is how many added methods an interface finding names.
const maxListed = 5

// interfaceAdditions takes out of changes the methods added to an
// interface of the new package, and reports them as one info finding per
// interface. apidiff counts a method added to an interface as
// incompatible because a type outside the package that implemented the
// old interface no longer does; the generated ClientInterface and
// ClientWithResponsesInterface gain a method for every new operation, and
// code that calls the client is not affected. Only a hand-written fake or
// wrapper that implements them has methods to add, which the finding says.
func interfaceAdditions(changes []apidiff.Change, newPkg *types.Package, prefix string) (rest []apidiff.Change, out []diff.Finding) {
	added := map[string][]string{}
	var order []string
	for _, c := range changes {
		name, ok := strings.CutSuffix(c.Message, ": added")
		iface, method, dotted := strings.Cut(name, ".")
		if c.Compatible || !ok || !dotted || strings.Contains(method, ".") || !isInterface(newPkg, iface) {
			rest = append(rest, c)
			continue
		}
		if _, seen := added[iface]; !seen {
			order = append(order, iface)
		}
		added[iface] = append(added[iface], method)
	}
	for _, iface := range order {
		methods := added[iface]
		listed := strings.Join(methods[:min(len(methods), maxListed)], ", ")
		if len(methods) > maxListed {
			listed += fmt.Sprintf(" and %d more", len(methods)-maxListed)
		}
		out = append(out, diff.Finding{
			Rule:     diff.RuleSDKInterfaceMethodAdded,
			Severity: diff.Info,
			Pointer:  "go:" + prefix + iface,
			Cause:    CauseMethodsAdded,
			Message: fmt.Sprintf("generated Go client: %s has %s (%s): code that calls the client is unaffected; "+
				"a type written to implement %s, such as a fake, must add them", iface, methodCount(len(methods)), listed, iface),
		})
	}
	return rest, out
}

func methodCount(n int) string {
	if n == 1 {
		return "1 new method"
	}
	return fmt.Sprintf("%d new methods", n)
}

// isInterface reports whether pkg declares name as an interface type.
func isInterface(pkg *types.Package, name string) bool {
	tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		return false
	}
	_, ok = tn.Type().Underlying().(*types.Interface)
	return ok
}
