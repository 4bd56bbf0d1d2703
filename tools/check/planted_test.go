package check_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// plantedCase is one planted bug: the check that must catch it, on which
// operation, and what its shrunk reproduction must look like.
type plantedCase struct {
	bug     plantedserver.Bug
	check   string
	op      string
	minimal []string // method and target (and body) of each request, in order
}

var plantedCases = []plantedCase{
	{plantedserver.EdgeServerError, check.NotServerError, "createWidget",
		[]string{`POST /widgets {"name":"!","size":9223372036854775807}`}},
	{plantedserver.UndocumentedStatus, check.StatusDocumented, "listWidgets",
		[]string{"GET /widgets?limit=51"}},
	{plantedserver.MissingField, check.ResponseSchema, "listWidgets",
		[]string{"GET /widgets?limit=1"}},
	{plantedserver.WrongContentType, check.ContentType, "listWidgets",
		[]string{"GET /widgets?name="}},
	{plantedserver.InvalidAccepted, check.InvalidRejected, "createWidget",
		[]string{`POST /widgets {"name":"!aaaaaaaaaaaaaaaaaaaa","size":0}`}},
	{plantedserver.EmptyValueAccepted, check.InvalidRejected, "listWidgets",
		[]string{"GET /widgets?limit="}},
	{plantedserver.EmptyStringRefused, check.ValidAccepted, "listWidgets",
		[]string{"GET /widgets?name="}},
	{plantedserver.ValidRejected, check.ValidAccepted, "createWidget",
		[]string{`POST /widgets {"name":"!","size":0,"weight":50.5}`}},
	{plantedserver.AuthIgnored, check.AuthEnforced, "getWidget",
		[]string{"GET /widgets/1"}},
	{plantedserver.DeletedServed, check.DeleteGone, "deleteWidget",
		[]string{`POST /widgets {"name":"!","size":0}`, "GET /widgets/{id}", "DELETE /widgets/{id}", "GET /widgets/{id}"}},
	{plantedserver.CreatedMissing, check.CreateFetchable, "createWidget",
		[]string{`POST /widgets {"name":"!","size":0}`, "GET /widgets/{id}"}},
	{plantedserver.UpdateBreaksGet, check.ResponseSchema, "getWidget",
		[]string{`POST /widgets {"name":"!","size":0}`, "GET /widgets/{id}", `PUT /widgets/{id} {"name":"!","size":0}`, "GET /widgets/{id}"}},
}

// shape prints a request the way minimal lists it, with the id the server
// chose replaced by {id}.
func shape(r check.Request, id string) string {
	s := r.String()
	if id != "" {
		s = strings.ReplaceAll(s, "/widgets/"+id, "/widgets/{id}")
	}
	return s
}

// plantedSeed pins the seed of the shrinking assertions. rapid draws the
// maximum of a range on purpose now and then, and a case that failed at
// the maximum cannot shrink across to the smallest failing value (a
// weight of 100 stays 100 instead of becoming 50.5); a pinned seed keeps
// the assertion on the exact minimal case stable. Random seeds are
// covered by TestPlantedBugsAreFoundWithAnySeed.
const plantedSeed = 3

// pinnedExamples is how many cases a property draws in the tests that pin
// a seed, a fifth of the default: what they assert (the exact
// reproduction, a replay) does not need more, and finding every bug with
// the default count and any seed is what
// TestPlantedBugsAreFoundWithAnySeed asserts.
const pinnedExamples = 20

func TestPlantedBugsAreFoundAndShrunk(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range plantedCases {
		t.Run(string(tc.bug), func(t *testing.T) {
			rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)), check.WithTokenFactory(plantedserver.Token),
				check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(rep.Failures), 1; got != want {
				for _, f := range rep.Failures {
					t.Log(f)
				}
				t.Fatalf("got %d failures, want %d", got, want)
			}
			f := rep.Failures[0]
			if f.Check != tc.check || f.Operation != tc.op {
				t.Fatalf("got %s on %s, want %s on %s\n%v", f.Check, f.Operation, tc.check, tc.op, f)
			}
			if got := rep.Results[tc.op][tc.check]; got != check.Failed {
				t.Errorf("summary cell is %v, want FAILED", got)
			}
			id := ""
			if len(f.Requests) > 1 {
				id = strings.TrimPrefix(f.Requests[1].Target, "/widgets/")
			}
			var got []string
			for _, r := range f.Requests {
				got = append(got, shape(r, id))
			}
			if strings.Join(got, "\n") != strings.Join(tc.minimal, "\n") {
				t.Errorf("not shrunk to the minimal case (seed %d):\ngot:\n%s\nwant:\n%s", f.Seed, strings.Join(got, "\n"), strings.Join(tc.minimal, "\n"))
			}
			if f.ShrinkLimited {
				t.Errorf("shrinking stopped at its limit after %d requests", f.ShrinkRequests)
			}
			for _, want := range []string{"curl -i -X " + f.Requests[0].Method, "seed", "found after"} {
				if !strings.Contains(f.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, f)
				}
			}
		})
	}
}

// TestPlantedBugsAreFoundWithAnySeed draws a new seed each run. What a
// seed of its own fixes is not known here, so it asserts only what holds
// for every seed: the bug is found, by the right check, and shrinking
// stays within its limit. The exact reproduction is asserted for the
// pinned seed of TestPlantedBugsAreFoundAndShrunk.
func TestPlantedBugsAreFoundWithAnySeed(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	// The case running when the limit is reached runs to its end: a
	// stateful one sends at most two requests for each of its 64 steps.
	const bound = check.DefaultShrinkLimit + 128
	for _, tc := range plantedCases {
		t.Run(string(tc.bug), func(t *testing.T) {
			rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)), check.WithTokenFactory(plantedserver.Token))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Failures) != 1 || rep.Failures[0].Check != tc.check || rep.Failures[0].Operation != tc.op {
				t.Fatalf("seed %d: want one %s failure on %s, got %v", rep.Seed, tc.check, tc.op, rep.Failures)
			}
			if got := rep.Failures[0].ShrinkRequests; got > bound {
				t.Errorf("seed %d: shrinking sent %d requests, more than %d", rep.Seed, got, bound)
			}
		})
	}
}

func TestBugFreeServerPasses(t *testing.T) {
	rep := check.Run(t, plantedserver.Spec, check.Handler(plantedserver.New(plantedserver.NoBug)),
		check.WithTokenFactory(plantedserver.Token))
	for _, op := range rep.Operations {
		for _, c := range []string{check.NotServerError, check.StatusDocumented, check.ResponseSchema,
			check.InvalidRejected, check.ValidAccepted, check.AuthEnforced, check.MethodNotAllowed} {
			if got := rep.Results[op][c]; got != check.Passed {
				t.Errorf("%s %s: %v, want passed", op, c, got)
			}
		}
	}
	for op, c := range map[string]string{"deleteWidget": check.DeleteGone, "createWidget": check.CreateFetchable} {
		if got := rep.Results[op][c]; got != check.Passed {
			t.Errorf("%s %s: %v, want passed", op, c, got)
		}
	}
}

func TestSeedReplaysTheSameFailure(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	run := func() string {
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.DeletedServed)),
			check.WithTokenFactory(plantedserver.Token), check.WithSeed(42), check.WithMaxExamples(pinnedExamples))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 1 {
			t.Fatalf("got %d failures, want 1", len(rep.Failures))
		}
		return deterministic(rep.Failures[0])
	}
	if first, second := run(), run(); first != second {
		t.Errorf("seed 42 did not replay:\n%s\n%s", first, second)
	}
}

// deterministic prints f without the one thing a seed does not fix: how
// long the run took to find it.
func deterministic(f check.Failure) string {
	f.FoundAfter = 0
	return f.String()
}

// TestShrinkingStopsAtItsLimit shrinks a stateful failure that takes
// about 1,800 requests to shrink in full with a limit of 100: shrinking
// stops after the case running at the limit, and the run replays the
// same reproduction, as the limit is a count of requests and not a time.
func TestShrinkingStopsAtItsLimit(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 100
	run := func() check.Failure {
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.UpdateBreaksGet)),
			check.WithTokenFactory(plantedserver.Token), check.WithSeed(plantedSeed), check.WithMaxExamples(pinnedExamples),
			check.WithShrinkLimit(limit))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 1 || rep.Failures[0].Check != check.ResponseSchema {
			t.Fatalf("want one %s failure, got %v", check.ResponseSchema, rep.Failures)
		}
		return rep.Failures[0]
	}
	f := run()
	if !f.ShrinkLimited {
		t.Errorf("shrinking did not stop at its limit: %d requests", f.ShrinkRequests)
	}
	// The case running when the limit is reached runs to its end; a
	// failing sequence of this seed is far shorter than 100 requests.
	if f.ShrinkRequests < limit || f.ShrinkRequests >= 2*limit {
		t.Errorf("shrinking sent %d requests with a limit of %d", f.ShrinkRequests, limit)
	}
	if !strings.Contains(f.String(), "stopped at its limit") {
		t.Errorf("the report does not say shrinking stopped early:\n%s", f)
	}
	if first, again := deterministic(f), deterministic(run()); first != again {
		t.Errorf("seed %d did not replay with a shrink limit:\n%s\n%s", plantedSeed, first, again)
	}
	if _, err := check.Execute(doc, check.Handler(plantedserver.New("")), check.WithShrinkLimit(-1)); err == nil {
		t.Error("a negative shrink limit was accepted")
	}
}

// TestSeedReplaysABrokenRequest replays a failure found by one of the
// properties that break requests on purpose, each of which starts from a
// seed of its own derived from the run's.
func TestSeedReplaysABrokenRequest(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	run := func(seed uint64) (uint64, []string) {
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.InvalidAccepted)),
			check.WithTokenFactory(plantedserver.Token), check.WithSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 1 || rep.Failures[0].Check != check.InvalidRejected {
			t.Fatalf("seed %d: want one %s failure, got %v", rep.Seed, check.InvalidRejected, rep.Failures)
		}
		var reqs []string
		for _, r := range rep.Failures[0].Requests {
			reqs = append(reqs, r.String())
		}
		return rep.Seed, reqs
	}
	seed, first := run(0)
	if _, again := run(seed); !slices.Equal(first, again) {
		t.Errorf("seed %d did not replay:\n%v\n%v", seed, first, again)
	}
}

func TestChecksCanBeSwitchedOff(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.MissingField)),
		check.WithTokenFactory(plantedserver.Token), check.WithoutChecks(check.ResponseSchema), check.WithMaxExamples(20))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Errorf("response_schema is off, yet: %v", rep.Failures)
	}
	if got := rep.Results["listWidgets"][check.ResponseSchema]; got != check.Skipped {
		t.Errorf("response_schema cell is %v, want skipped", got)
	}
	if _, err := check.Execute(doc, check.Handler(plantedserver.New("")), check.WithChecks("no_such_check")); err == nil {
		t.Error("an unknown check name was accepted")
	}
}

// TestLongTextIsTried: the planted createWidget fails on a note over 255
// characters, a string whose schema has no maxLength. Strings without a
// maximum must get that long, and the reproduction shrinks to the first
// length that fails.
func TestLongTextIsTried(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	// The seed is pinned: a note is long in about one case in sixteen
	// of createWidget, so that a seed of its own would miss it now and
	// then; that strings get long whatever the seed is asserted by
	// TestUnboundedStringsGetLong. The stateful run adds nothing here.
	rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.LongTextServerError)),
		check.WithTokenFactory(plantedserver.Token), check.WithSeed(plantedSeed), check.WithoutStateful())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Check != check.NotServerError || rep.Failures[0].Operation != "createWidget" {
		t.Fatalf("seed %d: want one %s failure on createWidget, got %v", rep.Seed, check.NotServerError, rep.Failures)
	}
	f := rep.Failures[0]
	t.Logf("seed %d: found after %d requests, shrunk in %d", rep.Seed, f.FoundAfterRequests, f.ShrinkRequests)
	var body struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(f.Requests[len(f.Requests)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(body.Note); n != 256 {
		t.Errorf("seed %d: the shrunk note has %d characters, want 256: %s", rep.Seed, n, f.Requests[0])
	}
}

// statefulCase is a planted bug that only a sequence shows: what an
// update changed, read back, or a walk through every page of a list. Its
// reproduction depends on what the run made before it (the pages hold
// the widgets of earlier cases), so it is asserted by what the failure
// says and how the reproduction ends.
type statefulCase struct {
	bug   plantedserver.Bug
	check string
	op    string
	// says is in the failure's message; last are the methods of the
	// reproduction's last requests, in order: an update's field left
	// alone needs a read before the update.
	says string
	last []string
}

var statefulCases = []statefulCase{
	{plantedserver.UpdateNotStored, check.UpdatePersisted, "updateWidget", "size: sent ", []string{"PUT", "GET"}},
	{plantedserver.UpdateClearsTags, check.UpdatePersisted, "updateWidget", "tags: not sent, was [", []string{"GET", "PUT", "GET"}},
	{plantedserver.PageSkips, check.PagesComplete, "listWidgets", "walking every page shows", []string{"GET", "GET"}},
	{plantedserver.PagesOverlap, check.PagesComplete, "listWidgets", "and again on page 2", []string{"GET", "GET"}},
}

// TestPlantedStatefulBugs finds each planted bug of a sequence, with the
// pinned seed and with a new one each run, and no other failure.
func TestPlantedStatefulBugs(t *testing.T) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range statefulCases {
		for _, seed := range []uint64{plantedSeed, 0} {
			t.Run(fmt.Sprintf("%s/seed %d", tc.bug, seed), func(t *testing.T) {
				// Shrinking is cut short: what is asserted holds of
				// any failing case, and a full shrink of a sequence
				// costs thousands of requests.
				rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)), check.WithTokenFactory(plantedserver.Token),
					check.WithSeed(seed), check.WithShrinkLimit(500))
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Failures) != 1 || rep.Failures[0].Check != tc.check || rep.Failures[0].Operation != tc.op {
					t.Fatalf("seed %d: want one %s failure on %s, got %v", rep.Seed, tc.check, tc.op, rep.Failures)
				}
				f := rep.Failures[0]
				if !strings.Contains(f.Message, tc.says) {
					t.Errorf("seed %d: the failure does not say %q:\n%s", rep.Seed, tc.says, f)
				}
				if len(f.Requests) < len(tc.last) {
					t.Fatalf("seed %d: %d request(s) reproduce it, want at least %d:\n%s", rep.Seed, len(f.Requests), len(tc.last), f)
				}
				var got []string
				for _, r := range f.Requests[len(f.Requests)-len(tc.last):] {
					got = append(got, r.Method)
				}
				if !slices.Equal(got, tc.last) {
					t.Errorf("seed %d: the reproduction ends %v, want %v:\n%s", rep.Seed, got, tc.last, f)
				}
			})
		}
	}
}

// TestBugFreeServerKeepsUpdatesAndPages: the planted server without a bug
// passes the stateful properties, and the run did check them.
func TestBugFreeServerKeepsUpdatesAndPages(t *testing.T) {
	rep := check.Run(t, plantedserver.Spec, check.Handler(plantedserver.New(plantedserver.NoBug)),
		check.WithTokenFactory(plantedserver.Token))
	for op, c := range map[string]string{"updateWidget": check.UpdatePersisted, "listWidgets": check.PagesComplete} {
		if got := rep.Results[op][c]; got != check.Passed {
			t.Errorf("%s %s: %v, want passed", op, c, got)
		}
	}
}
