package check_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// TestShrunkFailuresReplayOnAFreshServer writes each shrunk failure of a
// run as a replay file and replays it on a fresh server, where the ids
// differ from the run's: with the bug the failure reproduces, without it
// it does not.
func TestShrunkFailuresReplayOnAFreshServer(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	alice := check.Identity{Name: "alice", Tenant: "a", Mint: plantedserver.TenantToken("a")}
	bob := check.Identity{Name: "bob", Tenant: "b", Mint: plantedserver.TenantToken("b")}
	one := []check.Option{check.WithTokenFactory(plantedserver.Token)}
	two := []check.Option{check.WithIdentities(alice, bob)}
	for _, tc := range []struct {
		bug  plantedserver.Bug
		opts []check.Option
	}{
		{plantedserver.UpdateBreaksGet, one},
		{plantedserver.DeletedServed, one},
		{plantedserver.CreatedMissing, one},
		{plantedserver.EdgeServerError, one},
		{plantedserver.ValidRejected, one},
		{plantedserver.UpdateNotStored, one},
		{plantedserver.UpdateClearsTags, one},
		{plantedserver.TenantLeak, two},
		{plantedserver.TenantDeleteLeak, two},
	} {
		t.Run(string(tc.bug), func(t *testing.T) {
			rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)),
				append(tc.opts, check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))...)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Failed() {
				t.Fatal("the run found nothing to replay")
			}
			b, err := json.Marshal(rep.ReplayFile())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "planted:") {
				t.Errorf("the replay file holds a token:\n%s", b)
			}
			var file check.ReplayFile
			if err := json.Unmarshal(b, &file); err != nil {
				t.Fatal(err)
			}
			for _, f := range file.Failures {
				if len(f.Steps) > 1 && !strings.Contains(string(b), `"from":`) {
					t.Errorf("no step takes an id from an earlier response:\n%s", b)
				}
				for name, bug := range map[string]plantedserver.Bug{"with the bug": tc.bug, "without it": plantedserver.NoBug} {
					res, err := check.Replay(doc, check.Handler(plantedserver.New(bug)), f, tc.opts...)
					if err != nil {
						t.Fatal(err)
					}
					if want := bug != plantedserver.NoBug; res.Reproduced != want {
						t.Errorf("%s on %s, %s: reproduced %v, want %v: %s\n%s", f.Check, f.Operation, name, res.Reproduced, want, res.Why, b)
					}
				}
			}
		})
	}
}
