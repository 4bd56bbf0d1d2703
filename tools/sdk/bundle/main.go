// Command bundle prints a service's spec as the service serves it at
// /openapi.json: one JSON document, with the shared components it refers
// to brought in under their own names (docs.Bundle). The SDK generators
// read it, so that integrators' SDKs are made from the document they can
// download, and make generate needs neither a running server nor services
// that compile against a spec being changed.
//
//	go run ./tools/sdk/bundle api/materials.yaml > materials.json
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/charterhq/charter/services/platform/docs"
	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bundle api/SERVICE.yaml")
		os.Exit(2)
	}
	out, err := bundle(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
	os.Stdout.Write(append(out, '\n'))
}

// bundle loads the spec at path with the files its $refs name, checks it
// and bundles it.
func bundle(path string) ([]byte, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs.Bundle(doc, nil)
}
