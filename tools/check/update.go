package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// serverSet names the fields a server sets on every write, whatever the
// request says, beside those the spec marks readOnly.
var serverSet = map[string]bool{
	"updated_at": true, "updatedAt": true, "modified_at": true, "modifiedAt": true,
	"last_modified": true, "lastModified": true, "etag": true, "version": true, "revision": true,
}

// itemKey names an item of a collection in world.known.
func itemKey(coll, id string) string { return coll + " " + id }

// remember keeps the body of a successful GET of an item, the state an
// update's unsent fields must keep.
func (w *world) remember(coll, id string, res *response) {
	if res.status < 200 || res.status > 299 {
		delete(w.found, itemKey(coll, id))
		return
	}
	w.found[itemKey(coll, id)] = true
	if body, ok := decodeObject(res.body); ok {
		w.known[itemKey(coll, id)] = body
	}
}

// forget drops what a successful write of o on the items fixed names may
// have changed: those items, and every item of another collection, which
// the write may reach through a reference. Other items of its own
// collection keep their state. The items it names are no longer held to
// be listed either, until a GET finds them again: a write such as an
// archive may take an item out of its list.
func (w *world) forget(o *operation, fixed map[string]string) {
	colls := map[string]bool{}
	ids := map[string]bool{}
	for name, coll := range o.itemParams() {
		colls[coll] = true
		ids[itemKey(coll, fixed[name])] = true
		delete(w.found, itemKey(coll, fixed[name]))
	}
	if len(colls) == 0 {
		colls[o.path] = true
	}
	for k := range w.known {
		coll, _, _ := strings.Cut(k, " ")
		if ids[k] || !colls[coll] {
			delete(w.known, k)
		}
	}
}

// updated returns the collection and the id of the item o replaces or
// patches, when o is a PUT or a PATCH on an item that a GET of the same
// path reads.
func (r *runner) updated(o *operation, fixed map[string]string) (coll, id string, ok bool) {
	coll, name, ok := o.item()
	if !ok || o.method != http.MethodPut && o.method != http.MethodPatch {
		return "", "", false
	}
	if get, _ := r.itemGet(coll); get == nil {
		return "", "", false
	}
	return coll, fixed[name], true
}

// persisted is update_persisted, run after o updated the item id of coll
// with sent: the next GET of the item must show every field the update
// sent as it sent it, and every field the update left alone as before
// (before is the item as last read, nil when a write since may have
// changed it). A PATCH leaves alone what it does not send; a PUT replaces
// what its body can hold, so only the fields it cannot set must stay.
// Read-only fields and those a server sets on every write (updated_at)
// are the server's to change.
func (r *runner) persisted(c *caseRun, w *world, o *operation, status int, coll, id string, sent map[string]any, before map[string]any) {
	get, name := r.itemGet(coll)
	v := newValues()
	v.path[name] = id
	req := get.build(v, w.as.credential(get.scopes))
	res := c.send(req)
	w.remember(coll, id, res)
	c.verify(get.id, get.conform(req, res)...)
	if res.status < 200 || res.status > 299 {
		c.verify(o.id, fail(UpdatePersisted, "%s updated %s but GET %s got %d: %s", o.id, id, req.Target, res.status, snippet(res.body)))
		return
	}
	got, ok := decodeObject(res.body)
	if !ok {
		// Not an object: response_schema says what is wrong with it.
		return
	}
	diffs := updateDiffs(o, responseSchema(get, res), sent, before, got)
	if len(diffs) > 0 {
		c.verify(o.id, fail(UpdatePersisted, "%s %s answered %d, then GET %s shows another item: %s",
			o.method, strings.Replace(o.path, "{"+name+"}", id, 1), status, req.Target, strings.Join(diffs, "; ")))
		return
	}
	c.verify(o.id, pass(UpdatePersisted))
}

// responseSchema returns the documented schema of res, a response of o.
func responseSchema(o *operation, res *response) *openapi3.Schema {
	if doc := o.documented(res.status); doc != nil {
		if mt := doc.Content.Get(mediaType(res.header.Get("Content-Type"))); mt != nil && mt.Schema != nil {
			return mt.Schema.Value
		}
	}
	return nil
}

// updateDiffs lists how got, the item read back after the update o sent
// sent, differs from what the update promises: each field sent, as sent;
// each field left alone (every one a PATCH did not send, those a PUT's
// body cannot hold), as before showed it, when before is known. schema
// is the read's, whose read-only fields the server owns.
func updateDiffs(o *operation, schema *openapi3.Schema, sent, before, got map[string]any) []string {
	var diffs []string
	for _, k := range sortedKeys(sent) {
		ps, shown := propertyOf(schema, k)
		if !shown || ps != nil && (ps.ReadOnly || ps.WriteOnly) {
			continue
		}
		g, has := got[k]
		if !same(sent[k], g, has, ps) {
			diffs = append(diffs, fmt.Sprintf("%s: sent %s, GET shows %s", k, show(sent[k], true), show(g, has)))
		}
	}
	if before != nil {
		keys := map[string]bool{}
		for k := range before {
			keys[k] = true
		}
		for k := range got {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if _, ok := sent[k]; ok || serverSet[k] {
				continue
			}
			if ps, _ := propertyOf(schema, k); ps != nil && (ps.ReadOnly || ps.WriteOnly) {
				continue
			}
			if _, settable := propertyOf(o.body, k); o.method == http.MethodPut && settable {
				continue
			}
			b, hadB := before[k]
			g, hasG := got[k]
			ps, _ := propertyOf(schema, k)
			if hadB != hasG || !kept(b, g, ps) {
				diffs = append(diffs, fmt.Sprintf("%s: not sent, was %s, GET shows %s", k, show(b, hadB), show(g, hasG)))
			}
		}
	}
	return diffs
}

// propertyOf returns the schema of the property k of s, and whether s
// shows k at all: a schema without properties (or none) may hold any.
func propertyOf(s *openapi3.Schema, k string) (*openapi3.Schema, bool) {
	if s == nil {
		return nil, true
	}
	if p, ok := s.Properties[k]; ok && p != nil {
		return p.Value, true
	}
	for _, sub := range s.AllOf {
		if sub.Value != nil {
			if p, ok := sub.Value.Properties[k]; ok && p != nil {
				return p.Value, true
			}
		}
	}
	return nil, len(s.Properties) == 0 && len(s.AllOf) == 0 || s.AdditionalProperties.Schema != nil
}

// same reports whether got, read back, is what was sent: the same
// scalar (numbers by value, date-times by instant), for an object every
// property sent and shown, for an array every item in order. null sent
// clears a field, which may then be absent.
func same(sent, got any, has bool, s *openapi3.Schema) bool {
	if sent == nil {
		return !has || got == nil
	}
	if !has {
		return false
	}
	switch x := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, e := range x {
			ps, shown := propertyOf(s, k)
			if !shown || ps != nil && (ps.ReadOnly || ps.WriteOnly) {
				continue
			}
			ge, has := g[k]
			if !same(e, ge, has, ps) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(x) {
			return false
		}
		var item *openapi3.Schema
		if s != nil && s.Items != nil {
			item = s.Items.Value
		}
		for i := range x {
			if !same(x[i], g[i], true, item) {
				return false
			}
		}
		return true
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if s != nil && s.Format == "date-time" {
			a, errA := time.Parse(time.RFC3339Nano, x)
			b, errB := time.Parse(time.RFC3339Nano, g)
			if errA == nil && errB == nil {
				return a.Equal(b)
			}
		}
		return x == g
	case bool:
		return got == x
	}
	return sameNumber(sent, got)
}

// kept reports whether after is before, a value the update left alone,
// but for the read-only properties within, which the server owns.
func kept(before, after any, s *openapi3.Schema) bool {
	switch b := before.(type) {
	case map[string]any:
		a, ok := after.(map[string]any)
		if !ok {
			return false
		}
		keys := map[string]bool{}
		for k := range b {
			keys[k] = true
		}
		for k := range a {
			keys[k] = true
		}
		for k := range keys {
			ps, _ := propertyOf(s, k)
			if ps != nil && (ps.ReadOnly || ps.WriteOnly) {
				continue
			}
			bv, hadB := b[k]
			av, hasA := a[k]
			if hadB != hasA || !kept(bv, av, ps) {
				return false
			}
		}
		return true
	case []any:
		a, ok := after.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		var item *openapi3.Schema
		if s != nil && s.Items != nil {
			item = s.Items.Value
		}
		for i := range b {
			if !kept(b[i], a[i], item) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(before, after)
}

// sameNumber compares two JSON numbers by value: 1, 1.0 and 1e0 are one.
func sameNumber(a, b any) bool {
	x, y := scalar(a), scalar(b)
	if x == y {
		return true
	}
	fx, errX := strconv.ParseFloat(x, 64)
	fy, errY := strconv.ParseFloat(y, 64)
	return errX == nil && errY == nil && fx == fy
}

// show prints a value of a field for a message, "absent" when the field
// is not there.
func show(v any, has bool) string {
	if !has {
		return "absent"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return snippet(b)
}

// decodeObject decodes a JSON object, numbers as json.Number.
func decodeObject(body []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}
