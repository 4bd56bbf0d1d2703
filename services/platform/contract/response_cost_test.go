package contract_test

import (
	"bytes"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/charterhq/charter/services/platform/contract"
)

// handlerMark is a comparable handler, to tell whether middleware
// returned it as is.
type handlerMark struct{}

func (*handlerMark) ServeHTTP(http.ResponseWriter, *http.Request) {}

func TestValidateResponsesAddsNothingWhenNothingIsChecked(t *testing.T) {
	c, err := contract.New(loadThings(t), contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, check := range map[string]contract.ResponseCheck{
		"Off":                  {},
		"Off with a callback":  {Mode: contract.Off, OnViolation: func(string, error) {}},
		"Sampled at rate zero": {Mode: contract.Sampled, Rate: 0},
	} {
		t.Run(name, func(t *testing.T) {
			next := &handlerMark{}
			if got := c.ValidateResponses(check)(next); got != http.Handler(next) {
				t.Errorf("got %T, want next itself", got)
			}
		})
	}
}

// An unsampled request reaches the handler with the server's own writer:
// nothing is wrapped, so nothing is buffered.
func TestUnsampledResponseIsNotWrapped(t *testing.T) {
	var wrapped bool
	var outer http.ResponseWriter
	inner := func(w http.ResponseWriter, r *http.Request) {
		wrapped = w != outer
		writeJSON(200, thing)(w, r)
	}
	// The smallest rate above zero: a request is sampled with a chance of
	// one in 2^53.
	h, _ := things(t, discardLogger(), contract.ResponseCheck{Mode: contract.Sampled, Rate: math.SmallestNonzeroFloat64}, false, inner)
	for range 100 {
		w := httptest.NewRecorder()
		outer = w
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/things/1", nil))
		if wrapped {
			t.Fatal("an unsampled response went through a wrapped writer")
		}
	}
}

func TestValidateResponsesRefusesAnInvalidCheck(t *testing.T) {
	c, err := contract.New(loadThings(t), contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, check := range map[string]contract.ResponseCheck{
		"rate above one":   {Mode: contract.Sampled, Rate: 1.5},
		"negative rate":    {Mode: contract.Sampled, Rate: -0.1},
		"rate not a value": {Mode: contract.Sampled, Rate: math.NaN()},
		"unknown mode":     {Mode: contract.ResponseMode(9)},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("ValidateResponses accepted it")
				}
			}()
			c.ValidateResponses(check)
		})
	}
}

// A response bigger than the limit goes out as written, unchecked, with a
// debug log; it is not a violation even when it breaks the contract.
func TestBigResponsePassesUnchecked(t *testing.T) {
	big := `{"id":1,"padding":"` + strings.Repeat("x", 200) + `"}` // no name
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"announced by its length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			writeJSON(200, big)(w, r)
		}},
		{"in one write", writeJSON(200, big)},
		{"in small writes", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for i := 0; i < len(big); i += 10 {
				_, _ = w.Write([]byte(big[i:min(i+10, len(big))]))
			}
		}},
	}
	for _, mode := range []contract.ResponseMode{contract.Strict, contract.Sampled} {
		for _, tt := range tests {
			t.Run(mode.String()+"/"+tt.name, func(t *testing.T) {
				var logs bytes.Buffer
				logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				var got violations
				h, c := things(t, logger, contract.ResponseCheck{Mode: mode, Rate: 1, MaxBody: 64, OnViolation: got.record}, false, tt.handler)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/things/1", nil))
				if w.Code != 200 || w.Body.String() != big {
					t.Fatalf("got %d %q, want 200 and the body as written", w.Code, w.Body)
				}
				if len(got.ops) != 0 || c.ResponseViolations() != 0 {
					t.Errorf("a response over the limit was checked: %q", got.err)
				}
				if !strings.Contains(logs.String(), `"level":"DEBUG","msg":"response not checked against the contract: body over the limit"`) {
					t.Errorf("no debug log of the skipped check: %s", logs.String())
				}
			})
		}
	}
}

// A handler that flushes in Strict mode streams as it would without the
// check: what it wrote goes out at the flush, and the rest of the response
// is still checked, a violation then reported without replacing it.
func TestFlushStreamsAndIsStillChecked(t *testing.T) {
	stream := func(parts ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for _, p := range parts {
				_, _ = w.Write([]byte(p))
				if err := http.NewResponseController(w).Flush(); err != nil {
					t.Errorf("flush: %v", err)
				}
			}
		}
	}
	tests := []struct {
		name      string
		parts     []string
		violation bool
	}{
		{"a response that keeps the contract", []string{`{"id":1,`, `"name":"spanner"}`}, false},
		{"a response that breaks it after the flush", []string{`{"id":1`, `}`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			var got violations
			h, _ := things(t, slog.New(slog.NewJSONHandler(&logs, nil)), contract.ResponseCheck{Mode: contract.Strict, OnViolation: got.record}, false, stream(tt.parts...))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/things/1", nil))
			if !w.Flushed {
				t.Error("the flush did not reach the server's writer")
			}
			if want := strings.Join(tt.parts, ""); w.Code != 200 || w.Body.String() != want {
				t.Fatalf("got %d %q, want 200 %q", w.Code, w.Body, want)
			}
			if reported := len(got.ops) == 1; reported != tt.violation {
				t.Fatalf("reported %v, want %v", got.err, tt.violation)
			}
			if tt.violation && !strings.Contains(logs.String(), `"replaced":false`) {
				t.Errorf("the log does not say the response went out: %s", logs.String())
			}
		})
	}
}

// A 5xx answer that breaks the contract is reported, but Strict does not
// replace one internal error with another: the client keeps the original
// detail, and its request ID leads to the original error's log.
func TestInternalErrorIsReportedNotReplaced(t *testing.T) {
	var got violations
	h, _ := things(t, discardLogger(), contract.ResponseCheck{Mode: contract.Strict, OnViolation: got.record}, false, writeProblem(http.StatusServiceUnavailable))
	w := httptest.NewRecorder()
	// deleteThing documents only its 204.
	h.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/things/1", nil))
	p := assertProblem(t, w, http.StatusServiceUnavailable)
	if p.Detail != "As the handler says." {
		t.Errorf("detail = %q, want the handler's", p.Detail)
	}
	if len(got.ops) != 1 || got.ops[0] != "deleteThing" {
		t.Errorf("reported %q, want deleteThing's violation", got.ops)
	}
}
