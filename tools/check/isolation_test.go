package check_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// tenants are two identities of different tenants of the planted server.
var tenants = check.WithIdentities(
	check.Identity{Name: "alice", Tenant: "a", Mint: plantedserver.TenantToken("a")},
	check.Identity{Name: "bob", Tenant: "b", Mint: plantedserver.TenantToken("b")},
)

// TestTenantLeakIsFoundAndShrunk plants a getWidget that finds a widget by
// its id alone: the other tenant's GET, right after the create, is the
// whole reproduction, and the report names tokens only by variable.
func TestTenantLeakIsFoundAndShrunk(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	run := func() check.Failure {
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.TenantLeak)), tenants,
			check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 1 || rep.Failures[0].Check != check.TenantIsolated || rep.Failures[0].Operation != "getWidget" {
			t.Fatalf("want one %s failure on getWidget, got %v", check.TenantIsolated, rep.Failures)
		}
		if got := rep.Results["getWidget"][check.TenantIsolated]; got != check.Failed {
			t.Errorf("summary cell is %v, want FAILED", got)
		}
		return rep.Failures[0]
	}
	f := run()
	id := strings.TrimPrefix(f.Requests[len(f.Requests)-1].Target, "/widgets/")
	var got []string
	for _, r := range f.Requests {
		got = append(got, r.Credential+" "+shape(r, id))
	}
	want := []string{
		`Bearer $TOKEN_ALICE POST /widgets {"name":"!","size":0}`,
		"Bearer $TOKEN_ALICE GET /widgets/{id}",
		"Bearer $TOKEN_BOB GET /widgets/{id}",
	}
	if !slices.Equal(got, want) {
		t.Errorf("not shrunk to the minimal case (seed %d):\ngot:\n%s\nwant:\n%s", f.Seed, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := f.String(); strings.Contains(s, "planted:") || !strings.Contains(s, `-H "Authorization: Bearer $TOKEN_BOB"`) {
		t.Errorf("the report shows a token, or not its variable:\n%s", s)
	}
	again := run()
	if !slices.EqualFunc(f.Requests, again.Requests, func(a, b check.Request) bool {
		return a.String() == b.String() && a.Credential == b.Credential
	}) {
		t.Errorf("seed %d did not replay:\n%v\n%v", plantedSeed, f.Requests, again.Requests)
	}
}

// TestIsolatedTenantsPass runs two tenants against the bug-free server:
// every probe of the other tenant's widget is answered 404.
func TestIsolatedTenantsPass(t *testing.T) {
	rep := check.Run(t, plantedserver.Spec, check.Handler(plantedserver.New(plantedserver.NoBug)), tenants,
		check.WithMaxExamples(pinnedExamples))
	for _, op := range []string{"listWidgets", "getWidget", "updateWidget", "deleteWidget"} {
		if got := rep.Results[op][check.TenantIsolated]; got != check.Passed {
			t.Errorf("%s %s: %v, want passed", op, check.TenantIsolated, got)
		}
	}
}

// TestIsolationNeedsTwoTenants leaves tenant_isolation skipped when every
// identity is of one tenant.
func TestIsolationNeedsTwoTenants(t *testing.T) {
	rep := check.Run(t, plantedserver.Spec, check.Handler(plantedserver.New(plantedserver.TenantLeak)),
		check.WithIdentities(
			check.Identity{Name: "alice", Tenant: "a", Mint: plantedserver.TenantToken("a")},
			check.Identity{Name: "carol", Tenant: "a", Mint: plantedserver.TenantToken("a")},
		), check.WithMaxExamples(pinnedExamples))
	if got := rep.Results["getWidget"][check.TenantIsolated]; got != check.Skipped {
		t.Errorf("tenant_isolation is %v with one tenant, want skipped", got)
	}
}

func TestIdentitiesAreChecked(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string][]check.Identity{
		"unnamed among several": {{Token: "x"}, {Name: "b", Token: "y"}},
		"twice":                 {{Name: "a", Token: "x"}, {Name: "A", Token: "y"}},
		"without a token":       {{Name: "a"}},
		"a name for no shell":   {{Name: "a b", Token: "x"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := check.Execute(doc, check.Handler(plantedserver.New("")), check.WithIdentities(ids...)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestTenantLeakIsFoundWithAnySeed asserts what holds for every seed: the
// leak is found, by tenant_isolation, on getWidget.
func TestTenantLeakIsFoundWithAnySeed(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.TenantLeak)), tenants)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Check != check.TenantIsolated || rep.Failures[0].Operation != "getWidget" {
		t.Fatalf("seed %d: want one %s failure on getWidget, got %v", rep.Seed, check.TenantIsolated, rep.Failures)
	}
}

// A run as two tenants finds a getWidget that serves one tenant's widget
// to the other; the curl commands name each identity's token by variable.
func ExampleWithIdentities() {
	doc, _ := check.LoadSpec(plantedserver.Spec)
	rep, _ := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.TenantLeak)),
		check.WithIdentities(
			check.Identity{Name: "alice", Tenant: "a", Mint: plantedserver.TenantToken("a")},
			check.Identity{Name: "bob", Tenant: "b", Mint: plantedserver.TenantToken("b")},
		),
		check.WithSeed(1), check.WithMaxExamples(20))
	f := rep.Failures[0]
	fmt.Println(f.Check, "on", f.Operation)
	for _, r := range f.Requests {
		fmt.Println(r.Method, r.Credential)
	}
	// Output:
	// tenant_isolation on getWidget
	// POST Bearer $TOKEN_ALICE
	// GET Bearer $TOKEN_ALICE
	// GET Bearer $TOKEN_BOB
}

// TestEveryKindOfTenantLeakIsFound plants a leak through a read and one
// through a write; the other tenant's request that shows it comes last in
// the reproduction.
//
// A list that leaks is not planted: the probe reads the list's first
// page, and the planted server pages in the order of ids, so once the
// run's earlier cases have filled a page the new widget is on a later
// one and the leak stops showing, which leaves shrinking nothing steady
// to shrink.
func TestEveryKindOfTenantLeakIsFound(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bug  plantedserver.Bug
		op   string
		last string
	}{
		{plantedserver.TenantLeak, "getWidget", "GET"},
		{plantedserver.TenantDeleteLeak, "deleteWidget", "DELETE"},
	} {
		t.Run(string(tc.bug), func(t *testing.T) {
			rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)), tenants,
				check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Failures) != 1 || rep.Failures[0].Check != check.TenantIsolated || rep.Failures[0].Operation != tc.op {
				t.Fatalf("want one %s failure on %s, got %v", check.TenantIsolated, tc.op, rep.Failures)
			}
			f := rep.Failures[0]
			first, last := f.Requests[0], f.Requests[len(f.Requests)-1]
			if first.Method != "POST" || first.Credential != "Bearer $TOKEN_ALICE" || last.Method != tc.last || last.Credential != "Bearer $TOKEN_BOB" {
				t.Errorf("want alice's create first and bob's %s last:\n%s", tc.last, f)
			}
		})
	}
}
