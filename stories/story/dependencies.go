package story

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
)

// CheckDependencies returns an error that names every unset field of deps,
// a struct or a pointer to one, among the fields that can be unset: funcs,
// interfaces, pointers, maps, slices and channels. A nil deps has nothing
// to check.
func CheckDependencies(deps any) error {
	if deps == nil {
		return nil
	}
	v := reflect.ValueOf(deps)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return errors.New("dependencies are nil")
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fmt.Errorf("dependencies must be a struct, not %s", v.Kind())
	}
	var missing []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Func, reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan:
			if f.IsNil() {
				missing = append(missing, v.Type().Field(i).Name)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing dependencies: %s", strings.Join(missing, ", "))
	}
	return nil
}

// Dependency is one injected part of a wired story.
type Dependency struct {
	// Field is the name of the dependency in the story's struct.
	Field string
	// Implementation names what fills it: a function or method with its
	// package path, or a type.
	Implementation string
}

func dependencies(deps any) []Dependency {
	if deps == nil {
		return nil
	}
	v := reflect.ValueOf(deps)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []Dependency
	for i := 0; i < v.NumField(); i++ {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		out = append(out, Dependency{Field: v.Type().Field(i).Name, Implementation: implementation(v.Field(i))})
	}
	return out
}

// implementation names the value that fills a dependency.
func implementation(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Func:
		if v.IsNil() {
			return "<nil>"
		}
		fn := runtime.FuncForPC(v.Pointer())
		if fn == nil {
			return v.Type().String()
		}
		// Method values are named "pkg.(*T).M-fm"; the suffix says nothing.
		return strings.TrimSuffix(fn.Name(), "-fm")
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return "<nil>"
		}
		if v.Kind() == reflect.Interface {
			v = v.Elem()
		}
		t := v.Type()
		name := t.String()
		if t.Kind() == reflect.Pointer && t.Elem().PkgPath() != "" {
			name = "*" + t.Elem().PkgPath() + "." + t.Elem().Name()
		} else if t.PkgPath() != "" {
			name = t.PkgPath() + "." + t.Name()
		}
		return name
	default:
		return fmt.Sprintf("%v", v.Interface())
	}
}
