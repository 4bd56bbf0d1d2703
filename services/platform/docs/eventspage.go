package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// eventsPage is what the events page shows.
type eventsPage struct {
	Service, Title, Version string
	Description             template.HTML
	Envelope                *envelope
	Published, Consumed     []pageEvent
}

// All is every event type of the page, the published first.
func (p eventsPage) All() []pageEvent { return append(slices.Clip(p.Published), p.Consumed...) }

// envelope is the CloudEvents trait the messages share.
type envelope struct {
	Description template.HTML
	Headers     []field
}

// pageEvent is one event type.
type pageEvent struct {
	Type, Anchor, Title, Summary, ContentType string
	Description, Operation                    template.HTML
	// Publisher is the service whose events a consumed type is; Queue is
	// the durable consumer that receives it.
	Publisher, Queue string
	// RecordedBy are the HTTP operations whose success records a
	// published type.
	RecordedBy      []string
	Fields          []field
	Example, Schema string
}

// field is one value of a payload or of the headers.
type field struct {
	Name, Type, Rules string
	Required          bool
	Description       template.HTML
}

// renderEvents renders the events page of contract, an AsyncAPI 3
// document as JSON.
func renderEvents(title string, contract []byte, recordedBy map[string][]string) ([]byte, error) {
	var doc asyncDoc
	if err := json.Unmarshal(contract, &doc); err != nil {
		return nil, fmt.Errorf("docs: the event contract: %w", err)
	}
	if !strings.HasPrefix(doc.AsyncAPI, "3.") {
		return nil, fmt.Errorf("docs: the event contract is not AsyncAPI 3 (asyncapi: %q)", doc.AsyncAPI)
	}
	p := eventsPage{Service: title, Title: doc.Info.Title, Version: doc.Info.Version, Description: prose(doc.Info.Description)}
	channels := map[string]asyncChannel{}
	if err := each(doc.Channels, func(id string, c asyncChannel) error { channels[id] = c; return nil }); err != nil {
		return nil, fmt.Errorf("docs: the event contract's channels: %w", err)
	}
	err := each(doc.Operations, func(id string, op asyncOperation) error {
		chID := strings.TrimPrefix(op.Channel.Ref, "#/channels/")
		ch, ok := channels[chID]
		if !ok {
			return fmt.Errorf("its channel %q is not in the document", op.Channel.Ref)
		}
		e, env, err := event(ch, op)
		if err != nil {
			return err
		}
		if op.Action != "receive" {
			e.RecordedBy = recordedBy[e.Type]
		}
		if p.Envelope == nil {
			p.Envelope = env
		}
		if op.Action == "receive" {
			p.Consumed = append(p.Consumed, e)
		} else {
			p.Published = append(p.Published, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("docs: the event contract's operations: %w", err)
	}
	var b bytes.Buffer
	if err := eventsTemplate.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("docs: the events page: %w", err)
	}
	return b.Bytes(), nil
}

// event describes the event type of channel ch as operation op uses it,
// and the envelope its message's trait describes.
func event(ch asyncChannel, op asyncOperation) (pageEvent, *envelope, error) {
	e := pageEvent{
		Type: ch.Address, Anchor: "event-" + ch.Address, Title: ch.Title,
		Description: prose(ch.Description), Operation: inline(firstOf(op.Summary, op.Description)),
		Queue: op.Bindings.NATS.Queue,
	}
	if parts := strings.Split(ch.Address, "."); len(parts) > 2 {
		e.Publisher = parts[1]
	}
	var env *envelope
	err := each(ch.Messages, func(_ string, m asyncMessage) error {
		e.Summary = firstOf(m.Summary, m.Title)
		e.ContentType = m.ContentType
		for _, t := range m.Traits {
			if e.ContentType == "" {
				e.ContentType = t.ContentType
			}
			if env == nil && t.Description != "" {
				env = &envelope{Description: prose(t.Description)}
				if len(t.Headers) > 0 {
					var h jsonSchema
					if err := json.Unmarshal(t.Headers, &h); err != nil {
						return err
					}
					env.Headers = fields(h, "")
				}
			}
		}
		raw, err := m.payloadSchema()
		if err != nil || raw == nil {
			return err
		}
		var s jsonSchema
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		e.Fields = fields(s, "")
		e.Schema = indent(raw)
		if len(s.Example) > 0 {
			e.Example = indent(s.Example)
		}
		return nil
	})
	if err != nil {
		return e, nil, fmt.Errorf("channel %s: %w", ch.Address, err)
	}
	return e, env, nil
}

// fields lists the properties of an object schema, those of nested
// objects and array items under dotted names (lines[].material_id).
func fields(s jsonSchema, prefix string) []field {
	var out []field
	_ = each(s.Properties, func(name string, p jsonSchema) error {
		p = merged(p)
		f := field{
			Name: prefix + name, Type: typeOf(p), Rules: rules(p),
			Required: slices.Contains(s.Required, name), Description: prose(p.Description),
		}
		out = append(out, f)
		out = append(out, fields(p, f.Name+".")...)
		if len(p.Items) > 0 {
			var items jsonSchema
			if json.Unmarshal(p.Items, &items) == nil {
				out = append(out, fields(merged(items), f.Name+"[].")...)
			}
		}
		return nil
	})
	return out
}

// merged folds an allOf into the schema, as a reader of its fields sees it.
func merged(s jsonSchema) jsonSchema {
	for _, raw := range s.AllOf {
		var part jsonSchema
		if json.Unmarshal(raw, &part) != nil {
			continue
		}
		part = merged(part)
		if s.Type == nil {
			s.Type = part.Type
		}
		if s.Format == "" {
			s.Format = part.Format
		}
		if s.Description == "" {
			s.Description = part.Description
		}
		s.Required = append(s.Required, part.Required...)
		if len(s.Properties.keys) == 0 {
			s.Properties = part.Properties
		}
	}
	return s
}

// typeOf names a schema's type as a reader writes it: integer (int64),
// array of object, string or null.
func typeOf(s jsonSchema) string {
	var t string
	switch v := s.Type.(type) {
	case string:
		t = v
	case []any:
		var names []string
		for _, n := range v {
			names = append(names, fmt.Sprint(n))
		}
		t = strings.Join(names, " or ")
	}
	if t == "" && (len(s.OneOf) > 0 || len(s.AnyOf) > 0) {
		t = "one of several"
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if t == "array" && len(s.Items) > 0 {
		var items jsonSchema
		if json.Unmarshal(s.Items, &items) == nil {
			t += " of " + typeOf(merged(items))
		}
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}

// rules says what values a schema allows beyond its type.
func rules(s jsonSchema) string {
	var r []string
	if s.Const != nil {
		r = append(r, "always "+literal(s.Const))
	}
	if len(s.Enum) > 0 {
		var vs []string
		for _, v := range s.Enum {
			vs = append(vs, literal(v))
		}
		r = append(r, "one of "+strings.Join(vs, ", "))
	}
	if s.Minimum != nil {
		op := "≥ "
		if b, ok := s.ExclusiveMinimum.(bool); ok && b {
			op = "> "
		}
		r = append(r, op+number(*s.Minimum))
	} else if v, ok := s.ExclusiveMinimum.(float64); ok {
		r = append(r, "> "+number(v))
	}
	if s.Maximum != nil {
		op := "≤ "
		if b, ok := s.ExclusiveMaximum.(bool); ok && b {
			op = "< "
		}
		r = append(r, op+number(*s.Maximum))
	} else if v, ok := s.ExclusiveMaximum.(float64); ok {
		r = append(r, "< "+number(v))
	}
	if s.MinLength != nil || s.MaxLength != nil {
		r = append(r, span(s.MinLength, s.MaxLength, "characters"))
	}
	if s.MinItems != nil || s.MaxItems != nil {
		r = append(r, span(s.MinItems, s.MaxItems, "items"))
	}
	if s.Pattern != "" {
		r = append(r, "matches "+s.Pattern)
	}
	if s.ReadOnly {
		r = append(r, "set by the service")
	}
	return strings.Join(r, "; ")
}

func span(lo, hi *int, unit string) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%d to %d %s", *lo, *hi, unit)
	case lo != nil:
		return fmt.Sprintf("at least %d %s", *lo, unit)
	default:
		return fmt.Sprintf("at most %d %s", *hi, unit)
	}
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func literal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func indent(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

var (
	fence      = regexp.MustCompile("(?s)```[a-z]*\n(.*?)```")
	inlineCode = regexp.MustCompile("`([^`]+)`")
	strong     = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// prose renders the little Markdown the contracts' descriptions use:
// paragraphs, fenced code, `code` and **strong**.
func prose(s string) template.HTML {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var b strings.Builder
	rest := s
	for rest != "" {
		loc := fence.FindStringSubmatchIndex(rest)
		text := rest
		if loc != nil {
			text = rest[:loc[0]]
		}
		for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				b.WriteString("<p>" + string(inline(para)) + "</p>")
			}
		}
		if loc == nil {
			break
		}
		b.WriteString("<pre>" + template.HTMLEscapeString(rest[loc[2]:loc[3]]) + "</pre>")
		rest = rest[loc[1]:]
	}
	return template.HTML(b.String())
}

// inline renders text within a paragraph: `code` and **strong**.
func inline(s string) template.HTML {
	h := template.HTMLEscapeString(s)
	h = inlineCode.ReplaceAllString(h, "<code>$1</code>")
	return template.HTML(strong.ReplaceAllString(h, "<strong>$1</strong>"))
}

var eventsTemplate = template.Must(template.New("events").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Service}} events</title>
<style>
body { font-family: sans-serif; margin: 0 auto; max-width: 70em; padding: 1em 2em; color: #222; line-height: 1.4; }
h1 small { font-weight: normal; color: #666; font-size: 0.6em; }
nav { background: #f0f4f8; padding: 0.6em 1em; border: 1px solid #d8e0e8; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
td p, dd p { margin: 0 0 0.4em; }
code, pre { background: #f4f4f4; font-size: 0.9em; }
pre { padding: 0.6em; overflow-x: auto; }
section.event { border-top: 2px solid #d8e0e8; margin-top: 2em; }
.type { font-family: monospace; }
h2.type { font-size: 1.3em; }
.required { color: #b00; font-size: 0.85em; }
</style>
</head>
<body>
<h1>{{.Title}} <small>version {{.Version}}, AsyncAPI 3</small></h1>
<nav><a href="/docs">HTTP API</a> · contract: <a href="/events.yaml">/events.yaml</a>, <a href="/events.json">/events.json</a></nav>
{{.Description}}

<h2 id="published">Published</h2>
{{if .Published}}<p>Events {{.Service}} publishes. The event type is also the channel's address and the NATS subject.</p>
<table>
<tr><th>Event type</th><th>What happened</th><th>When</th></tr>
{{range .Published}}<tr><td class="type"><a href="#{{.Anchor}}">{{.Type}}</a></td><td>{{.Description}}</td><td>{{.Operation}}</td></tr>
{{end}}</table>{{else}}<p>{{.Service}} publishes no events.</p>{{end}}

<h2 id="consumed">Consumed</h2>
{{if .Consumed}}<p>Events of other services that {{.Service}} receives.</p>
<table>
<tr><th>Event type</th><th>Published by</th><th>Consumer</th><th>What {{.Service}} does with it</th></tr>
{{range .Consumed}}<tr><td class="type"><a href="#{{.Anchor}}">{{.Type}}</a></td><td>{{.Publisher}}</td><td>{{.Queue}}</td><td>{{.Operation}}</td></tr>
{{end}}</table>{{else}}<p>{{.Service}} consumes no events.</p>{{end}}

{{with .Envelope}}<h2 id="envelope">Envelope</h2>
{{.Description}}
{{if .Headers}}<h3>NATS headers</h3>
<table>
<tr><th>Header</th><th>Type</th><th>Values</th><th>Description</th></tr>
{{range .Headers}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="required">required</span>{{end}}</td><td>{{.Type}}</td><td>{{.Rules}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}{{end}}

{{range .All}}<section class="event" id="{{.Anchor}}">
<h2 class="type">{{.Type}}</h2>
<p><strong>{{.Title}}.</strong> {{.Summary}}</p>
{{.Description}}
<p>{{if .Queue}}Received from {{.Publisher}} by the durable consumer <code>{{.Queue}}</code>: {{end}}{{.Operation}}</p>
{{if .RecordedBy}}<p>Recorded by every successful {{range $i, $r := .RecordedBy}}{{if $i}}, {{end}}<code>{{$r}}</code>{{end}}, as its <code>x-events</code> declares.</p>{{end}}
<p>Subject (NATS): <code>{{.Type}}</code>. Payload (the CloudEvent's <code>data</code>): <code>{{.ContentType}}</code>.</p>
{{if .Fields}}<table>
<tr><th>Field</th><th>Type</th><th>Values</th><th>Description</th></tr>
{{range .Fields}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="required">required</span>{{end}}</td><td>{{.Type}}</td><td>{{.Rules}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
{{if .Example}}<details><summary>Example payload</summary><pre>{{.Example}}</pre></details>{{end}}
<details><summary>Payload schema</summary><pre>{{.Schema}}</pre></details>
</section>
{{end}}
</body>
</html>
`))
