package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestVersionCommandNamesTheModule(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"version"}, noEnv, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "charterd ") || !strings.Contains(out.String(), "module    github.com/charterhq/charter\n") {
		t.Fatalf("charterd version printed:\n%s", out.String())
	}
	if err := run([]string{"version", "extra"}, noEnv, &out, &out); err == nil {
		t.Fatal("no error for an argument version does not take")
	}
}
