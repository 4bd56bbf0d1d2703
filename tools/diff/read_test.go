package diff

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// TestReaderAgreesWithLibopenapi reads every spec of the corpus and of the
// repository both with the reader and into libopenapi's high-level model,
// and requires the two to hold the same values for everything the rules
// compare: the reader replaces that model, it must not read the documents
// differently.
func TestReaderAgreesWithLibopenapi(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Glob("../../api/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, repo...) {
		if !isSpecFile(f) {
			continue // expect.yaml, shared fragments, the ignore file
		}
		t.Run(f, func(t *testing.T) {
			spec, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			model := highModel(t, f)
			var diffs []string
			agree(&diffs, "", spec.doc, model)
			if len(diffs) > 0 {
				t.Errorf("the reader and libopenapi disagree:\n%s", strings.Join(diffs, "\n"))
			}
		})
	}
}

func highModel(t *testing.T, path string) *v3.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	doc, err := libopenapi.NewDocumentWithConfiguration(data, &datamodel.DocumentConfiguration{
		BasePath:                            filepath.Dir(abs),
		SpecFilePath:                        filepath.Base(abs),
		AllowFileReferences:                 true,
		IgnorePolymorphicCircularReferences: true,
		IgnoreArrayCircularReferences:       true,
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := doc.BuildV3Model()
	if m == nil {
		t.Fatal(err)
	}
	return &m.Model
}

// check records a disagreement at where.
func check[T comparable](diffs *[]string, where, what string, got, want T) {
	if got != want {
		*diffs = append(*diffs, fmt.Sprintf("%s %s: reader %v, libopenapi %v", where, what, got, want))
	}
}

func agree(diffs *[]string, where string, d *document, m *v3.Document) {
	check(diffs, where, "version", d.version, m.Info.Version)
	check(diffs, where, "security", formatSecurity(d.security), formatSecurity(alternatives(m.Security)))
	agreePaths(diffs, "/paths", d.paths, m.Paths.PathItems)
	if m.Webhooks != nil || len(d.webhooks) > 0 {
		agreePaths(diffs, "/webhooks", d.webhooks, m.Webhooks)
	}
}

func alternatives(reqs []*base.SecurityRequirement) []alternative {
	var alts []alternative
	for _, r := range reqs {
		a := alternative{}
		for name, scopes := range r.Requirements.FromOldest() {
			a[name] = scopes
		}
		alts = append(alts, a)
	}
	return alts
}

func agreePaths(diffs *[]string, where string, items []*pathItem, m *orderedmap.Map[string, *v3.PathItem]) {
	check(diffs, where, "count", len(items), mapLen(m))
	i := 0
	for path, mi := range m.FromOldest() {
		if i >= len(items) {
			break
		}
		item := items[i]
		i++
		at := pointer(where, path)
		check(diffs, at, "path", item.path, path)
		agreeParams(diffs, at+"/parameters", item.params, mi.Parameters)
		ops := mi.GetOperations()
		check(diffs, at, "operations", len(item.ops), mapLen(ops))
		j := 0
		for method, mop := range ops.FromOldest() {
			if j >= len(item.ops) {
				break
			}
			agreeOperation(diffs, pointer(at, method), item.ops[j], method, mop)
			j++
		}
	}
}

func agreeOperation(diffs *[]string, at string, op *operation, method string, m *v3.Operation) {
	check(diffs, at, "method", op.method, method)
	check(diffs, at, "operationId", op.id, m.OperationId)
	check(diffs, at, "deprecated", op.deprecated, m.Deprecated != nil && *m.Deprecated)
	check(diffs, at, "x-sunset", op.sunset, extension(m.Extensions))
	declares := m.Security != nil || m.GoLow() != nil && !m.GoLow().Security.IsEmpty()
	check(diffs, at, "declares security", op.declaresSecurity, declares)
	if declares {
		check(diffs, at, "security", formatSecurity(op.security), formatSecurity(alternatives(m.Security)))
	}
	agreeParams(diffs, at+"/parameters", op.params, m.Parameters)
	check(diffs, at, "callbacks", len(op.callbacks), mapLen(m.Callbacks))
	i := 0
	for name, mc := range m.Callbacks.FromOldest() {
		if i < len(op.callbacks) {
			check(diffs, at, "callback", op.callbacks[i].name, name)
			agreePaths(diffs, pointer(at, "callbacks", name), op.callbacks[i].paths, mc.Expression)
		}
		i++
	}
	check(diffs, at, "has a request body", op.body != nil, m.RequestBody != nil)
	if op.body != nil && m.RequestBody != nil {
		check(diffs, at, "request body required", op.body.required, m.RequestBody.Required != nil && *m.RequestBody.Required)
		agreeContent(diffs, at+"/requestBody/content", op.body.content, m.RequestBody.Content)
	}
	check(diffs, at, "has responses", op.responses != nil, m.Responses != nil)
	if op.responses == nil || m.Responses == nil {
		return
	}
	var codes []string
	var resps []*v3.Response
	for code, r := range m.Responses.Codes.FromOldest() {
		codes, resps = append(codes, code), append(resps, r)
	}
	if m.Responses.Default != nil {
		codes, resps = append(codes, "default"), append(resps, m.Responses.Default)
	}
	check(diffs, at, "responses", len(op.responses.codes), len(codes))
	for i, r := range op.responses.codes {
		if i >= len(codes) {
			break
		}
		rat := pointer(at, "responses", codes[i])
		check(diffs, rat, "code", r.code, codes[i])
		check(diffs, rat, "headers", len(r.headers), mapLen(resps[i].Headers))
		k := 0
		for name, h := range resps[i].Headers.FromOldest() {
			if k < len(r.headers) {
				check(diffs, rat, "header", r.headers[k].name, name)
				agreeSchema(diffs, pointer(rat, "headers", name), r.headers[k].schema, h.Schema, map[*schema]bool{})
			}
			k++
		}
		agreeContent(diffs, rat+"/content", r.content, resps[i].Content)
	}
}

func extension(ext *orderedmap.Map[string, *yaml.Node]) string {
	if n, ok := ext.Get(sunsetKey); ok && n != nil {
		return n.Value
	}
	return ""
}

func agreeParams(diffs *[]string, at string, ps []*parameter, m []*v3.Parameter) {
	check(diffs, at, "count", len(ps), len(m))
	for i, p := range ps {
		if i >= len(m) {
			break
		}
		mp := m[i]
		pat := pointer(at, itoa(i))
		check(diffs, pat, "name", p.name, mp.Name)
		check(diffs, pat, "in", p.in, mp.In)
		check(diffs, pat, "required", p.required, mp.Required != nil && *mp.Required)
		check(diffs, pat, "deprecated", p.deprecated, mp.Deprecated)
		check(diffs, pat, "x-sunset", p.sunset, extension(mp.Extensions))
		check(diffs, pat, "style", p.style, mp.Style)
		check(diffs, pat, "explode", fmt.Sprint(p.explode != nil && *p.explode), fmt.Sprint(mp.Explode != nil && *mp.Explode))
		check(diffs, pat, "allowReserved", p.allowReserved, mp.AllowReserved)
		ms := mp.Schema
		if ms == nil {
			for _, m := range mp.Content.FromOldest() {
				ms = m.Schema
				break
			}
		}
		agreeSchema(diffs, pat+p.schemaAt, p.schema, ms, map[*schema]bool{})
	}
}

func agreeContent(diffs *[]string, at string, content []namedSchema, m *orderedmap.Map[string, *v3.MediaType]) {
	check(diffs, at, "media types", len(content), mapLen(m))
	i := 0
	for mt, mm := range m.FromOldest() {
		if i < len(content) {
			check(diffs, at, "media type", content[i].name, mt)
			agreeSchema(diffs, pointer(at, mt, "schema"), content[i].schema, mm.Schema, map[*schema]bool{})
		}
		i++
	}
}

// agreeSchema compares a schema read by the reader with libopenapi's,
// keyword by keyword and into subschemas; seen stops on recursive schemas.
func agreeSchema(diffs *[]string, at string, r schemaRef, p *base.SchemaProxy, seen map[*schema]bool) {
	check(diffs, at, "has a schema", r.s != nil, p != nil)
	if r.s == nil || p == nil {
		return
	}
	// The reader qualifies a $ref written in another file with that
	// file's path (reader.qualified); libopenapi keeps it as written.
	ref, written := r.ref, p.GetReference()
	if written != "" && strings.HasSuffix(ref, written) {
		ref = written
	}
	check(diffs, at, "$ref", ref, written)
	if seen[r.s] {
		return
	}
	seen[r.s] = true
	s, m := r.s, p.Schema()
	if m == nil {
		*diffs = append(*diffs, at+": libopenapi builds no schema")
		return
	}
	check(diffs, at, "type", strings.Join(s.types, ","), strings.Join(m.Type, ","))
	check(diffs, at, "nullable", s.nullable, m.Nullable != nil && *m.Nullable)
	check(diffs, at, "format", s.format, m.Format)
	bounds := map[string]*float64{
		"maximum": m.Maximum, "minimum": m.Minimum,
		"maxLength": intFloat(m.MaxLength), "minLength": intFloat(m.MinLength),
		"maxItems": intFloat(m.MaxItems), "minItems": intFloat(m.MinItems),
		"maxProperties": intFloat(m.MaxProperties), "minProperties": intFloat(m.MinProperties),
	}
	// libopenapi keeps the 3.0 flags; the reader turns a flagged bound
	// into the 3.1 exclusive one.
	xmax, xmaxOn := libExclusive(m.ExclusiveMaximum)
	xmin, xminOn := libExclusive(m.ExclusiveMinimum)
	bounds["exclusiveMaximum"], bounds["exclusiveMinimum"] = xmax, xmin
	if xmaxOn && m.Maximum != nil {
		bounds["exclusiveMaximum"], bounds["maximum"] = m.Maximum, nil
	}
	if xminOn && m.Minimum != nil {
		bounds["exclusiveMinimum"], bounds["minimum"] = m.Minimum, nil
	}
	for i, b := range boundKeywords {
		check(diffs, at, b.name, fmtFloat(s.bounds[i]), fmtFloat(bounds[b.name]))
	}
	check(diffs, at, "multipleOf", fmtFloat(s.multipleOf), fmtFloat(m.MultipleOf))
	check(diffs, at, "uniqueItems", s.uniqueItems, m.UniqueItems != nil && *m.UniqueItems)
	check(diffs, at, "pattern", s.pattern, m.Pattern)
	var enum []string
	for _, e := range m.Enum {
		enum = append(enum, nodeString(e))
	}
	check(diffs, at, "enum", strings.Join(s.enum, "|"), strings.Join(enum, "|"))
	check(diffs, at, "default", fmt.Sprint(s.hasDefault, s.def), fmt.Sprint(m.Default != nil, nodeString(m.Default)))
	check(diffs, at, "const", fmt.Sprint(s.hasConst, s.constant), fmt.Sprint(m.Const != nil, nodeString(m.Const)))
	check(diffs, at, "required", strings.Join(s.required, ","), strings.Join(m.Required, ","))
	check(diffs, at, "readOnly", s.readOnly, m.ReadOnly != nil && *m.ReadOnly)
	check(diffs, at, "writeOnly", s.writeOnly, m.WriteOnly != nil && *m.WriteOnly)
	check(diffs, at, "deprecated", s.deprecated, m.Deprecated != nil && *m.Deprecated)
	check(diffs, at, "x-sunset", s.sunset, extension(m.Extensions))
	ap := m.AdditionalProperties
	check(diffs, at, "additionalProperties closed", s.additionalClosed, ap != nil && ap.IsB() && !ap.B)
	check(diffs, at, "additionalProperties schema", s.additional != nil, ap != nil && ap.IsA())
	if s.additional != nil && ap != nil && ap.IsA() {
		agreeSchema(diffs, at+"/additionalProperties", *s.additional, ap.A, seen)
	}
	check(diffs, at, "properties", len(s.properties), mapLen(m.Properties))
	i := 0
	for name, mp := range m.Properties.FromOldest() {
		if i < len(s.properties) {
			check(diffs, at, "property", s.properties[i].name, name)
			agreeSchema(diffs, pointer(at, "properties", name), s.properties[i].schema, mp, seen)
		}
		i++
	}
	agreeList(diffs, at+"/allOf", s.allOf, m.AllOf, seen)
	agreeList(diffs, at+"/oneOf", s.oneOf, m.OneOf, seen)
	agreeList(diffs, at+"/anyOf", s.anyOf, m.AnyOf, seen)
	agreeList(diffs, at+"/prefixItems", s.prefixItems, m.PrefixItems, seen)
	items := m.Items
	check(diffs, at, "items", s.items != nil, items != nil && items.IsA())
	check(diffs, at, "items: false", s.itemsClosed, items != nil && items.IsB() && !items.B)
	if s.items != nil && items != nil && items.IsA() {
		agreeSchema(diffs, at+"/items", *s.items, items.A, seen)
	}
	for _, sub := range []struct {
		kw string
		r  *schemaRef
		p  *base.SchemaProxy
	}{{"if", s.ifS, m.If}, {"then", s.thenS, m.Then}, {"else", s.elseS, m.Else}} {
		check(diffs, at, sub.kw, sub.r != nil, sub.p != nil)
		if sub.r != nil && sub.p != nil {
			agreeSchema(diffs, at+"/"+sub.kw, *sub.r, sub.p, seen)
		}
	}
}

func agreeList(diffs *[]string, at string, rs []schemaRef, ps []*base.SchemaProxy, seen map[*schema]bool) {
	check(diffs, at, "count", len(rs), len(ps))
	for i := range min(len(rs), len(ps)) {
		agreeSchema(diffs, pointer(at, itoa(i)), rs[i], ps[i], seen)
	}
}

func intFloat(v *int64) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// libExclusive splits libopenapi's exclusiveMaximum/Minimum into the 3.1
// bound and the 3.0 flag.
func libExclusive(d *base.DynamicValue[bool, float64]) (*float64, bool) {
	if d == nil {
		return nil, false
	}
	if d.IsB() {
		v := d.B
		return &v, false
	}
	return nil, d.A
}

// mapLen is the length of a possibly nil ordered map.
func mapLen[K comparable, V any](m *orderedmap.Map[K, V]) int {
	n := 0
	for range m.FromOldest() {
		n++
	}
	return n
}
