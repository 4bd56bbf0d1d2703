package diff

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/index"
	"gopkg.in/yaml.v3"
)

// Spec is one parsed and resolved OpenAPI 3 document.
type Spec struct {
	// Path is the file the spec was read from.
	Path string
	// Model is libopenapi's resolved high-level model.
	Model *v3.Document
}

// Version returns info.version, empty when the document has none.
func (s *Spec) Version() string {
	if s == nil || s.Model == nil || s.Model.Info == nil {
		return ""
	}
	return s.Model.Info.Version
}

// LoadError is returned when a spec cannot be read or parsed. Line is 0 when
// the position is not known.
type LoadError struct {
	File string
	Line int
	Err  error
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Load reads, parses and resolves the spec at path. Relative file $refs are
// resolved from the spec's directory.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	return Parse(path, data)
}

// Parse parses and resolves data read from path; path names the file in
// errors and anchors relative $refs.
func Parse(path string, data []byte) (*Spec, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	cfg := &datamodel.DocumentConfiguration{
		BasePath:                            filepath.Dir(abs),
		SpecFilePath:                        filepath.Base(abs),
		AllowFileReferences:                 true,
		IgnorePolymorphicCircularReferences: true,
		IgnoreArrayCircularReferences:       true,
		// The walk reads the model, never the index's lists of
		// descriptions, enums or inline schema paths.
		SkipMetadataCollection: true,
		Logger:                 slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(data, cfg)
	if err != nil {
		return nil, syntaxError(path, data, err)
	}
	if v := doc.GetSpecInfo().SpecFormat; v != datamodel.OAS3 && v != datamodel.OAS31 && v != datamodel.OAS32 {
		return nil, &LoadError{File: path, Err: errors.New("not an OpenAPI 3 document (no openapi: 3.x field)")}
	}
	model, err := doc.BuildV3Model()
	if model == nil {
		// Without a model the error is fatal (an unresolvable $ref);
		// with one, libopenapi only reports circular references, which
		// the walk handles.
		return nil, &LoadError{File: path, Err: err}
	}
	if err := fatal(err); err != nil {
		return nil, &LoadError{File: path, Line: errorLine(err), Err: err}
	}
	return &Spec{Path: path, Model: &model.Model}, nil
}

// fatal returns the first error of a model build that is not a circular
// reference: an unresolvable $ref would silently hide part of the contract.
func fatal(err error) error {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var re *index.ResolvingError
		if errors.As(e, &re) && re.CircularReference != nil {
			continue
		}
		return e
	}
	return nil
}

// errorLine is the line of the node a resolving error is about, 0 if none.
func errorLine(err error) int {
	var re *index.ResolvingError
	if errors.As(err, &re) && re.Node != nil {
		return re.Node.Line
	}
	return 0
}

// syntaxError explains why a document did not parse. libopenapi's YAML
// errors carry no usable position; yaml.v3's do, so the document is parsed
// again with it, only on this failure path.
func syntaxError(path string, data []byte, err error) error {
	var probe yaml.Node
	if perr := yaml.Unmarshal(data, &probe); perr != nil {
		return &LoadError{File: path, Line: yamlErrorLine(perr), Err: perr}
	}
	return &LoadError{File: path, Err: err}
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine extracts the line number yaml.v3 puts in its messages.
func yamlErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
