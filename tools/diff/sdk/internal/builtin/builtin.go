// Package builtin writes and reads the export data of the packages that
// oapi-codegen's templates import, which the SDK check builds into the
// command so that it type-checks a generated client without the go
// command or a Go module: the installed binary compares the clients
// anywhere.
//
// Only the packages' types are kept (not the compiler's inlining data), in
// the format of golang.org/x/tools/go/gcexportdata, one zip entry per
// package: about 140 KB, half of it compressed.
package builtin

import (
	"archive/zip"
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"slices"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Packages are what oapi-codegen's imports template imports (but
// github.com/oapi-codegen/nullable, which only a nullable-type setting
// uses, and kin-openapi, which only an embedded spec does), and what
// their exported declarations name comes with them.
var Packages = []string{
	"bytes", "compress/flate", "context", "encoding/base64", "encoding/json", "encoding/xml",
	"errors", "fmt", "io", "mime", "mime/multipart", "net/http", "net/url", "os", "path",
	"strings", "time",
	"github.com/oapi-codegen/runtime",
	"github.com/oapi-codegen/runtime/types",
	"go.yaml.in/yaml/v3",
}

// Write loads Packages with the go command, from the module at dir, and
// returns their export data as a zip archive.
func Write(dir string) ([]byte, error) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir}, Packages...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int {
		return strings.Compare(a.PkgPath, b.PkgPath)
	})
	var out bytes.Buffer
	z := zip.NewWriter(&out)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("loading %s: %v", p.PkgPath, p.Errors[0])
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.PkgPath, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		// An empty file set leaves out positions, which differ from one
		// Go release to the next and are never shown.
		if err := gcexportdata.Write(w, token.NewFileSet(), p.Types); err != nil {
			return nil, fmt.Errorf("%s: %w", p.PkgPath, err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Read returns the packages of an archive Write wrote, by path. They
// share their dependencies: a type that two of them name is one type.
func Read(archive []byte) (map[string]*types.Package, error) {
	z, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	shared := map[string]*types.Package{}
	out := map[string]*types.Package{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		p, err := gcexportdata.Read(bytes.NewReader(data), fset, shared, f.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = p
	}
	return out, nil
}
