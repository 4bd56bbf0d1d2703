// Package buildinfo says which source a binary was built from, as the Go
// toolchain recorded it in the binary (runtime/debug.ReadBuildInfo): the
// main module's version and the version control revision. The commands'
// version subcommands print it.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Info is what a binary knows about its own build.
type Info struct {
	// Module is the main module's path.
	Module string
	// Version is the main module's version: a tag, a pseudo-version
	// made of the commit's time and revision (+dirty with uncommitted
	// changes), or "(devel)" where the toolchain did not stamp one.
	Version string
	// Revision and Time are the commit's, empty when the build recorded
	// no version control information: go run, go test, -buildvcs=false,
	// a build outside a repository or in a git worktree (whose .git is a
	// file, where the go command does not look for a repository).
	Revision, Time string
	// Modified reports uncommitted changes in the working tree built.
	Modified bool
	// Go is the toolchain's version.
	Go string
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "(devel)", Go: runtime.Version()}
	}
	return From(bi)
}

// From extracts the Info of bi.
func From(bi *debug.BuildInfo) Info {
	i := Info{Module: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	if i.Version == "" {
		i.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// Format is the text of a version subcommand: the command's name and
// version on the first line, then the module, the revision and the Go
// version, one a line.
func (i Info) Format(command string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", command, i.Version)
	if i.Module != "" {
		fmt.Fprintf(&b, "  module    %s\n", i.Module)
	}
	switch {
	case i.Revision == "":
		fmt.Fprintf(&b, "  revision  unknown: the build recorded none (go run, go test, -buildvcs=false or a git worktree); go build in a clone records it\n")
	default:
		rev := i.Revision
		if i.Time != "" {
			rev += " (committed " + i.Time + ")"
		}
		if i.Modified {
			rev += " with uncommitted changes"
		}
		fmt.Fprintf(&b, "  revision  %s\n", rev)
	}
	fmt.Fprintf(&b, "  go        %s %s/%s\n", i.Go, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
