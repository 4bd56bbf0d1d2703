package story

import (
	"fmt"
	"strings"
)

// Description is what a story says of itself: its steps in order, its
// declared failures and, once wired, what fills each dependency.
type Description struct {
	Name         string
	Steps        []StepDescription
	Failures     []string
	Dependencies []Dependency
}

// StepDescription is one step; Sub is set for a substory.
type StepDescription struct {
	Name string
	Sub  *Description
}

type describer interface {
	Describe() Description
	declared() []error
}

func (s *Story[S]) declared() []error { return s.failures }

// Describe returns the story's description.
func (s *Story[S]) Describe() Description {
	d := Description{Name: s.name, Dependencies: dependencies(s.deps)}
	for _, st := range s.steps {
		sd := StepDescription{Name: st.name}
		if st.sub != nil {
			sub := st.sub.Describe()
			sd.Sub = &sub
		}
		d.Steps = append(d.Steps, sd)
	}
	for _, f := range s.failures {
		d.Failures = append(d.Failures, f.Error())
	}
	return d
}

// String renders the description as an indented outline:
//
//	ListMaterials
//	  start from every material
//	  filter on permissions
//	  ...
//	  fails with: forbidden
//	  uses: Count = .../repositories/memory.(*Materials).Count
func (d Description) String() string {
	var b strings.Builder
	d.write(&b, "")
	return b.String()
}

func (d Description) write(b *strings.Builder, indent string) {
	fmt.Fprintf(b, "%s%s\n", indent, d.Name)
	for _, st := range d.Steps {
		if st.Sub != nil {
			st.Sub.write(b, indent+"  ")
			continue
		}
		fmt.Fprintf(b, "%s  %s\n", indent, st.Name)
	}
	if len(d.Failures) > 0 {
		fmt.Fprintf(b, "%s  fails with: %s\n", indent, strings.Join(d.Failures, ", "))
	}
	for _, dep := range d.Dependencies {
		fmt.Fprintf(b, "%s  uses: %s = %s\n", indent, dep.Field, dep.Implementation)
	}
}
