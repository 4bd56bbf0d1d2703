package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestVersionCommandNamesTheModule(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"version"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "charter ") || !strings.Contains(out.String(), "module    github.com/charterhq/charter\n") {
		t.Fatalf("charter version printed:\n%s", out.String())
	}
	if code := run([]string{"version", "extra"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d for an argument version does not take, want 2", code)
	}
}
