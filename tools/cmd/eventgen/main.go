// Command eventgen generates the Go package of each event contract given
// (api/events/<service>.yaml) into <out>/<service>: events.gen.go and the
// bundled document it embeds, events.json (see package eventgen). make
// generate runs it:
//
//	go run ./tools/cmd/eventgen -out gen/events api/events/*.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charterhq/charter/tools/asyncapi"
	"github.com/charterhq/charter/tools/eventgen"
)

func main() {
	out := flag.String("out", "gen/events", "`directory` the packages are written under, one per contract")
	genModule := flag.String("gen-module", "github.com/charterhq/charter/gen", "import `path` of the packages generated from the HTTP contracts")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: eventgen [-out DIR] CONTRACT.yaml...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		if err := generate(path, *out, *genModule); err != nil {
			fmt.Fprintf(os.Stderr, "eventgen: %v\n", err)
			os.Exit(1)
		}
	}
}

func generate(path, out, genModule string) error {
	doc, err := asyncapi.Load(path)
	if err != nil {
		return err
	}
	service := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	const documentFile = "events.json"
	gen, err := eventgen.Generate(doc, eventgen.Config{
		Package:      service + "events",
		Source:       filepath.ToSlash(path),
		GenModule:    genModule,
		DocumentFile: documentFile,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Join(out, service)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "events.gen.go"), gen.Go, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, documentFile), gen.Document, 0o644)
}
