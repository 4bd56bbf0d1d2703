package check

import (
	"fmt"
	"net/http"
	"strings"
)

// Leftover is a resource a run created and could not delete.
type Leftover struct {
	// Path is where the resource lives, e.g. "/widgets/7".
	Path string
	// Why says what stood in the way: no delete operation in the spec,
	// or the status the delete got.
	Why string
}

// String prints the leftover as the report lists it.
func (l Leftover) String() string { return l.Path + " (" + l.Why + ")" }

// made is one resource a create of the run made: where it lives and who
// made it, whose token deletes it.
type made struct {
	coll     string
	path     string
	params   map[string]string
	name     string
	id       string
	identity string
}

// record notes the resource a successful create of req made, for clean
// to delete at the end of the run.
func (r *runner) record(req Request, res *response) {
	if req.Method != http.MethodPost || res.status < 200 || res.status > 299 {
		return
	}
	o := r.byID(req.Operation)
	if o == nil {
		return
	}
	id, ok := r.created(o, res)[o.path]
	if !ok || id == "" {
		return
	}
	path, _, _ := strings.Cut(req.Target, "?")
	path = strings.TrimSuffix(path, "/") + "/" + id
	if r.litter == nil {
		r.litter = map[string]bool{}
	}
	// Keyed by who made it too: ids may be unique per tenant only.
	key := req.Identity + " " + path
	if r.litter[key] {
		return
	}
	r.litter[key] = true
	_, name := r.itemGet(o.path)
	r.made = append(r.made, made{coll: o.path, path: path, params: req.PathParams, name: name, id: id, identity: req.Identity})
}

// clean deletes what the run created, newest first so that children go
// before their parents, where the spec has a delete operation for it.
// A delete answered 2xx, 404 or 410 leaves nothing behind; whatever else
// is reported as a leftover. Its requests are not counted in the report:
// they check nothing.
func (r *runner) clean() {
	r.report.Created = len(r.made)
	for i := len(r.made) - 1; i >= 0; i-- {
		m := r.made[i]
		del := r.itemOp(m.coll, http.MethodDelete)
		if del == nil {
			r.report.Leftovers = append(r.report.Leftovers, Leftover{Path: m.path, Why: "the spec has no delete operation for it"})
			continue
		}
		v := newValues()
		for k, x := range m.params {
			v.path[k] = x
		}
		for name := range del.itemParams() {
			if del.path == m.coll+"/{"+name+"}" {
				v.path[name] = m.id
			}
		}
		as := r.owner(m.identity)
		res, err := r.target.do(del.build(v, as.credential(del.scopes)))
		switch {
		case err != nil:
			r.report.Leftovers = append(r.report.Leftovers, Leftover{Path: m.path, Why: err.Error()})
		case res.status == http.StatusNotFound, res.status == http.StatusGone:
		case res.status >= 200 && res.status <= 299:
			if r.stillServed(m, v, as) {
				r.report.Leftovers = append(r.report.Leftovers, Leftover{Path: m.path, Why: fmt.Sprintf("still served after DELETE got %d", res.status)})
			}
		default:
			r.report.Leftovers = append(r.report.Leftovers, Leftover{Path: m.path, Why: fmt.Sprintf("DELETE got %d", res.status)})
		}
	}
}

// stillServed reports whether a GET of m, after a delete that succeeded,
// still finds it: a server can answer 204 and keep the resource.
func (r *runner) stillServed(m made, v *values, as Identity) bool {
	get, _ := r.itemGet(m.coll)
	if get == nil {
		return false
	}
	res, err := r.target.do(get.build(v, as.credential(get.scopes)))
	return err == nil && res.status >= 200 && res.status <= 299
}

// owner returns the identity called name, the one that made a resource:
// in a multi-tenant API only it can delete it. Without one of that name
// (a create sent without a token) it is the first.
func (r *runner) owner(name string) Identity {
	for _, id := range r.cfg.identities {
		if id.Name == name {
			return id
		}
	}
	if len(r.cfg.identities) > 0 {
		return r.cfg.identities[0]
	}
	return Identity{}
}

// litterLine is the summary's line about what the run left behind.
func (r *Report) litterLine() string {
	if len(r.Leftovers) == 0 {
		if r.Created == 0 {
			return ""
		}
		return fmt.Sprintf("deleted the %d resource(s) it created\n", r.Created)
	}
	var paths []string
	for _, l := range r.Leftovers {
		paths = append(paths, l.String())
	}
	return fmt.Sprintf("left %d resource(s) it could not delete: %s\n", len(r.Leftovers), strings.Join(paths, ", "))
}
