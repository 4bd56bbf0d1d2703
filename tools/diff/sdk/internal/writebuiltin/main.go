// Command writebuiltin writes the export data the SDK check builds in
// (tools/diff/sdk/builtin.zip) from the packages of this module and the
// go command that runs it: go generate ./tools/diff/sdk after a change of
// the Go release or of github.com/oapi-codegen/runtime's version.
package main

import (
	"fmt"
	"os"

	"github.com/charterhq/charter/tools/diff/sdk/internal/builtin"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: writebuiltin FILE")
		os.Exit(2)
	}
	data, err := builtin.Write(".")
	if err == nil {
		err = os.WriteFile(os.Args[1], data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "writebuiltin:", err)
		os.Exit(1)
	}
}
