package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/stories/access"
)

func noEnv(string) string { return "" }

func TestTokenCommandPrintsATokenTheDevelopmentVerifierAccepts(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"token", "--role", "external"}, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewVerifier(auth.DevelopmentConfig())
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("printed token refused: %v", err)
	}
	if !c.Has(access.External) || c.CompanyID != 1 {
		t.Fatalf("caller = %+v, want an external caller of company 1", c)
	}
}

func TestTokenCommandSignsForAnotherCompany(t *testing.T) {
	v, err := auth.NewVerifier(auth.DevelopmentConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"external", "viewer"} {
		var out, errOut bytes.Buffer
		if err := run([]string{"token", "--role", role, "--company", "2"}, noEnv, &out, &errOut); err != nil {
			t.Fatal(err)
		}
		c, err := v.Verify(strings.TrimSpace(out.String()))
		if err != nil {
			t.Fatalf("printed token refused: %v", err)
		}
		if !c.Has(access.External) || c.CompanyID != 2 || c.Subject != "dev-"+role+"-2" {
			t.Fatalf("%s caller = %+v, want an external caller of company 2", role, c)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"token", "--company", "0"}, noEnv, &out, &out); err == nil {
		t.Fatal("no error for company 0")
	}
}

func TestTokenCommandRefusesAnUnknownRole(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"token", "--role", "admin"}, noEnv, &out, &out); err == nil {
		t.Fatal("no error for an unknown role")
	}
}

func TestAuthConfig(t *testing.T) {
	t.Run("without a key and outside development mode the server refuses to start", func(t *testing.T) {
		if _, err := authConfig(noEnv, false); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("the public development secret is refused outside development mode", func(t *testing.T) {
		env := func(k string) string {
			if k == "CHARTER_JWT_HS256_SECRET" {
				return auth.DevelopmentSecret
			}
			return ""
		}
		if _, err := authConfig(env, false); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("development mode falls back to the development key", func(t *testing.T) {
		c, err := authConfig(noEnv, true)
		if err != nil {
			t.Fatal(err)
		}
		if !c.UsesDevelopmentSecret() {
			t.Fatal("development mode does not use the development secret")
		}
	})
}

func TestDescribeNamesEveryStory(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"describe"}, noEnv, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ListMaterials", "GetMaterial", "CreateMaterial", "UpdateMaterial", "DeleteMaterial", "StaffAccess", "CompanyAccess"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("describe does not mention %s", name)
		}
	}
}

// TestDescribeNamesTheStoresRepository checks that describe names the
// repository DATABASE_URL selects, without connecting to it or creating
// its file.
func TestDescribeNamesTheStoresRepository(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		url, kind, repo, not string
	}{
		{"memory", "store: memory", "repositories/memory.(*Materials).Get", "repositories/sqldb"},
		{dir + "/never.db", "store: sqlite", "repositories/sqldb.(*Materials).Get", "repositories/memory"},
		{"postgres://nobody@127.0.0.1:1/none", "store: postgres", "repositories/sqldb.(*Materials).Get", "repositories/memory"},
		// A directory named postgres-data holds a SQLite file.
		{dir + "/postgres-data/app.db", "store: sqlite", "repositories/sqldb.(*Materials).Get", "repositories/memory"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			env := func(k string) string {
				switch k {
				case "DATABASE_URL":
					return tt.url
				case "CHARTER_LOG_FORMAT":
					return "not a format: describe does not log"
				}
				return ""
			}
			var out bytes.Buffer
			if err := run([]string{"describe"}, env, &out, &out); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			if !strings.Contains(s, tt.kind) || !strings.Contains(s, tt.repo) || strings.Contains(s, tt.not) {
				t.Errorf("describe with DATABASE_URL=%s says:\n%s\nwant %q and %q, not %q", tt.url, s, tt.kind, tt.repo, tt.not)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("describe created %v", entries)
	}
}
