package main

import (
	"fmt"
	"io"

	"github.com/charterhq/charter/internal/buildinfo"
)

func init() {
	commands["version"] = command{
		summary: "print the version and the source revision this binary was built from",
		run: func(args []string, stdout, stderr io.Writer) int {
			if len(args) > 0 {
				fmt.Fprintln(stderr, "usage: charter version")
				return 2
			}
			fmt.Fprint(stdout, buildinfo.Read().Format("charter"))
			return 0
		},
	}
}
