package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Request is one request the checker sent, kept to print and to replay.
type Request struct {
	// Operation is the operationId (or "METHOD /path") it exercises.
	Operation string
	// Method is the HTTP method.
	Method string
	// Target is the path with its query, e.g. "/materials?limit=1".
	Target string
	// Header holds the headers sent, Authorization included.
	Header http.Header
	// Credential is what Curl prints as the Authorization header, e.g.
	// "Bearer $TOKEN_ALICE", so that reports never show a token; ""
	// prints the header as sent.
	Credential string
	// Body is the body sent, nil for none.
	Body []byte
	// Identity names the identity whose token the request carries, ""
	// for none or the only unnamed one; Path is the operation's path
	// template and PathParams the serialized value of each of its
	// parameters, which the cleanup at the end of a run deletes by and a
	// replay file refers to.
	Identity   string
	Path       string
	PathParams map[string]string
}

// Curl returns a curl command that sends the request to the server at
// base (e.g. "http://localhost:8080").
func (r Request) Curl(base string) string {
	var b strings.Builder
	b.WriteString("curl -i -X ")
	b.WriteString(r.Method)
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range r.Header[n] {
			b.WriteString(" -H ")
			if n == "Authorization" && r.Credential != "" {
				// Double quotes, for the shell to expand the variable.
				b.WriteString(`"` + n + ": " + r.Credential + `"`)
				continue
			}
			b.WriteString(shellQuote(n + ": " + v))
		}
	}
	if r.Body != nil {
		b.WriteString(" --data-binary ")
		b.WriteString(shellQuote(string(r.Body)))
	}
	b.WriteString(" ")
	b.WriteString(shellQuote(strings.TrimSuffix(base, "/") + r.Target))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// values holds the drawn parameter values of one request by location and
// name, and the body. A parameter absent from its map is not sent.
type values struct {
	path   map[string]any
	query  map[string]any
	header map[string]any
	body   any
	// rawBody, when set, is sent as the body instead of body; it is
	// how malformed JSON goes out.
	rawBody []byte
	hasBody bool
}

func newValues() *values {
	return &values{path: map[string]any{}, query: map[string]any{}, header: map[string]any{}}
}

func (v *values) at(in string) map[string]any {
	switch in {
	case openapi3.ParameterInPath:
		return v.path
	case openapi3.ParameterInQuery:
		return v.query
	case openapi3.ParameterInHeader:
		return v.header
	}
	return nil
}

// build serializes drawn values into a request, following each
// parameter's style and explode settings.
func (o *operation) build(v *values, auth credential) Request {
	path := o.path
	pathParams := map[string]string{}
	q := []string{}
	h := http.Header{}
	for _, p := range o.params {
		x, ok := v.at(p.In)[p.Name]
		if !ok {
			continue
		}
		switch p.In {
		case openapi3.ParameterInPath:
			pathParams[p.Name] = pathValue(p, x)
			path = strings.ReplaceAll(path, "{"+p.Name+"}", pathParams[p.Name])
		case openapi3.ParameterInQuery:
			q = append(q, queryPairs(p, x)...)
		case openapi3.ParameterInHeader:
			h.Set(p.Name, simple(x, p.Explode != nil && *p.Explode, verbatim))
		}
	}
	target := path
	if len(q) > 0 {
		target += "?" + strings.Join(q, "&")
	}
	if auth.header != "" {
		h.Set("Authorization", auth.header)
	}
	r := Request{Operation: o.id, Method: o.method, Target: target, Header: h, Credential: auth.shown,
		Identity: auth.as, Path: o.path, PathParams: pathParams}
	switch {
	case v.rawBody != nil:
		r.Body = v.rawBody
		h.Set("Content-Type", o.bodyType)
	case v.hasBody:
		r.Body = encodeBody(o.bodyType, v.body)
		h.Set("Content-Type", o.bodyType)
	}
	return r
}

func encodeBody(ct string, v any) []byte {
	if ct == "application/x-www-form-urlencoded" {
		form := url.Values{}
		if m, ok := v.(map[string]any); ok {
			for k, e := range m {
				form.Set(k, scalar(e))
			}
		}
		return []byte(form.Encode())
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Drawn values are plain JSON types; this cannot happen.
		panic(err)
	}
	return b
}

// scalar formats a primitive the way parameters carry it.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// simple is the "simple" style: comma-separated items, and key,value
// pairs (key=value when exploded) for objects. esc escapes each item, not
// the delimiters.
func simple(v any, explode bool, esc func(string) string) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = esc(scalar(e))
		}
		return strings.Join(parts, ",")
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			if explode {
				parts = append(parts, esc(k)+"="+esc(scalar(x[k])))
			} else {
				parts = append(parts, esc(k), esc(scalar(x[k])))
			}
		}
		return strings.Join(parts, ",")
	}
	return esc(scalar(v))
}

func verbatim(s string) string { return s }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pathValue serializes a path parameter in its style: simple (default),
// label (.x) or matrix (;name=x).
func pathValue(p *openapi3.Parameter, v any) string {
	explode := p.Explode != nil && *p.Explode
	esc := url.PathEscape
	switch p.Style {
	case "label":
		if arr, ok := v.([]any); ok && explode {
			parts := make([]string, len(arr))
			for i, e := range arr {
				parts[i] = esc(scalar(e))
			}
			return "." + strings.Join(parts, ".")
		}
		return "." + simple(v, explode, esc)
	case "matrix":
		if arr, ok := v.([]any); ok && explode {
			var b strings.Builder
			for _, e := range arr {
				b.WriteString(";" + p.Name + "=" + esc(scalar(e)))
			}
			return b.String()
		}
		return ";" + p.Name + "=" + simple(v, explode, esc)
	}
	return simple(v, explode, esc)
}

// queryPairs serializes a query parameter as name=value pairs in its
// style: form (default, exploded), spaceDelimited, pipeDelimited or
// deepObject.
func queryPairs(p *openapi3.Parameter, v any) []string {
	explode := p.Explode == nil || *p.Explode
	name := url.QueryEscape(p.Name)
	esc := url.QueryEscape
	switch x := v.(type) {
	case []any:
		sep := ","
		switch p.Style {
		case "spaceDelimited":
			sep = " "
		case "pipeDelimited":
			sep = "|"
		}
		if explode {
			out := make([]string, len(x))
			for i, e := range x {
				out[i] = name + "=" + esc(scalar(e))
			}
			return out
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = scalar(e)
		}
		return []string{name + "=" + esc(strings.Join(parts, sep))}
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(x) {
			switch {
			case p.Style == "deepObject":
				out = append(out, name+"%5B"+esc(k)+"%5D="+esc(scalar(x[k])))
			case explode:
				out = append(out, esc(k)+"="+esc(scalar(x[k])))
			}
		}
		if p.Style != "deepObject" && !explode {
			out = []string{name + "=" + esc(simple(x, false, verbatim))}
		}
		return out
	}
	return []string{name + "=" + esc(scalar(v))}
}

// String renders the request as an HTTP message, for failure reports.
func (r Request) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s", r.Method, r.Target)
	if r.Body != nil {
		fmt.Fprintf(&b, " %s", r.Body)
	}
	return b.String()
}
