package check_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// stored counts the widgets the planted server holds for the caller
// whose tokens mint makes, through its list.
func stored(t *testing.T, h http.Handler, mint func([]string) string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/widgets?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+mint([]string{"widgets:read"}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var page struct{ Count int }
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("list got %d: %s", rec.Code, rec.Body)
	}
	return page.Count
}

func TestRunDeletesWhatItCreated(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	a, b := plantedserver.TenantToken("a"), plantedserver.TenantToken("b")
	for name, tc := range map[string]struct {
		bug    plantedserver.Bug
		opts   []check.Option
		tokens []func([]string) string
	}{
		"one identity": {plantedserver.NoBug, []check.Option{check.WithTokenFactory(plantedserver.Token)},
			[]func([]string) string{plantedserver.Token}},
		"two tenants": {plantedserver.NoBug, []check.Option{check.WithIdentities(
			check.Identity{Name: "alice", Tenant: "a", Mint: a}, check.Identity{Name: "bob", Tenant: "b", Mint: b})},
			[]func([]string) string{a, b}},
		"a failing run": {plantedserver.UpdateBreaksGet, []check.Option{check.WithTokenFactory(plantedserver.Token)},
			[]func([]string) string{plantedserver.Token}},
	} {
		t.Run(name, func(t *testing.T) {
			srv := plantedserver.New(tc.bug)
			rep, err := check.Execute(doc, check.Handler(srv), append(tc.opts, check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created == 0 {
				t.Fatal("the run created nothing")
			}
			if len(rep.Leftovers) != 0 {
				t.Errorf("leftovers: %v", rep.Leftovers)
			}
			for _, mint := range tc.tokens {
				if got := stored(t, srv, mint); got != 0 {
					t.Errorf("the server holds %d widget(s) after the run, want 0", got)
				}
			}
			var sum strings.Builder
			rep.Summary(&sum)
			if !strings.Contains(sum.String(), "deleted the ") {
				t.Errorf("summary does not say it cleaned up:\n%s", sum.String())
			}
		})
	}
}

func TestRunReportsWhatItCouldNotDelete(t *testing.T) {
	t.Run("no delete operation", func(t *testing.T) {
		doc, err := check.LoadSpec(plantedserver.Spec)
		if err != nil {
			t.Fatal(err)
		}
		doc.Paths.Value("/widgets/{widget_id}").Delete = nil
		srv := plantedserver.New(plantedserver.NoBug)
		rep, err := check.Execute(doc, check.Handler(srv), check.WithTokenFactory(plantedserver.Token),
			check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples), check.WithChecks(check.NotServerError))
		if err != nil {
			t.Fatal(err)
		}
		left := stored(t, srv, plantedserver.Token)
		if left == 0 || len(rep.Leftovers) != left {
			t.Fatalf("the server holds %d widget(s), the report lists %d leftover(s)", left, len(rep.Leftovers))
		}
		var sum strings.Builder
		rep.Summary(&sum)
		for _, want := range []string{"left ", " resource(s) it could not delete: /widgets/", "no delete operation"} {
			if !strings.Contains(sum.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, sum.String())
			}
		}
	})
	t.Run("a delete that keeps the resource", func(t *testing.T) {
		doc, err := check.LoadSpec(plantedserver.Spec)
		if err != nil {
			t.Fatal(err)
		}
		srv := plantedserver.New(plantedserver.DeletedServed)
		rep, err := check.Execute(doc, check.Handler(srv), check.WithTokenFactory(plantedserver.Token),
			check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))
		if err != nil {
			t.Fatal(err)
		}
		if left := stored(t, srv, plantedserver.Token); left == 0 || len(rep.Leftovers) != left {
			t.Fatalf("the server holds %d widget(s), the report lists %d leftover(s)", left, len(rep.Leftovers))
		}
		if !strings.Contains(rep.Leftovers[0].Why, "still served") {
			t.Errorf("leftover says %q", rep.Leftovers[0].Why)
		}
	})
}
