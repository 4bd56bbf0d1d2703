package contract

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/gen/materials"
)

// bodyChecks compiles the request body schemas of the materials spec.
func bodyChecks(tb testing.TB) map[string]struct {
	schema *openapi3.Schema
	check  *bodyCheck
} {
	tb.Helper()
	spec, err := materials.GetSpec()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]struct {
		schema *openapi3.Schema
		check  *bodyCheck
	}{}
	for _, name := range []string{"NewMaterial", "MaterialUpdate"} {
		s := spec.Components.Schemas[name].Value
		c := compileBody(s)
		if c == nil {
			tb.Fatalf("%s: no compiled check", name)
		}
		out[name] = struct {
			schema *openapi3.Schema
			check  *bodyCheck
		}{s, c}
	}
	return out
}

// kinAccepts is the slow path's verdict.
func kinAccepts(s *openapi3.Schema, data []byte) bool {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return false
	}
	return s.VisitJSON(v, (&Contract{}).bodyOptions()...) == nil
}

var bodySeeds = []string{
	`{"company_id":7,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true}`,
	`{"name":"a","quality":"b","thickness":0.5}`,
	` {"name":"a","quality":"b","thickness":1e2, "is_active":false} `,
	`{"name":"a","quality":"b","thickness":1,"is_active":true}`,
	`{"name":"ä","quality":"ß","thickness":1000,"is_active":true}`,
	`{"name":"a","quality":"b","thickness":1000.0001}`,
	`{"name":"a","quality":"b","thickness":0}`,
	`{"name":"a","quality":"b","thickness":-1}`,
	`{"name":" ","quality":"b","thickness":1}`,
	`{"name":"","quality":"b","thickness":1}`,
	`{"name":"a","quality":"b"}`,
	`{"name":"a","quality":"b","thickness":"1"}`,
	`{"name":"a","quality":"b","thickness":1,"extra":1}`,
	`{"name":"a","name":"b","quality":"b","thickness":1}`,
	`{"name":"a\u0062","quality":"b","thickness":1}`,
	`{"name":"a","quality":"b","thickness":1,"company_id":1.5}`,
	`{"name":"a","quality":"b","thickness":1,"company_id":0}`,
	`{"name":"a","quality":"b","thickness":1,"company_id":9007199254740993}`,
	`{"name":"a","quality":"b","thickness":1,"company_id":null}`,
	`{"name":"a","quality":"b","thickness":1,"is_active":null}`,
	`{"name":"a","quality":"b","thickness":1,"is_active":1}`,
	`{"name":"a","quality":"b","thickness":1}x`,
	`{"name":"a","quality":"b","thickness":1,}`,
	`{"name":"a","quality":"b","thickness":01}`,
	`{"name":"a","quality":"b","thickness":1.}`,
	`{"name":"a","quality":"b","thickness":1e999}`,
	`{"name":"a","quality":"b","thickness":-0}`,
	`{"name":"a\x01","quality":"b","thickness":1}`,
	"{\"name\":\"a\xff\",\"quality\":\"b\",\"thickness\":1}",
	`null`, `[]`, `"x"`, `{}`, ``, `{`,
}

// TestBodyCheckNeverAcceptsWhatKinRefuses holds the compiled check to its
// promise: whatever it accepts, kin-openapi accepts too.
func TestBodyCheckNeverAcceptsWhatKinRefuses(t *testing.T) {
	for name, bc := range bodyChecks(t) {
		accepted := 0
		for _, body := range bodySeeds {
			fast := bc.check.valid([]byte(body))
			if fast && !kinAccepts(bc.schema, []byte(body)) {
				t.Errorf("%s: fast check accepts %q, kin-openapi refuses it", name, body)
			}
			if fast {
				accepted++
			}
		}
		if accepted == 0 {
			t.Errorf("%s: the fast check accepts nothing", name)
		}
	}
	// The common valid bodies take the fast way.
	if !bodyChecks(t)["NewMaterial"].check.valid([]byte(bodySeeds[0])) {
		t.Error("a plain valid create body is not accepted by the fast check")
	}
}

func FuzzBodyCheck(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	checks := bodyChecks(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, bc := range checks {
			if bc.check.valid(body) && !kinAccepts(bc.schema, body) {
				t.Errorf("%s: fast check accepts %q, kin-openapi refuses it", name, body)
			}
		}
	})
}

// BenchmarkBodyCheck is the fast check of a create body; compare with
// BenchmarkBodySteps, the decoding and kin-openapi walk it spares.
func BenchmarkBodyCheck(b *testing.B) {
	c := bodyChecks(b)["NewMaterial"].check
	data := []byte(bodySeeds[0])
	b.ReportAllocs()
	for b.Loop() {
		if !c.valid(data) {
			b.Fatal("refused")
		}
	}
}

func TestHasNonSpaceIsTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`\S`)
	for _, s := range []string{"", " ", "\t\n\f\r ", "\v", "a", " a ", "\u00a0", "\u2003", "ä", " \x85 "} {
		if got, want := hasNonSpace(s), re.MatchString(s); got != want {
			t.Errorf("hasNonSpace(%q) = %v, regexp says %v", s, got, want)
		}
	}
}
