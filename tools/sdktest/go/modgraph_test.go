package scenario

import (
	"os/exec"
	"strings"
	"testing"
)

// serverModules are modules of the server that an integrator who requires
// the Go SDK must not get: its router, its validator, its databases.
var serverModules = []string{
	"github.com/go-chi/chi",
	"github.com/getkin/kin-openapi",
	"github.com/jmoiron/sqlx",
	"modernc.org/sqlite",
	"github.com/mattn/go-sqlite3",
	"github.com/jackc/pgx",
}

// TestModuleGraphHoldsNoServerDependency: requiring the SDK brings its
// runtime only. The module graph is what `go mod download` fetches for
// an integrator, whether or not a package is built.
func TestModuleGraphHoldsNoServerDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "all").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, out)
	}
	var modules []string
	for line := range strings.Lines(string(out)) {
		if fields := strings.Fields(line); len(fields) > 0 {
			modules = append(modules, fields[0])
		}
	}
	if len(modules) < 3 {
		t.Fatalf("go list -m all listed %q: too few to be the graph", modules)
	}
	for _, m := range modules {
		for _, server := range serverModules {
			if strings.HasPrefix(m, server) {
				t.Errorf("the module graph of a program that requires the SDK holds %s", m)
			}
		}
	}
	if !strings.Contains(string(out), "github.com/oapi-codegen/runtime") {
		t.Errorf("the module graph holds no github.com/oapi-codegen/runtime: %s", out)
	}
}
