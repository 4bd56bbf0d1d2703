package telemetry_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/story"
)

// withScope gives each request an empty scope, as edge.Root does.
func withScope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(request.NewContext(r.Context(), &request.Scope{ID: "req-1"})))
	})
}

// accept stands in for the contract: it accepts every request of the
// route it is mounted on as the operation op.
func accept(op string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			request.ScopeFrom(r.Context()).Accept(op, nil)
			next.ServeHTTP(w, r)
		})
	}
}

// newAPI returns a handler serving, through the middleware mw:
// GET /materials/{id} as the operation getMaterial, answering 404 for id
// 0, 500 for id 500 and 200 otherwise; GET /healthz outside the contract;
// and chi's 404 for anything else.
func newAPI(mw ...func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(mw...)
	r.With(accept("getMaterial")).Get("/materials/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch chi.URLParam(r, "id") {
		case "0":
			http.Error(w, "not found", http.StatusNotFound)
		case "500":
			http.Error(w, "broken", http.StatusInternalServerError)
		default:
			_, _ = w.Write([]byte(`{"id":1}`))
		}
	})
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return withScope(r)
}

// serve sends a GET of target to h and returns the status.
func serve(t testing.TB, h http.Handler, target string) int {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w.Code
}

// sample is one line of the Prometheus text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var labelPair = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

// scrape asks h for /metrics and returns its samples.
func scrape(t *testing.T, h http.Handler) []sample {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("/metrics answered %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("/metrics Content-Type = %q, want the text format", ct)
	}
	var out []sample
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cut := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[cut+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		s := sample{name: line[:cut], labels: map[string]string{}, value: v}
		if i := strings.IndexByte(line[:cut], '{'); i >= 0 {
			s.name = line[:i]
			for _, m := range labelPair.FindAllStringSubmatch(line[i:cut], -1) {
				s.labels[m[1]] = m[2]
			}
		}
		out = append(out, s)
	}
	return out
}

// find returns the value of the sample named name whose labels include
// labels ("k=v" each), and whether there is one. It fails the test when
// several samples match.
func find(t *testing.T, samples []sample, name string, labels ...string) (float64, bool) {
	t.Helper()
	var found []sample
next:
	for _, s := range samples {
		if s.name != name {
			continue
		}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			if s.labels[k] != v {
				continue next
			}
		}
		found = append(found, s)
	}
	switch len(found) {
	case 0:
		return 0, false
	case 1:
		return found[0].value, true
	}
	t.Fatalf("%d samples of %s match %v: %v", len(found), name, labels, found)
	return 0, false
}

// want fails the test unless the sample named name with labels has value.
func want(t *testing.T, samples []sample, value float64, name string, labels ...string) {
	t.Helper()
	got, ok := find(t, samples, name, labels...)
	if !ok {
		t.Errorf("no sample %s%v", name, labels)
		return
	}
	if got != value {
		t.Errorf("%s%v = %v, want %v", name, labels, got, value)
	}
}

// A story for the tests: "Get material" checks, then loads (failing with
// the state's err), then runs the substory "Find" of one step.
var (
	errNotFound = errors.New("material not found")
	errDatabase = errors.New("database unreachable")
)

type getState struct {
	loadErr error
	find    findState
}

type findState struct{ found bool }

func getStory(t testing.TB) *story.Story[getState] {
	t.Helper()
	find, err := story.New(story.Definition[findState]{Name: "Find", Steps: []story.Step[findState]{
		story.Do("look up", func(_ context.Context, s *findState) error { s.found = true; return nil }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := story.New(story.Definition[getState]{
		Name:     "Get material",
		Failures: []error{errNotFound},
		Steps: []story.Step[getState]{
			story.Do("check", func(context.Context, *getState) error { return nil }),
			story.Do("load", func(_ context.Context, s *getState) error { return s.loadErr }),
			story.Sub(find, func(s *getState) *findState { return &s.find }),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
