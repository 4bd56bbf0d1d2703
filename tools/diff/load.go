package diff

import (
	"context"
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
	"github.com/pb33f/libopenapi/index"
	"gopkg.in/yaml.v3"
)

// Spec is one OpenAPI 3 document, parsed and resolved by libopenapi and
// read into the model the rules compare (model.go).
type Spec struct {
	// Path is the file the spec was read from.
	Path string
	doc  *document
}

// Version returns info.version, empty when the document has none.
func (s *Spec) Version() string {
	if s == nil || s.doc == nil {
		return ""
	}
	return s.doc.version
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
//
// libopenapi parses the document; when a $ref points into another file (or
// is not a plain JSON pointer), it also indexes it with its rolodex, which
// loads the files that $refs point into and reports references that do not
// resolve (refs.go). The document is then read into the model, and nothing
// of libopenapi's is kept: its YAML tree and index are dozens of times the
// size of the model, and a comparison must not hold two of them.
func Parse(path string, data []byte) (*Spec, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := &datamodel.DocumentConfiguration{
		BasePath:            filepath.Dir(abs),
		SpecFilePath:        filepath.Base(abs),
		AllowFileReferences: true,
		Logger:              logger,
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(data, cfg)
	if err != nil {
		return nil, syntaxError(path, data, err)
	}
	info := doc.GetSpecInfo()
	if v := info.SpecFormat; v != datamodel.OAS3 && v != datamodel.OAS31 && v != datamodel.OAS32 {
		return nil, &LoadError{File: path, Err: errors.New("not an OpenAPI 3 document (no openapi: 3.x field)")}
	}
	index := func() *index.Rolodex { return newRolodex(info, abs, logger) }
	r := newReader(path, abs, info.SpecFormat != datamodel.OAS3, info.RootNode, index)
	model := r.document()
	if r.err == nil {
		r.checkRefs()
	}
	if r.err != nil {
		return nil, r.err
	}
	return &Spec{Path: path, doc: model}, nil
}

// newRolodex indexes a parsed document and the files its $refs point into,
// as libopenapi's BuildV3Model does before it builds the model (which is
// not needed here).
func newRolodex(info *datamodel.SpecInfo, abs string, logger *slog.Logger) *index.Rolodex {
	cfg := index.CreateClosedAPIIndexConfig()
	cfg.SpecInfo = info
	cfg.BasePath = filepath.Dir(abs)
	cfg.SpecFilePath = filepath.Base(abs)
	cfg.Logger = logger
	cfg.AllowFileLookup = true
	// The reader never asks for the index's lists of descriptions,
	// enums or inline schema paths.
	cfg.SkipMetadataCollection = true
	// Recursive schemas are legitimate and the reader keeps them as
	// cycles; only references that do not resolve are errors.
	cfg.IgnorePolymorphicCircularReferences = true
	cfg.IgnoreArrayCircularReferences = true
	cfg.AvoidCircularReferenceCheck = true
	rolodex := index.NewRolodex(cfg)
	rolodex.SetRootNode(info.RootNode)
	files, _ := index.NewLocalFSWithConfig(&index.LocalFSConfig{BaseDirectory: cfg.BasePath, IndexConfig: cfg})
	rolodex.AddLocalFS(cfg.BasePath, files)
	_ = rolodex.IndexTheRolodex(context.Background())
	rolodex.CheckForCircularReferences()
	return rolodex
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
