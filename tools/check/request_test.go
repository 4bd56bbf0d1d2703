package check

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestParametersFollowTheirStyle(t *testing.T) {
	f, tr := false, true
	arr := []any{int64(3), int64(4)}
	obj := map[string]any{"r": int64(1), "g": int64(2)}
	tests := []struct {
		name  string
		param openapi3.Parameter
		value any
		want  string
	}{
		{"path simple", openapi3.Parameter{Name: "id", In: "path"}, arr, "/x/3,4"},
		{"path label", openapi3.Parameter{Name: "id", In: "path", Style: "label"}, arr, "/x/.3,4"},
		{"path label exploded", openapi3.Parameter{Name: "id", In: "path", Style: "label", Explode: &tr}, arr, "/x/.3.4"},
		{"path matrix", openapi3.Parameter{Name: "id", In: "path", Style: "matrix"}, int64(5), "/x/;id=5"},
		{"path matrix exploded", openapi3.Parameter{Name: "id", In: "path", Style: "matrix", Explode: &tr}, arr, "/x/;id=3;id=4"},
		{"path escaped", openapi3.Parameter{Name: "id", In: "path"}, "a b/c", "/x/a%20b%2Fc"},
		{"query form exploded", openapi3.Parameter{Name: "q", In: "query"}, arr, "/x/?q=3&q=4"},
		{"query form", openapi3.Parameter{Name: "q", In: "query", Explode: &f}, arr, "/x/?q=3%2C4"},
		{"query space delimited", openapi3.Parameter{Name: "q", In: "query", Style: "spaceDelimited", Explode: &f}, arr, "/x/?q=3+4"},
		{"query pipe delimited", openapi3.Parameter{Name: "q", In: "query", Style: "pipeDelimited", Explode: &f}, arr, "/x/?q=3%7C4"},
		{"query deep object", openapi3.Parameter{Name: "c", In: "query", Style: "deepObject"}, obj, "/x/?c%5Bg%5D=2&c%5Br%5D=1"},
		{"query object exploded", openapi3.Parameter{Name: "c", In: "query"}, obj, "/x/?g=2&r=1"},
		{"query empty string", openapi3.Parameter{Name: "q", In: "query"}, "", "/x/?q="},
		{"header simple", openapi3.Parameter{Name: "X-Ids", In: "header"}, arr, "/x/ X-Ids: 3,4"},
		{"header object exploded", openapi3.Parameter{Name: "X-C", In: "header", Explode: &tr}, obj, "/x/ X-C: g=2,r=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.param
			path := "/x/"
			if p.In == "path" {
				path = "/x/{id}"
			}
			o := &operation{id: "op", method: "GET", path: path, params: []*openapi3.Parameter{&p}}
			v := newValues()
			v.at(p.In)[p.Name] = tc.value
			r := o.build(v, credential{})
			got := r.Target
			for n, vs := range r.Header {
				got += " " + n + ": " + strings.Join(vs, ",")
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCurlQuotesForTheShell(t *testing.T) {
	r := Request{Method: "POST", Target: "/m?q=it's", Body: []byte(`{"name":"it's"}`),
		Header: map[string][]string{"Content-Type": {"application/json"}}}
	want := `curl -i -X POST -H 'Content-Type: application/json' --data-binary '{"name":"it'\''s"}' 'http://h/m?q=it'\''s'`
	if got := r.Curl("http://h/"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
