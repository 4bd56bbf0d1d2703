package sdk

import (
	"go/types"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/exp/apidiff"
)

// The causes SDK findings are grouped under in reports: what in the spec
// made the generated client change.
const (
	CauseOperationNames = "operationIds added or changed: methods, functions and types renamed"
	CauseSchemaNames    = "schemas renamed: types renamed"
	CauseEnumNames      = "enum values or their names changed: constants renamed or removed"
	CausePointers       = "properties made optional or nullable: fields became pointers"
	CauseFieldNames     = "properties renamed for Go only: fields renamed"
	CauseParamsArgument = "an operation's first query, header or cookie parameters added: its methods take a params argument"
	CauseRemoved        = "removed from the spec"
	CauseOther          = "other changes to the generated code"
	CauseMethodsAdded   = "operations added: client interfaces gained methods"
	CauseMoved          = "types moved to a package of their own (import-mapping)"
)

// additions is what apidiff saw added to the new package: top-level names,
// and members by the type they belong to.
type additions struct {
	top     map[string]bool
	members map[string]int
}

func addedIn(changes []apidiff.Change) additions {
	a := additions{top: map[string]bool{}, members: map[string]int{}}
	for _, c := range changes {
		name, ok := strings.CutSuffix(c.Message, ": added")
		if !ok {
			continue
		}
		if recv, _, member := cutMember(name); member {
			a.members[recv]++
		} else {
			a.top[name] = true
		}
	}
	return a
}

// cutMember splits "T.M" or "(*T).M" into T and M.
func cutMember(name string) (recv, member string, ok bool) {
	recv, member, ok = strings.Cut(name, ".")
	return strings.TrimSuffix(strings.TrimPrefix(recv, "(*"), ")"), member, ok
}

// paramsArgument is the params argument of a generated method's
// signature.
var (
	paramsArgument     = regexp.MustCompile(`\*\w+Params, `)
	lastParamsArgument = regexp.MustCompile(`, \*\w+Params\)`)
)

// operationSuffixes end the names of the types oapi-codegen derives from
// an operation's name, which an operationId change renames.
var operationSuffixes = []string{"Response", "Headers", "Params", "RequestBody", "JSONBody", "FormdataBody", "TextBody"}

// classify says why an incompatible change of the client happened and,
// when one exists, which spec change keeps the old Go name or type.
// oapi-codegen names a method and its request, response and params types
// after the operationId (after the method and path when there is none),
// a type after its schema unless x-go-name overrides it, an enum
// constant after its value unless x-enum-varnames does, and a field after
// its property unless x-go-name does; it makes an optional or nullable
// property's field a pointer unless x-go-type-skip-optional-pointer says
// not to.
func classify(msg string, oldPkg *types.Package, added additions) (cause, hint string) {
	name, change, _ := strings.Cut(msg, ": ")
	if from, to, ok := strings.Cut(strings.TrimPrefix(change, "changed from "), " to "); ok && strings.HasPrefix(change, "changed from ") {
		if to == "*"+from {
			return CausePointers, "x-go-type-skip-optional-pointer: true on the property"
		}
		// oapi-codegen passes query, header and cookie parameters in one
		// *XParams argument, which an operation without any has not.
		if lastParamsArgument.ReplaceAllString(paramsArgument.ReplaceAllString(to, ""), ")") == from && to != from {
			return CauseParamsArgument, ""
		}
		// A use of a renamed type: the rename is its own finding.
		if added.top[strings.TrimLeft(to, "*[]")] {
			return renamedType(strings.TrimLeft(from, "*[]")), ""
		}
		return CauseOther, ""
	}
	if change != "removed" {
		return CauseOther, ""
	}
	if recv, member, ok := cutMember(name); ok {
		// apidiff names a method of a pointer's method set
		// "T.M, method set of *U".
		member, _, _ = strings.Cut(member, ",")
		obj, _ := oldPkg.Scope().Lookup(recv).(*types.TypeName)
		switch {
		case obj == nil:
			return CauseOther, ""
		case isStruct(obj) && !isMethod(obj, member):
			if renamed := fieldTag(obj, member); renamed != "" && added.members[recv] > 0 {
				return CauseFieldNames, "x-go-name: " + member + " on the property " + renamed
			}
			return CauseRemoved, ""
		case added.members[recv] > 0:
			return CauseOperationNames, operationIDHint(member)
		}
		return CauseRemoved, ""
	}
	switch obj := oldPkg.Scope().Lookup(name).(type) {
	case *types.Const:
		if anyAdded(added) {
			return CauseEnumNames, "x-enum-varnames on the enum, listing " + name + " for its value"
		}
		return CauseEnumNames, ""
	case *types.Func:
		if anyAdded(added) {
			return CauseOperationNames, ""
		}
	case *types.TypeName:
		if !anyAdded(added) {
			return CauseRemoved, ""
		}
		if cause := renamedType(obj.Name()); cause == CauseOperationNames {
			return cause, ""
		}
		return CauseSchemaNames, "x-go-name: " + name + " on the renamed schema"
	}
	return CauseRemoved, ""
}

// renamedType is the cause of a type's rename: its operation's name, for
// the types oapi-codegen derives from one, else its schema's.
func renamedType(name string) string {
	for _, s := range operationSuffixes {
		if strings.HasSuffix(name, s) {
			return CauseOperationNames
		}
	}
	return CauseSchemaNames
}

func anyAdded(a additions) bool { return len(a.top) > 0 }

func isMethod(tn *types.TypeName, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, tn.Pkg(), name)
	_, ok := obj.(*types.Func)
	return ok
}

func isStruct(tn *types.TypeName) bool {
	_, ok := tn.Type().Underlying().(*types.Struct)
	return ok
}

// fieldTag returns the JSON name of a struct type's field, empty when the
// field has none.
func fieldTag(tn *types.TypeName, field string) string {
	st := tn.Type().Underlying().(*types.Struct)
	for i := range st.NumFields() {
		if st.Field(i).Name() == field {
			name, _, _ := strings.Cut(reflect.StructTag(st.Tag(i)).Get("json"), ",")
			return name
		}
	}
	return ""
}

// operationIDHint names the operationId that gives a client method its
// old name back: ClientInterface.GetPartsPartId and
// ClientWithResponsesInterface.GetPartsPartIdWithResponse both come from
// operationId getPartsPartId.
func operationIDHint(method string) string {
	base := strings.TrimSuffix(method, "WithResponse")
	base = strings.TrimSuffix(base, "WithBody")
	if base == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(base)
	return "operationId: " + string(unicode.ToLower(r)) + base[size:]
}
