package sdk

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/charterhq/charter/tools/diff"
	"golang.org/x/exp/apidiff"
)

// clientChanges compares two versions of a client. mapped holds the paths
// of the packages import-mapping gives the clients.
//
// When a spec's components move into a shared file, the client's types
// for them move into the shared file's package: apidiff sees each as
// removed, and every field and method that uses one as changed from
// Problem to shared.Problem. A type that the new client's mapped package
// declares under the same name, with the same definition, has moved: that
// is one sdk-type-moved warning (code that names client.Problem must now
// name shared.Problem, and nothing else changes), and the changes that
// only spell its new place are dropped. A type that moved and changed
// stays an sdk-incompatible error.
func clientChanges(oldPkg, newPkg *types.Package, mapped map[string]bool) []diff.Finding {
	all := apidiff.Changes(oldPkg, newPkg).Changes
	added := addedIn(all)
	changes, out := interfaceAdditions(all, newPkg, "")
	moved := map[string]*types.Package{}
	for _, c := range changes {
		name, ok := strings.CutSuffix(c.Message, ": removed")
		if c.Compatible || !ok || strings.Contains(name, ".") {
			continue
		}
		to, same := movedTo(oldPkg, newPkg, name, mapped)
		if to == nil {
			continue
		}
		moved[name] = to
		if same {
			out = append(out, diff.Finding{
				Rule:     diff.RuleSDKTypeMoved,
				Severity: diff.Warning,
				Pointer:  "go:" + name,
				Cause:    CauseMoved,
				Message:  fmt.Sprintf("generated Go client: %s moved, unchanged, to package %s: code that names it must import that package", name, to.Path()),
			})
		}
	}
	for _, c := range changes {
		if c.Compatible || consequence(c.Message) || consequence(unqualify(c.Message, moved)) {
			continue
		}
		ident, _, _ := strings.Cut(c.Message, ":")
		if to, ok := moved[ident]; ok {
			if _, same := movedTo(oldPkg, newPkg, ident, mapped); same {
				continue // the warning above
			}
			c.Message = fmt.Sprintf("%s: removed, and %s.%s is not the same type", ident, to.Path(), ident)
		}
		cause, hint := classify(c.Message, oldPkg, added)
		out = append(out, diff.Finding{
			Rule:     diff.RuleSDKIncompatible,
			Severity: diff.Error,
			Pointer:  "go:" + ident,
			Message:  "generated Go client: " + c.Message,
			Cause:    cause,
			Hint:     hint,
		})
	}
	return out
}

// packageChanges compares two versions of a package that both clients
// import through import-mapping: a shared type that changes breaks the
// code of every client's users.
func packageChanges(oldPkg, newPkg *types.Package) []diff.Finding {
	all := apidiff.Changes(oldPkg, newPkg).Changes
	added := addedIn(all)
	changes, out := interfaceAdditions(all, newPkg, newPkg.Name()+".")
	for _, c := range changes {
		if c.Compatible || consequence(c.Message) {
			continue
		}
		ident, _, _ := strings.Cut(c.Message, ":")
		cause, hint := classify(c.Message, oldPkg, added)
		out = append(out, diff.Finding{
			Rule:     diff.RuleSDKIncompatible,
			Severity: diff.Error,
			Pointer:  "go:" + newPkg.Name() + "." + ident,
			Message:  "generated Go package " + newPkg.Path() + ": " + c.Message,
			Cause:    cause,
			Hint:     hint,
		})
	}
	return out
}

// movedTo finds the mapped package of the new client that declares name,
// which the old client declared itself, and reports whether the two
// declarations are the same once package names are left out.
func movedTo(oldPkg, newPkg *types.Package, name string, mapped map[string]bool) (*types.Package, bool) {
	before := oldPkg.Scope().Lookup(name)
	if before == nil {
		return nil, false
	}
	for _, imp := range newPkg.Imports() {
		if !mapped[imp.Path()] {
			continue
		}
		after := imp.Scope().Lookup(name)
		if after == nil || !after.Exported() {
			continue
		}
		q := func(p *types.Package) string {
			if p == oldPkg || p == newPkg || mapped[p.Path()] {
				return ""
			}
			return p.Path()
		}
		return imp, definition(before, q) == definition(after, q)
	}
	return nil, false
}

// definition spells what a declaration declares, without its name: an
// alias's target, a defined type's underlying type and methods, any other
// object as go/types prints it.
func definition(obj types.Object, q types.Qualifier) string {
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return strings.TrimPrefix(types.ObjectString(obj, q), obj.Name())
	}
	if tn.IsAlias() {
		return "= " + types.TypeString(types.Unalias(tn.Type()), q)
	}
	var b strings.Builder
	b.WriteString(types.TypeString(tn.Type().Underlying(), q))
	methods := types.NewMethodSet(types.NewPointer(tn.Type()))
	for i := range methods.Len() {
		b.WriteString("; ")
		b.WriteString(types.ObjectString(methods.At(i).Obj(), q))
	}
	return b.String()
}

// unqualify spells the moved types in a change's message as the old
// client did, so that a field that changed only from Problem to
// shared.Problem reads as a consequence of the move.
func unqualify(msg string, moved map[string]*types.Package) string {
	for name, pkg := range moved {
		msg = strings.ReplaceAll(msg, pkg.Path()+"."+name, name)
	}
	return msg
}
