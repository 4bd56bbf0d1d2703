package check

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// identity draws the identity a stateful sequence runs as; with one
// identity it draws nothing, so that runs with one replay as before.
func (r *runner) identity(t *rapid.T) Identity {
	if len(r.cfg.identities) == 0 {
		return Identity{}
	}
	return r.cfg.identities[index(t, len(r.cfg.identities), "identity")]
}

// isolation is tenant_isolation, run after owner created id in coll: an
// identity of another tenant, drawn, gets the item, calls every other
// operation on it (deleting last), lists the collection, and then the
// owner gets the item again. Every call on the item must answer 404 or
// 403, the list must not show the id, and the item must outlive the
// other tenant's delete. It reports whether a change or the delete got
// through, which leaves the owner's item changed or gone.
func (r *runner) isolation(c *caseRun, owner Identity, coll, id string, t *rapid.T) (touched bool) {
	if !c.p.active(TenantIsolated) {
		return false
	}
	var others []Identity
	for _, b := range r.cfg.identities {
		if isolated(owner, b) {
			others = append(others, b)
		}
	}
	if len(others) == 0 {
		return false
	}
	other := others[index(t, len(others), "other identity")]
	deleted := false
	for _, o := range r.itemOps(coll) {
		name := ""
		for n := range o.itemParams() {
			name = n
		}
		req := o.build(o.draw(t, map[string]string{name: id}), other.credential(o.scopes))
		res := c.send(req)
		if o.method != http.MethodGet && res.status >= 200 && res.status <= 299 {
			// The item may be gone: no later walk of the owner's
			// list can be held to show it. Noted before the
			// verdict, which ends the case when it fails.
			touched = true
			delete(r.foundBy(owner), itemKey(coll, id))
		}
		c.verify(o.id, o.conform(req, res)...)
		c.verify(o.id, hidden(o, owner, other, id, res))
		deleted = deleted || o.method == http.MethodDelete
	}
	if list := r.listOp(coll); list != nil {
		req := list.build(newValues(), other.credential(list.scopes))
		res := c.send(req)
		c.verify(list.id, list.conform(req, res)...)
		if res.status >= 200 && res.status <= 299 && listed(res.body, r.idFields(coll), id) {
			c.verify(list.id, fail(TenantIsolated, "%s (tenant %s) listed %s, which %s (tenant %s) created: GET %s shows it",
				other.Name, other.Tenant, id, owner.Name, owner.Tenant, req.Target))
		} else {
			c.verify(list.id, pass(TenantIsolated))
		}
	}
	if get, name := r.itemGet(coll); deleted && get != nil {
		v := newValues()
		v.path[name] = id
		req := get.build(v, owner.credential(get.scopes))
		res := c.send(req)
		c.verify(get.id, get.conform(req, res)...)
		if res.status < 200 || res.status > 299 {
			del := r.itemOp(coll, http.MethodDelete)
			c.verify(del.id, fail(TenantIsolated, "%s (tenant %s) tried to delete %s, which %s (tenant %s) created, and then %s got %d for GET %s",
				other.Name, other.Tenant, id, owner.Name, owner.Tenant, owner.Name, res.status, req.Target))
		}
	}
	return touched
}

// hidden checks the answer to other's call of o on the item id that owner
// created: 404 or 403, whichever o documents (either when it documents
// neither, which status_documented reports).
func hidden(o *operation, owner, other Identity, id string, res *response) verdict {
	var want []int
	for _, s := range []int{http.StatusNotFound, http.StatusForbidden} {
		if o.op.Responses != nil && o.op.Responses.Status(s) != nil {
			want = append(want, s)
		}
	}
	if len(want) == 0 {
		want = []int{http.StatusNotFound, http.StatusForbidden}
	}
	if slices.Contains(want, res.status) {
		return pass(TenantIsolated)
	}
	return fail(TenantIsolated, "%s (tenant %s) got %d from %s on %s, which %s (tenant %s) created; want %s: %s",
		other.Name, other.Tenant, res.status, o.id, id, owner.Name, owner.Tenant, statuses(want), snippet(res.body))
}

func statuses(s []int) string {
	var out []string
	for _, x := range s {
		out = append(out, strconv.Itoa(x))
	}
	return strings.Join(out, " or ")
}

// itemOps returns the operations on one item of coll: those whose only
// path parameter points into it, GET first and DELETE last, so that the
// item is still there for the others.
func (r *runner) itemOps(coll string) []*operation {
	var out []*operation
	for _, o := range r.ops {
		ps := o.itemParams()
		if o.path == coll || len(ps) != 1 {
			continue
		}
		for _, c := range ps {
			if c == coll {
				out = append(out, o)
			}
		}
	}
	rank := func(o *operation) int {
		switch o.method {
		case http.MethodGet:
			return 0
		case http.MethodDelete:
			return 2
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b *operation) int { return rank(a) - rank(b) })
	return out
}

// itemOp returns the operation of method on the items of coll itself.
func (r *runner) itemOp(coll, method string) *operation {
	for _, o := range r.itemOps(coll) {
		for name := range o.itemParams() {
			if o.method == method && o.path == coll+"/{"+name+"}" {
				return o
			}
		}
	}
	return nil
}

// listOp returns the GET on coll that lists it, when it needs nothing but
// defaults: no path parameter and no required query parameter.
func (r *runner) listOp(coll string) *operation {
	for _, o := range r.ops {
		if o.method != http.MethodGet || o.path != coll || len(o.itemParams()) > 0 {
			continue
		}
		if slices.ContainsFunc(o.params, func(p *openapi3.Parameter) bool { return p.Required }) {
			return nil
		}
		return o
	}
	return nil
}

// idFields are the fields that carry the id of an item of coll: the
// name of its path parameter, and id.
func (r *runner) idFields(coll string) []string {
	fields := []string{"id"}
	if _, name := r.itemGet(coll); name != "" {
		fields = append(fields, name)
	}
	return fields
}

// listed reports whether a list response shows an item whose id is id:
// an element of the body, when it is an array, or of an array among the
// body's fields (items, data).
func listed(body []byte, fields []string, id string) bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return false
	}
	var arrays [][]any
	switch x := v.(type) {
	case []any:
		arrays = append(arrays, x)
	case map[string]any:
		for _, f := range x {
			if a, ok := f.([]any); ok {
				arrays = append(arrays, a)
			}
		}
	}
	for _, a := range arrays {
		for _, e := range a {
			obj, ok := e.(map[string]any)
			if !ok {
				continue
			}
			for _, f := range fields {
				if v, ok := obj[f]; ok && v != nil && scalar(v) == id {
					return true
				}
			}
		}
	}
	return false
}
