package check

import (
	"bytes"
	"encoding/json"
	"maps"
	"math/bits"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// collection returns the path template whose items parameter name
// identifies: "/materials" for material_id in "/materials/{material_id}".
func collection(tmpl, name string) string {
	i := strings.Index(tmpl, "/{"+name+"}")
	if i < 0 {
		return ""
	}
	return tmpl[:i]
}

// itemParams maps each path parameter of o to the collection it points
// into.
func (o *operation) itemParams() map[string]string {
	out := map[string]string{}
	for _, p := range o.params {
		if p.In == openapi3.ParameterInPath {
			out[p.Name] = collection(o.path, p.Name)
		}
	}
	return out
}

// item returns the collection and the path parameter of the item o acts
// on, when o's path is an item of a collection: "/materials" and
// material_id for "/materials/{material_id}".
func (o *operation) item() (coll, name string, ok bool) {
	for n, c := range o.itemParams() {
		if o.path == c+"/{"+n+"}" {
			return c, n, true
		}
	}
	return "", "", false
}

// world is what one stateful case knows: the ids of live resources per
// collection, from the responses of earlier steps.
type world struct {
	ids map[string][]string
	// known holds the item as last read by a GET, by itemKey, while no
	// write since may have changed it.
	known map[string]map[string]any
	// found holds the items of the identity whose last GET found them,
	// by itemKey: from every sequence of the run so far, as the items
	// of earlier sequences stay until the run ends, but for those a
	// sequence deleted.
	found map[string]bool
	// as is the identity the sequence runs as.
	as Identity
}

func (w *world) add(coll, id string) {
	for _, e := range w.ids[coll] {
		if e == id {
			return
		}
	}
	w.ids[coll] = append(w.ids[coll], id)
}

func (w *world) remove(coll, id string) {
	w.ids[coll] = remove(w.ids[coll], id)
	delete(w.known, itemKey(coll, id))
	delete(w.found, itemKey(coll, id))
}

// itemGet returns the GET operation on the items of coll, the one that
// fetches what a create made.
func (r *runner) itemGet(coll string) (*operation, string) {
	for _, o := range r.ops {
		if o.method != http.MethodGet {
			continue
		}
		for name, c := range o.itemParams() {
			if c == coll && o.path == coll+"/{"+name+"}" {
				return o, name
			}
		}
	}
	return nil, ""
}

// created returns the ids a successful response of o names, by
// collection: from the response's links when the spec has them, else
// from an id field of the body or the Location header.
func (r *runner) created(o *operation, res *response) map[string]string {
	out := map[string]string{}
	var body any
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	_ = dec.Decode(&body)
	if ref := o.op.Responses.Status(res.status); ref != nil && ref.Value != nil {
		for _, l := range ref.Value.Links {
			if l.Value == nil {
				continue
			}
			target := r.byID(l.Value.OperationID)
			if target == nil {
				continue
			}
			for param, expr := range l.Value.Parameters {
				s, _ := expr.(string)
				if v, ok := evaluate(s, body, res.header); ok {
					if coll := collection(target.path, param); coll != "" {
						out[coll] = v
					}
				}
			}
		}
	}
	if len(out) > 0 || o.method != http.MethodPost {
		return out
	}
	// Without links: the new item lives under the path posted to.
	get, name := r.itemGet(o.path)
	if get == nil {
		return out
	}
	obj, _ := body.(map[string]any)
	for _, field := range []string{name, "id"} {
		if v, ok := obj[field]; ok && v != nil {
			out[o.path] = scalar(v)
			return out
		}
	}
	if loc := res.header.Get("Location"); loc != "" {
		out[o.path] = path.Base(strings.TrimSuffix(loc, "/"))
	}
	return out
}

func (r *runner) byID(id string) *operation {
	for _, o := range r.ops {
		if o.id == id {
			return o
		}
	}
	return nil
}

// evaluate reads a runtime expression of a link:
// $response.body#/json/pointer or $response.header.Name.
func evaluate(expr string, body any, h http.Header) (string, bool) {
	if name, ok := strings.CutPrefix(expr, "$response.header."); ok {
		v := h.Get(name)
		return v, v != ""
	}
	ptr, ok := strings.CutPrefix(expr, "$response.body#")
	if !ok {
		return "", false
	}
	cur := body
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = m[part]
	}
	if cur == nil {
		return "", false
	}
	return scalar(cur), true
}

// stateful runs random sequences of operations. Operations on items only
// run on ids earlier steps created, so each sequence follows real
// resources through create, update, get and delete; rapid shrinks a
// failing sequence to the fewest steps.
//
// A sequence draws its choices bit by bit (stop, index) rather than with
// rapid's Repeat, IntRange or SampledFrom, which draw a 53-bit number to
// decide whether to go on or how many bits an index has. Shrinking such a
// number, which must stay above a threshold for its step to stay, tries
// about every pair of its bits: hundreds of candidate sequences for each
// step kept, each replayed request by request. Shrinking the planted
// update_breaks_get bug (seed 1) took 11,949 candidates and 39,869
// requests that way, and takes 1,803 requests bit by bit.
func (r *runner) stateful() {
	checks := r.checksOf(append(append([]string(nil), responseChecks...), ValidAccepted, DeleteGone, CreateFetchable, UpdatePersisted, PagesComplete, TenantIsolated)...)
	p := &property{r: r, name: "stateful", checks: checks}
	p.run(func(c *caseRun) {
		as := r.identity(c.t)
		w := &world{ids: map[string][]string{}, known: map[string]map[string]any{}, found: r.foundBy(as), as: as}
		// Each step is drawn as one value, so that rapid removes a
		// step from a failing sequence in one try.
		step := rapid.Custom(func(t *rapid.T) bool {
			ready := r.ready(w)
			if len(ready) == 0 || r.stopped() {
				return false
			}
			r.step(c, w, ready[index(t, len(ready), "operation")], t)
			return !stop(t)
		})
		for range maxSteps {
			if !step.Draw(c.t, "step") {
				return
			}
		}
	})
}

// foundBy returns the items found of identity as, kept across the
// sequences of the run.
func (r *runner) foundBy(as Identity) map[string]bool {
	if r.found == nil {
		r.found = map[string]map[string]bool{}
	}
	if r.found[as.Name] == nil {
		r.found[as.Name] = map[string]bool{}
	}
	return r.found[as.Name]
}

// maxSteps bounds a sequence; one ends after eight steps on average.
const maxSteps = 64

// stop reports whether the sequence ends after this step: when three
// bits are all set, one step in eight. Shrinking clears bits, so it
// never ends a sequence early; it removes steps instead.
func stop(t *rapid.T) bool {
	for range 3 {
		if !rapid.Bool().Draw(t, "stop") {
			return false
		}
	}
	return true
}

// index draws a number below n, bit by bit. Folding the numbers from n
// up onto the lowest keeps a choice to one draw per bit, at the price of
// the lowest coming up to twice as often as the rest.
func index(t *rapid.T, n int, label string) int {
	i := 0
	for range bits.Len(uint(n - 1)) {
		i <<= 1
		if rapid.Bool().Draw(t, label) {
			i |= 1
		}
	}
	return i % n
}

// ready returns the operations that can run on what w holds: those on
// items only once their collection has an id.
func (r *runner) ready(w *world) []*operation {
	var out []*operation
	for _, o := range r.ops {
		ok := true
		for _, coll := range o.itemParams() {
			ok = ok && len(w.ids[coll]) > 0
		}
		if ok {
			out = append(out, o)
		}
	}
	return out
}

// step runs one operation of a sequence and the checks that follow from
// it: a create must be fetchable, and out of other tenants' reach; a
// delete must be gone.
func (r *runner) step(c *caseRun, w *world, o *operation, t *rapid.T) {
	fixed := map[string]string{}
	for name, coll := range o.itemParams() {
		ids := w.ids[coll]
		fixed[name] = ids[index(t, len(ids), name)]
	}
	if coll, ok := r.pageable(c, o, t); ok {
		r.walk(c, w, o, coll, t)
		return
	}
	v := o.draw(t, fixed)
	req := o.build(v, w.as.credential(o.scopes))
	res := c.send(req)
	// What the response says of the items goes into the world before
	// the verdicts, which end the case when one fails: a later
	// sequence must not be held to an item this one deleted.
	succeeded := res.status >= 200 && res.status <= 299
	coll, name, onItem := o.item()
	updColl, updID, update := r.updated(o, fixed)
	before := w.known[itemKey(updColl, updID)]
	switch {
	case onItem && o.method == http.MethodGet:
		w.remember(coll, fixed[name], res)
	case o.method != http.MethodGet && (succeeded || res.status >= 500):
		// A write that failed with 5xx may have done part of its
		// work.
		w.forget(o, fixed)
	}
	c.verify(o.id, o.conform(req, res)...)
	c.verify(o.id, r.accepted(o, res))
	if !succeeded {
		return
	}
	// 202 says the update is yet to happen: nothing to read back.
	if sent, ok := v.body.(map[string]any); update && ok && v.hasBody && res.status != http.StatusAccepted && c.p.active(UpdatePersisted) {
		r.persisted(c, w, o, res.status, updColl, updID, sent, before)
	}
	made := r.created(o, res)
	// In the order of the collections, for the draws of isolation to
	// replay.
	for _, coll := range slices.Sorted(maps.Keys(made)) {
		id := made[coll]
		w.add(coll, id)
		if o.method == http.MethodPost {
			w.remember(coll, id, r.fetch(c, w.as, o, coll, id, CreateFetchable))
			if r.isolation(c, w.as, coll, id, t) {
				// Another tenant changed or deleted it: a leak that
				// tenant_isolation reports, and nothing the owner's
				// reads can be held to.
				delete(w.known, itemKey(coll, id))
			}
		}
	}
	if onItem && o.method == http.MethodDelete {
		w.remove(coll, fixed[name])
		r.fetch(c, w.as, o, coll, fixed[name], DeleteGone)
	}
}

// fetch gets the item id of coll after o changed it and checks that it is
// there (create_fetchable) or gone (delete_gone).
func (r *runner) fetch(c *caseRun, as Identity, o *operation, coll, id, check string) *response {
	get, name := r.itemGet(coll)
	if get == nil {
		return &response{}
	}
	v := newValues()
	v.path[name] = id
	req := get.build(v, as.credential(get.scopes))
	res := c.send(req)
	c.verify(get.id, get.conform(req, res)...)
	switch {
	case check == CreateFetchable && (res.status < 200 || res.status > 299):
		c.verify(o.id, fail(check, "%s created %s but GET %s got %d: %s", o.id, id, req.Target, res.status, snippet(res.body)))
	case check == DeleteGone && res.status != http.StatusNotFound && res.status != http.StatusGone:
		c.verify(o.id, fail(check, "%s deleted %s but GET %s got %d, want 404 or 410", o.id, id, req.Target, res.status))
	default:
		c.verify(o.id, pass(check))
	}
	return res
}
