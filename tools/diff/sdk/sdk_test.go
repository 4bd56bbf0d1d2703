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

func TestTypeMovedToMappedPackage(t *testing.T) {
	const problem = "type Problem struct {\n\tTitle string `json:\"title\"`\n\tDetail *string `json:\"detail,omitempty\"`\n}\n"
	old := "package client\n\n" + problem + "\ntype NotFound = Problem\n\ntype GetResponse struct {\n\tJSON404 *NotFound\n\tJSON400 *Problem\n}\n\nfunc (r GetResponse) Problem() *Problem { return r.JSON400 }\n"
	moved := "package client\n\nimport shared \"example.com/shared\"\n\ntype NotFound = shared.Problem\n\ntype GetResponse struct {\n\tJSON404 *NotFound\n\tJSON400 *shared.Problem\n}\n\nfunc (r GetResponse) Problem() *shared.Problem { return r.JSON400 }\n"
	tests := []struct {
		name   string
		shared string
		want   []string // rule and pointer of each finding
	}{
		{"unchanged, it is one warning and its uses are not findings", "package shared\n\n" + problem,
			[]string{"sdk-type-moved go:Problem"}},
		{"changed on the way, it is an error", "package shared\n\n" + strings.Replace(problem, "Detail *string", "Detail string", 1),
			[]string{"sdk-incompatible go:Problem"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := compareSides(side{client: old}, side{client: moved, mapped: map[string]string{"example.com/shared": tc.shared}}, ".")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule+" "+f.Pointer)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q, want %q\n%+v", got, tc.want, fs)
			}
		})
	}
}

func TestMappedPackagesAreCompared(t *testing.T) {
	client := "package client\n\nimport shared \"example.com/shared\"\n\ntype GetResponse struct {\n\tJSON400 *shared.Problem\n}\n"
	old := "package shared\n\ntype Problem struct {\n\tTitle string\n\tInstance *string\n}\n"
	new := "package shared\n\ntype Problem struct {\n\tTitle string\n}\n"
	fs, err := compareSides(side{client: client, mapped: map[string]string{"example.com/shared": old}},
		side{client: client, mapped: map[string]string{"example.com/shared": new}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Pointer != "go:shared.Problem.Instance" || !strings.Contains(fs[0].Message, "example.com/shared") {
		t.Fatalf("want one finding for shared.Problem.Instance, got %+v", fs)
	}
}

func TestClassifyChangedSignatures(t *testing.T) {
	for _, tc := range []struct{ msg, cause string }{
		{"(*Client).GetMaterial: changed from func(context.Context, MaterialID, ...RequestEditorFn) (*net/http.Response, error) to func(context.Context, MaterialID, *GetMaterialParams, ...RequestEditorFn) (*net/http.Response, error)", CauseParamsArgument},
		{"NewGetMaterialRequest: changed from func(string, MaterialID) (*net/http.Request, error) to func(string, MaterialID, *GetMaterialParams) (*net/http.Request, error)", CauseParamsArgument},
		{"NewMaterial.IsActive: changed from bool to *bool", CausePointers},
		{"Material.Items: changed from []Item to *[]Item", CausePointers},
		{"Material.Count: changed from int to string", CauseOther},
	} {
		if cause, _ := classify(tc.msg, nil, additions{}); cause != tc.cause {
			t.Errorf("classify(%q) = %q, want %q", tc.msg, cause, tc.cause)
		}
	}
}
