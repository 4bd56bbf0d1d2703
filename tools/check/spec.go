package check

import (
	"context"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// LoadSpec parses and validates an OpenAPI document given whole, resolving
// its references so that every schema is reachable through Value. Its
// $refs must stay inside it: a spec that refers to other files, as the
// services' specs refer to api/shared/components.yaml, is loaded with
// LoadSpecFile.
func LoadSpec(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("check: parse spec: %w", err)
	}
	return validated(doc)
}

// LoadSpecFile loads and validates the spec at path, following its $refs
// into other files, which are found relative to the file that names them
// (shared/components.yaml beside api/materials.yaml). Only local files
// are read: a $ref to a URL is an error, so that checking a service never
// fetches anything from the network.
func LoadSpecFile(path string) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = openapi3.ReadFromFile
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("check: parse spec %s: %w", path, err)
	}
	return validated(doc)
}

func validated(doc *openapi3.T) (*openapi3.T, error) {
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("check: invalid spec: %w", err)
	}
	return doc, nil
}
