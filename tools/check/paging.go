package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// maxPages bounds a walk through a list. A walk cut short judges only the
// items it saw twice.
const maxPages = 50

// The names by which a list's parameters and fields say how it pages,
// compared without case.
var (
	offsetParams = []string{"offset", "skip", "start"}
	pageParams   = []string{"page", "page_number", "pagenumber"}
	cursorParams = []string{"cursor", "page_token", "pagetoken", "after", "starting_after", "continuation_token", "continuationtoken"}
	sizeParams   = []string{"limit", "page_size", "pagesize", "per_page", "perpage", "size", "max_results", "maxresults", "take"}
	cursorFields = []string{"next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "cursor", "continuation_token", "continuationtoken"}
	linkFields   = []string{"next", "next_url", "nexturl", "next_link", "nextlink", "next_page_url", "nextpageurl"}
	countFields  = []string{"count", "total", "total_count", "totalcount", "total_items", "totalitems", "total_results", "totalresults"}
	itemFields   = []string{"items", "data", "results", "records", "entries", "values"}
)

// paging is how a list operation pages, as its query parameters say: the
// parameter that moves through the pages (an offset, a page number or a
// cursor), and the one that sizes a page. A next link (a Link header
// with rel="next", or a next field in the body) is followed wherever the
// API gives one.
type paging struct {
	kind     string // "offset", "page", "cursor", or "" for links alone
	position *openapi3.Parameter
	size     *openapi3.Parameter
}

func (o *operation) paging() paging {
	var pg paging
	for _, p := range o.params {
		if p.In != openapi3.ParameterInQuery {
			continue
		}
		name := strings.ToLower(p.Name)
		switch {
		case pg.position == nil && slices.Contains(offsetParams, name) && typed(paramSchema(p)):
			pg.kind, pg.position = "offset", p
		case pg.position == nil && slices.Contains(pageParams, name) && typed(paramSchema(p)):
			pg.kind, pg.position = "page", p
		case pg.position == nil && slices.Contains(cursorParams, name):
			pg.kind, pg.position = "cursor", p
		case pg.size == nil && slices.Contains(sizeParams, name):
			pg.size = p
		}
	}
	return pg
}

// walkOdds is how many of the stateful steps that list a collection walk
// all of it, one in walkOdds: a walk costs requests in proportion to the
// whole collection, which grows through a run, and a walk of every list
// step took the planted server's run from 3,000 requests to 4,000 and
// its throughput down by half.
const walkOdds = 4

// pageable reports whether a stateful step of o walks every page of a
// list instead of sending one request: o gets a collection whose items a
// GET reads, pages_complete is being checked, and the step is drawn to.
// While shrinking the failure of another check, a walk would only cost
// requests, more the more the page size shrinks towards one; the step
// then sends its first page alone, which it draws the same way. The draw
// comes first, so that each case draws the same whichever check is being
// hunted.
func (r *runner) pageable(c *caseRun, o *operation, t *rapid.T) (string, bool) {
	if o.method != http.MethodGet || len(o.itemParams()) > 0 {
		return "", false
	}
	if get, _ := r.itemGet(o.path); get == nil {
		return "", false
	}
	walk := index(t, walkOdds, "walk") == 0
	if !walk || !c.p.active(PagesComplete) || c.p.target != "" && c.p.target != PagesComplete {
		return "", false
	}
	return o.path, true
}

// walk is pages_complete: it lists coll from its first page, following
// the API's paging to the last, and checks that no item comes twice and,
// once the walk is complete, that the pages hold as many items as their
// count says and every item the identity's sequences created and a GET
// last found (when nothing but paging narrows the list). The checker is the only writer,
// so the list cannot change while it is walked.
func (r *runner) walk(c *caseRun, w *world, o *operation, coll string, t *rapid.T) {
	pg := o.paging()
	v := o.draw(t, nil)
	if pg.position != nil {
		delete(v.query, pg.position.Name)
	}
	narrowed := false
	for name := range v.query {
		if (pg.position == nil || name != pg.position.Name) && (pg.size == nil || name != pg.size.Name) {
			narrowed = true
		}
	}
	size, sized := pageSize(pg, v)
	position := firstPage(pg)
	cred := w.as.credential(o.scopes)
	fields := r.idFields(coll)
	seen := map[string]int{}
	var targets []string
	count, counted := int64(0), false
	next := ""
	complete := false
	for len(targets) < maxPages && !complete {
		req := o.build(v, cred)
		if next != "" {
			req.Target = next
		}
		res := c.send(req)
		targets = append(targets, req.Target)
		page := len(targets)
		c.verify(o.id, o.conform(req, res)...)
		c.verify(o.id, r.accepted(o, res))
		if res.status < 200 || res.status > 299 {
			return
		}
		body, items, ok := pageItems(res.body)
		if !ok {
			return
		}
		for _, it := range items {
			id := itemID(it, fields)
			if id == "" {
				// Items without an id cannot be told apart.
				return
			}
			if first, dup := seen[id]; dup {
				c.verify(o.id, fail(PagesComplete, "item %s is on page %d (GET %s) and again on page %d (GET %s)",
					id, first, targets[first-1], page, req.Target))
				return
			}
			seen[id] = page
		}
		if n, ok := countOf(body); ok {
			if counted && n != count {
				c.verify(o.id, fail(PagesComplete, "the count is %d on page 1 (GET %s) and %d on page %d (GET %s), with no write between",
					count, targets[0], n, page, req.Target))
				return
			}
			count, counted = n, true
		}
		if !sized {
			if n, ok := intField(body, "limit"); ok && n > 0 {
				size, sized = n, true
			}
		}
		if counted && sized && len(targets)+int((count-int64(len(seen))+size-1)/size) > maxPages {
			// The walk could not end within maxPages: it would cost
			// the requests and judge nothing but duplicates.
			return
		}
		if link := nextLink(res.header, body); link != "" {
			next = link
			continue
		}
		if next != "" {
			// The links led here and lead no further.
			complete = true
			continue
		}
		last := len(items) == 0 || sized && int64(len(items)) < size
		switch pg.kind {
		case "cursor":
			cur := cursorOf(body)
			complete = cur == ""
			v.query[pg.position.Name] = cur
		case "offset":
			position += int64(len(items))
			complete = last
			v.query[pg.position.Name] = position
		case "page":
			position++
			complete = last
			v.query[pg.position.Name] = position
		default:
			// No paging the checker knows: the page is the whole
			// list only when its count says so.
			if !counted || int64(len(seen)) != count {
				return
			}
			complete = true
		}
		if !complete && beyond(pg.position, position) {
			return
		}
	}
	if !complete {
		return
	}
	walked := fmt.Sprintf("%d page(s), GET %s to GET %s", len(targets), targets[0], targets[len(targets)-1])
	if counted && int64(len(seen)) != count {
		c.verify(o.id, fail(PagesComplete, "the count is %d, but walking every page shows %d item(s): %s", count, len(seen), walked))
		return
	}
	if !narrowed {
		for _, k := range slices.Sorted(maps.Keys(w.found)) {
			kc, id, _ := strings.Cut(k, " ")
			if _, ok := seen[id]; !ok && kc == coll {
				c.verify(o.id, fail(PagesComplete, "%s is not on any page, though the run created it and the last GET of it found it: %s", id, walked))
				return
			}
		}
	}
	c.verify(o.id, pass(PagesComplete))
}

// pageSize returns how many items a full page holds: the size the
// request sends, or its parameter's default.
func pageSize(pg paging, v *values) (int64, bool) {
	if pg.size == nil {
		return 0, false
	}
	if x, ok := v.query[pg.size.Name]; ok {
		n, err := strconv.ParseInt(scalar(x), 10, 64)
		return n, err == nil && n > 0
	}
	if s := paramSchema(pg.size); s.Default != nil {
		n, err := strconv.ParseInt(scalar(s.Default), 10, 64)
		return n, err == nil && n > 0
	}
	return 0, false
}

// firstPage returns the number of the first page: the page parameter's
// default, else its minimum, else 1. An offset starts at 0.
func firstPage(pg paging) int64 {
	if pg.kind != "page" {
		return 0
	}
	s := paramSchema(pg.position)
	if s.Default != nil {
		if n, err := strconv.ParseInt(scalar(s.Default), 10, 64); err == nil {
			return n
		}
	}
	if s.Min != nil {
		return int64(*s.Min)
	}
	return 1
}

// beyond reports whether position is past what the parameter's schema
// allows, where the walk must stop short.
func beyond(p *openapi3.Parameter, position int64) bool {
	if p == nil {
		return false
	}
	s := paramSchema(p)
	return s.Max != nil && float64(position) > *s.Max
}

// pageItems decodes a page: its items, from the body when it is an
// array, else from its array field (items, data, ...).
func pageItems(b []byte) (body map[string]any, items []any, ok bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil, nil, false
	}
	switch x := v.(type) {
	case []any:
		return nil, x, true
	case map[string]any:
		var arrays []string
		for k, f := range x {
			if _, ok := f.([]any); ok {
				arrays = append(arrays, k)
			}
		}
		for _, name := range itemFields {
			for _, k := range arrays {
				if strings.ToLower(k) == name {
					return x, x[k].([]any), true
				}
			}
		}
		if len(arrays) == 1 {
			return x, x[arrays[0]].([]any), true
		}
	}
	return nil, nil, false
}

// itemID returns the id of a listed item, "" when it has none.
func itemID(item any, fields []string) string {
	obj, ok := item.(map[string]any)
	if !ok {
		return ""
	}
	for _, f := range fields {
		if v, ok := obj[f]; ok && v != nil {
			return scalar(v)
		}
	}
	return ""
}

// field returns the body's field whose name, without case, is among
// names.
func field(body map[string]any, names []string) (any, bool) {
	for k, v := range body {
		if slices.Contains(names, strings.ToLower(k)) {
			return v, true
		}
	}
	return nil, false
}

func intField(body map[string]any, name string) (int64, bool) {
	v, ok := field(body, []string{name})
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(scalar(v), 10, 64)
	return n, err == nil
}

// countOf returns the total the page gives for the whole list.
func countOf(body map[string]any) (int64, bool) {
	v, ok := field(body, countFields)
	if !ok {
		return 0, false
	}
	if _, isNum := v.(json.Number); !isNum {
		return 0, false
	}
	n, err := strconv.ParseInt(scalar(v), 10, 64)
	return n, err == nil
}

// cursorOf returns the cursor of the next page, "" on the last.
func cursorOf(body map[string]any) string {
	v, ok := field(body, cursorFields)
	if !ok || v == nil {
		return ""
	}
	return scalar(v)
}

// nextLink returns the request target of the next page, from a Link
// header with rel="next" or a next field of the body holding a URL or a
// path (also as links.next, _links.next.href); "" on the last page.
func nextLink(h http.Header, body map[string]any) string {
	for _, header := range h.Values("Link") {
		for _, part := range strings.Split(header, ",") {
			ref, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !strings.HasPrefix(ref, "<") || !strings.HasSuffix(ref, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && slices.Contains(strings.Fields(strings.ToLower(strings.Trim(val, `"`))), "next") {
					return requestTarget(ref[1 : len(ref)-1])
				}
			}
		}
	}
	if body == nil {
		return ""
	}
	candidates := []any{}
	if v, ok := field(body, linkFields); ok {
		candidates = append(candidates, v)
	}
	for _, name := range []string{"links", "_links"} {
		if links, ok := body[name].(map[string]any); ok {
			candidates = append(candidates, links["next"])
		}
	}
	for _, c := range candidates {
		if m, ok := c.(map[string]any); ok {
			c = m["href"]
		}
		if s, ok := c.(string); ok && (strings.HasPrefix(s, "/") || strings.HasPrefix(s, "http")) {
			return requestTarget(s)
		}
	}
	return ""
}

// requestTarget turns a link into the path and query the checker sends.
func requestTarget(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return u.RequestURI()
}
