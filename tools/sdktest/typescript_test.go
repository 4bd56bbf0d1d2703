package sdktest

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTypeScriptSDKs runs the integrator scenarios of tools/sdktest/typescript
// with node's test runner against charterd: the SDKs of gen/sdk/typescript
// installed as packages (npm ci copies them, as a registry would serve
// them), their types checked with tsc against the scenarios' use of them.
func TestTypeScriptSDKs(t *testing.T) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, fmt.Sprintf("%s is not installed: the TypeScript SDK scenarios need Node.js and npm (Debian: nodejs npm)", tool))
		}
	}
	dir := filepath.Join(repoRoot(t), "tools", "sdktest", "typescript")
	c := running(t)
	runScenario(t, c, dir, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	runScenario(t, c, dir, filepath.Join("node_modules", ".bin", "tsc"), "-p", ".")
	runScenario(t, c, dir, "node", "--test")
}
