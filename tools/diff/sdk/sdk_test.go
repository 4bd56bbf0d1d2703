package sdk

import (
	"strings"
	"testing"
)

func TestRenamedConstantIsIncompatible(t *testing.T) {
	old := "package client\n\ntype Status string\n\nconst (\n\tStatusDraft Status = \"draft\"\n\tStatusActive Status = \"active\"\n)\n"
	renamed := strings.Replace(old, "StatusActive", "StatusEnabled", 1)
	fs, err := CompareSources(old, renamed, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "StatusActive: removed") || fs[0].Rule != "sdk-incompatible" {
		t.Fatalf("want one sdk-incompatible finding for StatusActive, got %+v", fs)
	}
	added := old + "\nconst StatusRetired Status = \"retired\"\n"
	if fs, err := CompareSources(old, added, "."); err != nil || len(fs) != 0 {
		t.Fatalf("a new constant is compatible, got %+v, %v", fs, err)
	}
}

func TestConsequenceSkipsSameSpelling(t *testing.T) {
	for msg, want := range map[string]bool{
		"(*Client).Get: changed from func(A) to func(A)": true,
		"Body: changed from Old to New":                  false,
		"Material: removed":                              false,
	} {
		if got := consequence(msg); got != want {
			t.Errorf("consequence(%q) = %v, want %v", msg, got, want)
		}
	}
}
