// Package plantedserver is a small widgets API built only for the tests of
// the checker. Each Bug switches on one planted defect, each of the kind
// one check exists to catch; with NoBug the server keeps its contract
// (widgets.yaml) and every check must pass.
package plantedserver

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Spec is the contract of the server.
//
//go:embed widgets.yaml
var Spec []byte

// Bug names one planted defect.
type Bug string

// The planted bugs, one per check.
const (
	// NoBug keeps the contract.
	NoBug Bug = ""
	// EdgeServerError answers 500 to a create whose size is the
	// largest int64.
	EdgeServerError Bug = "edge_500"
	// UndocumentedStatus answers 206 to a list whose limit is over 50.
	UndocumentedStatus Bug = "undocumented_status"
	// MissingField leaves the required count out of a list page when a
	// limit is given.
	MissingField Bug = "missing_field"
	// WrongContentType labels a list filtered by name text/plain.
	WrongContentType Bug = "wrong_content_type"
	// InvalidAccepted lets a create through with a name over 20
	// characters.
	InvalidAccepted Bug = "invalid_accepted"
	// ValidRejected answers 422 to a create whose weight is over 50.
	ValidRejected Bug = "valid_rejected"
	// AuthIgnored serves getWidget without looking at the token.
	AuthIgnored Bug = "auth_ignored"
	// DeletedServed answers 204 to a delete and keeps the widget.
	DeletedServed Bug = "deleted_served"
	// CreatedMissing answers 201 to a create and stores nothing.
	CreatedMissing Bug = "created_missing"
	// UpdateBreaksGet makes getWidget drop created_at from a widget
	// once it has been updated: only create, update, get shows it.
	UpdateBreaksGet Bug = "update_breaks_get"
	// EmptyValueAccepted reads an empty limit (?limit=) as no limit,
	// though no integer is written empty.
	EmptyValueAccepted Bug = "empty_value_accepted"
	// EmptyStringRefused answers 400 to an empty name (?name=), which
	// the name's schema takes.
	EmptyStringRefused Bug = "empty_string_refused"
	// LongTextServerError answers 500 to a create whose note is over
	// 255 characters, as a VARCHAR(255) column would.
	LongTextServerError Bug = "long_text_500"
	// UpdateNotStored answers an update with the size it sent and
	// keeps the size the widget had.
	UpdateNotStored Bug = "update_not_stored"
	// UpdateClearsTags drops a widget's tags on an update, whose body
	// cannot set them.
	UpdateClearsTags Bug = "update_clears_tags"
	// PageSkips starts a page after the first one widget late, so that
	// a walk through the pages misses one at each page break.
	PageSkips Bug = "page_skips"
	// PagesOverlap starts a page after the first one widget early, so
	// that a walk through the pages shows one twice at each page break.
	PagesOverlap Bug = "pages_overlap"
	// TenantLeak serves getWidget a widget of another tenant: it finds
	// the widget by id alone.
	TenantLeak Bug = "tenant_leak"
	// TenantDeleteLeak lets deleteWidget delete a widget of another
	// tenant.
	TenantDeleteLeak Bug = "tenant_delete_leak"
)

// Token returns a bearer token granting scopes, of no tenant.
func Token(scopes []string) string { return "planted:" + strings.Join(scopes, ",") }

// TenantToken returns a minter of bearer tokens of tenant. Each tenant
// sees only the widgets it created.
func TenantToken(tenant string) func(scopes []string) string {
	return func(scopes []string) string { return Token(scopes) + "@" + tenant }
}

type widget struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	Color     *string   `json:"color,omitempty"`
	Weight    *float64  `json:"weight,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	Launched  string    `json:"launched,omitempty"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	updated   bool
	tenant    string
}

type server struct {
	bug    Bug
	doc    *openapi3.T
	mu     sync.Mutex
	next   int64
	stored map[int64]*widget
}

// New returns the server with bug planted (NoBug for none).
func New(bug Bug) http.Handler {
	doc, err := openapi3.NewLoader().LoadFromData(Spec)
	if err != nil {
		panic(err)
	}
	if bug == InvalidAccepted {
		// The server validates against a copy of the contract that
		// lost the name's length limit.
		doc.Components.Schemas["NewWidget"].Value.Properties["name"].Value.MaxLength = nil
	}
	if bug == EmptyValueAccepted {
		// The server validates against a copy of the contract in
		// which an empty limit means none.
		for _, p := range doc.Paths.Value("/widgets").Get.Parameters {
			if p.Value.Name == "limit" {
				p.Value.AllowEmptyValue = true
			}
		}
	}
	s := &server{bug: bug, doc: doc, stored: map[int64]*widget{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /widgets", s.guard("/widgets", "widgets:read", s.list))
	mux.HandleFunc("POST /widgets", s.guard("/widgets", "widgets:write", s.create))
	mux.HandleFunc("GET /widgets/{widget_id}", s.guard("/widgets/{widget_id}", "widgets:read", s.get))
	mux.HandleFunc("PUT /widgets/{widget_id}", s.guard("/widgets/{widget_id}", "widgets:write", s.update))
	mux.HandleFunc("DELETE /widgets/{widget_id}", s.guard("/widgets/{widget_id}", "widgets:write", s.delete))
	return mux
}

// guard checks the token and validates the request against the contract
// before the handler runs.
func (s *server) guard(path, scope string, h http.HandlerFunc) http.HandlerFunc {
	item := s.doc.Paths.Value(path)
	return func(w http.ResponseWriter, r *http.Request) {
		op := item.GetOperation(r.Method)
		skipAuth := s.bug == AuthIgnored && op.OperationID == "getWidget"
		if !skipAuth {
			tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer planted:")
			tok, tenant, _ := strings.Cut(tok, "@")
			r = r.WithContext(context.WithValue(r.Context(), tenantKey{}, tenant))
			if !ok {
				w.Header().Set("WWW-Authenticate", "Bearer")
				problem(w, http.StatusUnauthorized, "missing or bad token")
				return
			}
			if !contains(strings.Split(tok, ","), scope) {
				problem(w, http.StatusForbidden, "needs scope "+scope)
				return
			}
		}
		if q := r.URL.Query(); s.bug == EmptyStringRefused && q.Has("name") && q.Get("name") == "" {
			problem(w, http.StatusBadRequest, "name must not be empty")
			return
		}
		route := &routers.Route{Spec: s.doc, Path: path, PathItem: item, Method: r.Method, Operation: op}
		params := map[string]string{}
		if v := r.PathValue("widget_id"); v != "" {
			params["widget_id"] = v
		}
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			problem(w, http.StatusBadRequest, err.Error())
			return
		}
		h(w, r)
	}
}

// tenantKey holds the tenant of the caller in a request's context.
type tenantKey struct{}

func tenantOf(r *http.Request) string {
	t, _ := r.Context().Value(tenantKey{}).(string)
	return t
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (s *server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	s.mu.Lock()
	items := []*widget{}
	for _, wd := range s.stored {
		if wd.tenant != tenantOf(r) {
			continue
		}
		if _, ok := q["name"]; !ok || wd.Name == q.Get("name") {
			items = append(items, wd)
		}
	}
	s.mu.Unlock()
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	count := len(items)
	offset, _ := strconv.Atoi(q.Get("offset"))
	switch {
	case offset > 0 && s.bug == PageSkips:
		offset++
	case offset > 0 && s.bug == PagesOverlap:
		offset--
	}
	items = items[min(offset, len(items)):]
	if len(items) > limit {
		items = items[:limit]
	}
	page := map[string]any{"items": items, "count": count}
	status := http.StatusOK
	if s.bug == MissingField && q.Has("limit") {
		delete(page, "count")
	}
	if s.bug == UndocumentedStatus && limit > 50 {
		status = http.StatusPartialContent
	}
	ct := "application/json"
	if s.bug == WrongContentType && q.Has("name") {
		ct = "text/plain"
	}
	reply(w, status, ct, page)
}

type input struct {
	Name     string   `json:"name"`
	Size     int64    `json:"size"`
	Color    *string  `json:"color"`
	Weight   *float64 `json:"weight"`
	Tags     []string `json:"tags"`
	Launched string   `json:"launched"`
	Note     string   `json:"note"`
}

func (s *server) create(w http.ResponseWriter, r *http.Request) {
	var in input
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	if s.bug == EdgeServerError && in.Size == math.MaxInt64 {
		problem(w, http.StatusInternalServerError, "size overflowed")
		return
	}
	if s.bug == LongTextServerError && utf8.RuneCountInString(in.Note) > 255 {
		problem(w, http.StatusInternalServerError, "value too long for type character varying(255)")
		return
	}
	if s.bug == ValidRejected && in.Weight != nil && *in.Weight > 50 {
		problem(w, http.StatusUnprocessableEntity, "weight too large")
		return
	}
	s.mu.Lock()
	s.next++
	wd := &widget{ID: s.next, Name: in.Name, Size: in.Size, Color: in.Color, Weight: in.Weight, Tags: in.Tags,
		Launched: in.Launched, Note: in.Note, CreatedAt: time.Now().UTC().Truncate(time.Second), tenant: tenantOf(r)}
	if s.bug != CreatedMissing {
		s.stored[wd.ID] = wd
	}
	s.mu.Unlock()
	w.Header().Set("Location", fmt.Sprintf("/widgets/%d", wd.ID))
	reply(w, http.StatusCreated, "application/json", wd)
}

// find returns the widget the path names, if the caller's tenant created
// it, or answers 404.
func (s *server) find(w http.ResponseWriter, r *http.Request) (*widget, bool) {
	id, _ := strconv.ParseInt(r.PathValue("widget_id"), 10, 64)
	s.mu.Lock()
	wd, ok := s.stored[id]
	s.mu.Unlock()
	leak := (s.bug == TenantLeak && r.Method == http.MethodGet) || (s.bug == TenantDeleteLeak && r.Method == http.MethodDelete)
	if ok && wd.tenant != tenantOf(r) && !leak {
		ok = false
	}
	if !ok {
		problem(w, http.StatusNotFound, "no such widget")
	}
	return wd, ok
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	wd, ok := s.find(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	body, _ := json.Marshal(wd)
	broken := s.bug == UpdateBreaksGet && wd.updated
	s.mu.Unlock()
	if broken {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		delete(m, "created_at")
		reply(w, http.StatusOK, "application/json", m)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", body)
}

func (s *server) update(w http.ResponseWriter, r *http.Request) {
	wd, ok := s.find(w, r)
	if !ok {
		return
	}
	var in input
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	answer := *wd
	answer.Name, answer.Size, answer.Color, answer.updated = in.Name, in.Size, in.Color, true
	if s.bug == UpdateClearsTags {
		answer.Tags = nil
	}
	stored := answer
	if s.bug == UpdateNotStored {
		stored.Size = wd.Size
	}
	*wd = stored
	body, _ := json.Marshal(answer)
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, "application/json", body)
}

func (s *server) delete(w http.ResponseWriter, r *http.Request) {
	wd, ok := s.find(w, r)
	if !ok {
		return
	}
	if s.bug != DeletedServed {
		s.mu.Lock()
		delete(s.stored, wd.ID)
		s.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

func problem(w http.ResponseWriter, status int, detail string) {
	reply(w, status, "application/problem+json", map[string]any{"title": http.StatusText(status), "status": status, "detail": detail})
}

func reply(w http.ResponseWriter, status int, ct string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	writeRaw(w, status, ct, body)
}

func writeRaw(w http.ResponseWriter, status int, ct string, body []byte) {
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
