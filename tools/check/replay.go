package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ReplayFile is what charter check --replay-out writes and --replay
// reads: each failure of a run as the sequence of requests that
// reproduces it, with the ids the server chose replaced by references to
// the responses that returned them, so that it runs on a fresh server.
type ReplayFile struct {
	// Spec is the path of the spec the run checked, when known.
	Spec string `json:"spec,omitempty"`
	// Seed is the seed of the run.
	Seed uint64 `json:"seed"`
	// Failures holds one sequence per failure.
	Failures []ReplayFailure `json:"failures"`
}

// ReplayFailure is one failure as data.
type ReplayFailure struct {
	// Check and Operation say what failed, Message why.
	Check     string `json:"check"`
	Operation string `json:"operation"`
	Message   string `json:"message"`
	// Steps are the requests, in order; the last one's response is the
	// one that failed the check.
	Steps []Step `json:"steps"`
}

// Step is one request of a replay.
type Step struct {
	// Operation is the operationId of the request.
	Operation string `json:"operation"`
	// Method and Path are the method and the path template.
	Method string `json:"method"`
	Path   string `json:"path"`
	// PathParams gives each parameter of Path, most often from the
	// response of an earlier step.
	PathParams map[string]Ref `json:"path_params,omitempty"`
	// Query is the query string, without '?'.
	Query string `json:"query,omitempty"`
	// Header holds the headers sent but Authorization, which comes
	// from Identity, unless it was a made-up token, which is no secret.
	Header map[string]string `json:"header,omitempty"`
	// Body is the body sent when it is JSON, RawBody when it is not.
	Body    json.RawMessage `json:"body,omitempty"`
	RawBody string          `json:"raw_body,omitempty"`
	// Identity names whose token the request carries ("" for the only
	// unnamed identity); NoToken is true for a request sent without one.
	Identity string `json:"identity,omitempty"`
	NoToken  bool   `json:"no_token,omitempty"`
	// Status is the status the run got.
	Status int `json:"status"`
}

// Ref is the value of a path parameter: the value a field of an earlier
// step's response body (From and Pointer, a JSON pointer such as "/id")
// or the last segment of its header (From and Header, e.g. Location)
// holds, or a literal Value.
type Ref struct {
	From    *int   `json:"from,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Header  string `json:"header,omitempty"`
	Value   string `json:"value,omitempty"`
}

// ReplayFile returns the failures of the report as a replay file.
func (r *Report) ReplayFile() ReplayFile {
	out := ReplayFile{Seed: r.Seed, Failures: []ReplayFailure{}}
	for _, f := range r.Failures {
		out.Failures = append(out.Failures, ReplayFailure{Check: f.Check, Operation: f.Operation, Message: f.Message, Steps: f.Steps})
	}
	return out
}

// steps turns requests and their responses into replay steps, each path
// parameter a reference to the earliest response that returned its
// value.
func steps(reqs []Request, ress []*response) []Step {
	out := make([]Step, 0, len(reqs))
	for i, req := range reqs {
		s := Step{Operation: req.Operation, Method: req.Method, Path: req.Path, Identity: req.Identity, Header: map[string]string{}}
		if s.Path == "" {
			s.Path, _, _ = strings.Cut(req.Target, "?")
		}
		_, s.Query, _ = strings.Cut(req.Target, "?")
		for n, vs := range req.Header {
			if n == "Authorization" && req.Credential != "" {
				continue
			}
			s.Header[n] = strings.Join(vs, ", ")
		}
		s.NoToken = req.Header.Get("Authorization") == ""
		switch {
		case req.Body == nil:
		case json.Valid(req.Body):
			s.Body = json.RawMessage(req.Body)
		default:
			s.RawBody = string(req.Body)
		}
		if i < len(ress) && ress[i] != nil {
			s.Status = ress[i].status
		}
		if len(req.PathParams) > 0 {
			s.PathParams = map[string]Ref{}
		}
		for name, v := range req.PathParams {
			s.PathParams[name] = reference(v, ress[:min(i, len(ress))])
		}
		out = append(out, s)
	}
	return out
}

// reference finds v in the earliest of ress: a top-level field of its
// body, or the last segment of its Location header.
func reference(v string, ress []*response) Ref {
	for j, res := range ress {
		if res == nil {
			continue
		}
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(res.body))
		dec.UseNumber()
		if dec.Decode(&obj) == nil {
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			// "id" first: it is what a reader expects.
			sort.Slice(keys, func(a, b int) bool { return keys[a] == "id" || (keys[b] != "id" && keys[a] < keys[b]) })
			for _, k := range keys {
				if x := obj[k]; x != nil && scalar(x) == v {
					return Ref{From: &j, Pointer: "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")}
				}
			}
		}
		if loc := res.header.Get("Location"); loc != "" && path.Base(strings.TrimSuffix(loc, "/")) == v {
			return Ref{From: &j, Header: "Location"}
		}
	}
	return Ref{Value: v}
}

// ReplayResult is what replaying one failure found.
type ReplayResult struct {
	// Reproduced is true when the last response fails the check again.
	Reproduced bool
	// Why says what the last response was, or which step could not be
	// sent.
	Why string
	// Requests are the requests sent, for curl commands.
	Requests []Request
}

// Replay sends the steps of f to target, taking each path parameter from
// the response it refers to, and reports whether the last response fails
// f's check again. The tokens come from the identities of opts
// (WithIdentities, WithToken, WithTokenFactory), by name. An error means
// the replay could not run: an identity it needs is missing, or the
// target is unreachable.
func Replay(doc *openapi3.T, target Target, f ReplayFailure, opts ...Option) (*ReplayResult, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if len(f.Steps) == 0 {
		return nil, fmt.Errorf("check: the failure of %s on %s has no steps", f.Check, f.Operation)
	}
	ops := operations(doc)
	out := &ReplayResult{}
	var ress []*response
	for i, s := range f.Steps {
		var o *operation
		for _, x := range ops {
			if x.id == s.Operation {
				o = x
			}
		}
		req := Request{Operation: s.Operation, Method: s.Method, Header: http.Header{}, Identity: s.Identity, Path: s.Path}
		p := s.Path
		for name, ref := range s.PathParams {
			v, ok := ref.resolve(ress)
			if !ok {
				out.Why = fmt.Sprintf("step %d: %s is not in the response of step %d", i, name, *ref.From)
				return out, nil
			}
			p = strings.ReplaceAll(p, "{"+name+"}", v)
		}
		req.Target = p
		if s.Query != "" {
			req.Target += "?" + s.Query
		}
		for n, v := range s.Header {
			req.Header.Set(n, v)
		}
		if !s.NoToken && req.Header.Get("Authorization") == "" {
			id, ok := identityNamed(cfg.identities, s.Identity)
			if !ok {
				return nil, fmt.Errorf("check: step %d needs the token of identity %q", i, s.Identity)
			}
			var scopes []string
			if o != nil {
				scopes = o.scopes
			}
			c := id.credential(scopes)
			req.Header.Set("Authorization", c.header)
			req.Credential = c.shown
		}
		switch {
		case s.Body != nil:
			req.Body = []byte(s.Body)
		case s.RawBody != "":
			req.Body = []byte(s.RawBody)
		}
		res, err := target.do(req)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		out.Requests = append(out.Requests, req)
		ress = append(ress, res)
		if i == len(f.Steps)-1 {
			switch f.Check {
			case UpdatePersisted:
				out.Reproduced, out.Why = updateFails(ops, f, ress)
			case PagesComplete:
				out.Reproduced, out.Why = pagesFail(f, ress)
			default:
				out.Reproduced, out.Why = fails(f.Check, o, req, res, s.Status, cfg.rejectedBy(f.Operation))
			}
		}
	}
	return out, nil
}

// resolve returns the value ref refers to among the responses so far.
func (ref Ref) resolve(ress []*response) (string, bool) {
	if ref.From == nil {
		return ref.Value, true
	}
	if *ref.From < 0 || *ref.From >= len(ress) {
		return "", false
	}
	res := ress[*ref.From]
	if ref.Header != "" {
		v := res.header.Get(ref.Header)
		return path.Base(strings.TrimSuffix(v, "/")), v != ""
	}
	var body any
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	_ = dec.Decode(&body)
	return evaluate("$response.body#"+ref.Pointer, body, res.header)
}

func identityNamed(ids []Identity, name string) (Identity, bool) {
	for _, id := range ids {
		if id.Name == name {
			return id, true
		}
	}
	return Identity{}, false
}

// fails reports whether res, the last response of a replay, fails check
// again. The response checks and valid_accepted judge it as a run does;
// delete_gone and create_fetchable by its status; the checks that judge a
// response against the request's intent (a broken request, a missing
// token, another tenant) by whether it is the status the run got.
func fails(check string, o *operation, req Request, res *response, was int, rejected []int) (bool, string) {
	got := fmt.Sprintf("%s %s got %d: %s", req.Method, req.Target, res.status, snippet(res.body))
	switch {
	case slices.Contains(responseChecks, check):
		if o == nil {
			return false, "the spec has no operation " + req.Operation
		}
		for _, v := range o.conform(req, res) {
			if v.check == check && !v.ok {
				return true, v.why
			}
		}
		return false, got
	case check == ValidAccepted:
		return slices.Contains(rejected, res.status), got
	case check == DeleteGone:
		return res.status != http.StatusNotFound && res.status != http.StatusGone, got
	case check == CreateFetchable:
		return res.status < 200 || res.status > 299, got
	}
	return res.status == was, got + fmt.Sprintf(" (the run got %d)", was)
}

// updateFails judges update_persisted on a replay: the last step reads
// the item back after the last step of the update; the update's body is
// what it sent, and the last read of the item before it, with no write
// between, what it left alone must still show.
func updateFails(ops []*operation, f ReplayFailure, ress []*response) (bool, string) {
	last := len(f.Steps) - 1
	get, update := opNamed(ops, f.Steps[last].Operation), opNamed(ops, f.Operation)
	u := last - 1
	for u >= 0 && f.Steps[u].Operation != f.Operation {
		u--
	}
	res := ress[last]
	if get == nil || update == nil || u < 0 {
		return false, "the steps hold no update and read of it"
	}
	got, ok := decodeObject(res.body)
	if !ok || res.status < 200 || res.status > 299 {
		return res.status < 200 || res.status > 299, fmt.Sprintf("GET got %d: %s", res.status, snippet(res.body))
	}
	sent, _ := decodeObject(f.Steps[u].Body)
	var before map[string]any
	for j := u - 1; j >= 0 && f.Steps[j].Method == http.MethodGet; j-- {
		if f.Steps[j].Operation == get.id && ress[j].status >= 200 && ress[j].status <= 299 {
			before, _ = decodeObject(ress[j].body)
			break
		}
	}
	diffs := updateDiffs(update, responseSchema(get, res), sent, before, got)
	if len(diffs) == 0 {
		return false, "the item read back is what the update sent and left alone"
	}
	return true, strings.Join(diffs, "; ")
}

// pagesFail judges pages_complete on a replay: the last steps, of the
// list, are the pages of the walk, in which no item may come twice and
// which must hold as many items as their count says. Whether an item the
// sequence created is missing is not judged.
func pagesFail(f ReplayFailure, ress []*response) (bool, string) {
	first := len(f.Steps) - 1
	for first > 0 && f.Steps[first-1].Operation == f.Operation {
		first--
	}
	seen := map[string]bool{}
	count, counted := int64(0), false
	for j := first; j < len(f.Steps); j++ {
		body, items, ok := pageItems(ress[j].body)
		if !ok {
			return false, fmt.Sprintf("page %d is not a list: %s", j-first+1, snippet(ress[j].body))
		}
		for _, it := range items {
			id := itemID(it, []string{"id"})
			if seen[id] {
				return true, fmt.Sprintf("item %s comes twice", id)
			}
			seen[id] = true
		}
		if n, ok := countOf(body); ok && !counted {
			count, counted = n, true
		}
	}
	if counted && int64(len(seen)) != count {
		return true, fmt.Sprintf("the count is %d, the pages hold %d item(s)", count, len(seen))
	}
	return false, fmt.Sprintf("the %d page(s) hold %d item(s), none twice, as many as their count", len(f.Steps)-first, len(seen))
}

func opNamed(ops []*operation, id string) *operation {
	for _, o := range ops {
		if o.id == id {
			return o
		}
	}
	return nil
}
