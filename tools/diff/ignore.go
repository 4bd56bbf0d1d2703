package diff

import (
	"errors"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// IgnoreEntry accepts one known finding. Every field but Spec is required:
// an ignore without a reason is a silent hole in the gate.
type IgnoreEntry struct {
	// Rule is the rule id of the finding.
	Rule string `yaml:"rule"`
	// Location is the finding's location ("METHOD /path /pointer"), its
	// operation ("METHOD /path") or its pointer.
	Location string `yaml:"location"`
	// Spec limits the entry to one spec file name, e.g. materials.yaml.
	Spec string `yaml:"spec"`
	// Reason is shown next to the ignored finding.
	Reason string `yaml:"reason"`
}

// IgnoreFile is the content of api/.breaking-ignore.yaml.
type IgnoreFile struct {
	Ignore []IgnoreEntry `yaml:"ignore"`
}

// LoadIgnore reads an ignore file; a missing file is an empty one.
func LoadIgnore(path string) (*IgnoreFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &IgnoreFile{}, nil
	}
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	var f IgnoreFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, &LoadError{File: path, Line: yamlErrorLine(err), Err: err}
	}
	for i, e := range f.Ignore {
		var missing string
		switch {
		case e.Rule == "":
			missing = "rule"
		case e.Location == "":
			missing = "location"
		case e.Reason == "":
			missing = "reason"
		}
		if missing != "" {
			return nil, &LoadError{File: path, Err: fmt.Errorf("ignore entry %d has no %s", i+1, missing)}
		}
		if _, ok := RuleSeverity(e.Rule); !ok && e.Rule != RuleSDKIncompatible {
			return nil, &LoadError{File: path, Err: fmt.Errorf("ignore entry %d: unknown rule %q", i+1, e.Rule)}
		}
	}
	return &f, nil
}

// formerRule maps a rule split off another to the one its findings were
// reported under before, so that ignore entries written then still match:
// a changed pattern, const or multipleOf step that neither includes nor is
// included in the old one was request-constraint-narrowed or
// response-constraint-widened.
var formerRule = map[string]string{
	RuleRequestConstraintChanged:  RuleRequestConstraintNarrowed,
	RuleResponseConstraintChanged: RuleResponseConstraintWidened,
}

// Apply marks the findings an entry matches as ignored. They stay in the
// report so that a reviewer sees what is being let through and why.
func (f *IgnoreFile) Apply(spec string, findings []Finding) {
	if f == nil {
		return
	}
	for i := range findings {
		fd := &findings[i]
		for _, e := range f.Ignore {
			if e.Rule != fd.Rule && e.Rule != formerRule[fd.Rule] || (e.Spec != "" && e.Spec != spec) {
				continue
			}
			if e.Location == fd.Location() || e.Location == fd.Operation || e.Location == fd.Pointer {
				fd.Ignored, fd.Reason = true, e.Reason
				break
			}
		}
	}
}
