package asyncapi

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Load reads the AsyncAPI 3 document at path and the files its $refs point
// into, and bundles it.
func Load(path string) (*Document, error) { return Read(path, nil) }

// Read is Load with the files read by read (os.ReadFile when nil), which
// is given absolute paths.
func Read(path string, read func(string) ([]byte, error)) (*Document, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fs := newFiles(read)
	root, err := fs.root(abs)
	if err != nil {
		return nil, err
	}
	src, ok := root.(*Map)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", path)
	}
	if v := fmt.Sprint(src.Get("asyncapi")); !strings.HasPrefix(v, "3.") {
		return nil, fmt.Errorf("%s: not an AsyncAPI 3 document (asyncapi: %v)", path, src.Get("asyncapi"))
	}
	b := &bundler{files: fs}
	bundle := newMap()
	for _, k := range src.Keys {
		var v any
		if k == "operations" {
			v, err = b.operations(abs, src.Values[k])
		} else {
			v, err = b.inline(abs, src.Values[k], nil)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		bundle.Set(k, v)
	}
	doc := &Document{Path: path, Bundle: bundle}
	if err := doc.read(fs, abs, src); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// bundler replaces $refs by their targets.
type bundler struct{ files *files }

// inline returns v, written in file, with every $ref replaced by its
// target, itself inlined. stack holds the targets being inlined, to refuse
// a schema that contains itself, which cannot be written out.
func (b *bundler) inline(file string, v any, stack []location) (any, error) {
	switch v := v.(type) {
	case *Map:
		if ref, ok := refOf(v); ok {
			target, at, err := b.files.resolve(file, ref)
			if err != nil {
				return nil, err
			}
			for _, s := range stack {
				if s == at {
					return nil, fmt.Errorf("$ref %q refers to itself: a recursive schema cannot be inlined", ref)
				}
			}
			return b.inline(at.file, target, append(stack, at))
		}
		out := newMap()
		for _, k := range v.Keys {
			c, err := b.inline(file, v.Values[k], stack)
			if err != nil {
				return nil, err
			}
			out.Set(k, c)
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			c, err := b.inline(file, e, stack)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

// operations inlines the operations but for their channel and messages,
// which AsyncAPI wants as $refs into the document's own channels.
func (b *bundler) operations(file string, v any) (any, error) {
	ops, ok := v.(*Map)
	if !ok {
		return b.inline(file, v, nil)
	}
	out := newMap()
	for _, id := range ops.Keys {
		op, ok := ops.Values[id].(*Map)
		if !ok {
			return nil, fmt.Errorf("operation %s is not an object", id)
		}
		o := newMap()
		for _, k := range op.Keys {
			val := op.Values[k]
			if k == "channel" || k == "messages" {
				if err := localRefs(val); err != nil {
					return nil, fmt.Errorf("operation %s: %s: %w", id, k, err)
				}
				o.Set(k, val)
				continue
			}
			c, err := b.inline(file, val, nil)
			if err != nil {
				return nil, fmt.Errorf("operation %s: %w", id, err)
			}
			o.Set(k, c)
		}
		out.Set(id, o)
	}
	return out, nil
}

// localRefs checks that v is a $ref, or a list of them, into the document
// itself.
func localRefs(v any) error {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, e := range list {
		ref, ok := refOf(e)
		if !ok {
			return errors.New("must be a $ref")
		}
		if !strings.HasPrefix(ref, "#/channels/") {
			return fmt.Errorf("$ref %q must point into the document's channels", ref)
		}
	}
	return nil
}

// read fills the typed model from the bundle, and the payloads' sources
// from src, the document as written.
func (d *Document) read(fs *files, file string, src *Map) error {
	info := d.Bundle.Map("info")
	d.Title, d.Version, d.Description = info.String("title"), info.String("version"), info.String("description")
	defaultContentType := d.Bundle.String("defaultContentType")
	channels := d.Bundle.Map("channels")
	for _, id := range keys(channels) {
		c, ok := channels.Values[id].(*Map)
		if !ok {
			return fmt.Errorf("channel %s is not an object", id)
		}
		ch := &Channel{ID: id, Address: c.String("address"), Title: c.String("title"), Description: c.String("description")}
		if ref, ok := refOf(src.Map("channels").Get(id)); ok {
			at, err := target(file, ref)
			if err != nil {
				return err
			}
			if at.file != file {
				ch.From = at.file
			}
		}
		messages := c.Map("messages")
		for _, mid := range keys(messages) {
			m, err := d.message(fs, file, id, mid, messages.Map(mid), defaultContentType)
			if err != nil {
				return fmt.Errorf("channel %s: message %s: %w", id, mid, err)
			}
			ch.Messages = append(ch.Messages, m)
		}
		d.Channels = append(d.Channels, ch)
	}
	ops := d.Bundle.Map("operations")
	for _, id := range keys(ops) {
		o := ops.Map(id)
		op := &Operation{ID: id, Action: o.String("action"), Title: o.String("title"), Summary: o.String("summary"), Description: o.String("description")}
		if op.Action != Send && op.Action != Receive {
			return fmt.Errorf("operation %s: action %q is neither send nor receive", id, op.Action)
		}
		ref, _ := refOf(o.Get("channel"))
		if op.Channel = d.Channel(strings.TrimPrefix(ref, "#/channels/")); op.Channel == nil {
			return fmt.Errorf("operation %s: channel $ref %q names no channel of the document", id, ref)
		}
		list, _ := o.Get("messages").([]any)
		for _, e := range list {
			ref, _ := refOf(e)
			m := op.Channel.message(ref)
			if m == nil {
				return fmt.Errorf("operation %s: message $ref %q names no message of channel %s", id, ref, op.Channel.ID)
			}
			op.Messages = append(op.Messages, m)
		}
		if len(list) == 0 {
			op.Messages = op.Channel.Messages
		}
		op.Queue = o.Map("bindings").Map("nats").String("queue")
		d.Operations = append(d.Operations, op)
	}
	return nil
}

// message reads message mid of channel id.
func (d *Document) message(fs *files, file, id, mid string, m *Map, defaultContentType string) (*Message, error) {
	if m == nil {
		return nil, errors.New("not an object")
	}
	msg := &Message{ID: mid, Name: m.String("name"), Title: m.String("title"), Summary: m.String("summary"), Description: m.String("description"), ContentType: m.String("contentType")}
	if msg.ContentType == "" {
		for _, t := range traits(m) {
			if ct := t.String("contentType"); ct != "" {
				msg.ContentType = ct
			}
		}
	}
	if msg.ContentType == "" {
		msg.ContentType = defaultContentType
	}
	payload := m.Map("payload")
	if payload == nil {
		return msg, nil
	}
	at := Pointer("channels", id, "messages", mid, "payload")
	msg.SchemaFormat = "application/vnd.aai.asyncapi+json;version=3.0.0"
	if f := payload.String("schemaFormat"); f != "" {
		msg.SchemaFormat, payload, at = f, payload.Map("schema"), at+"/schema"
	}
	msg.Payload, msg.PayloadPointer = payload, at
	// Where the payload is written: follow the same path in the source.
	_, loc, err := fs.resolve(file, "#"+at)
	if err != nil {
		return nil, err
	}
	msg.PayloadSource = Location{File: loc.file, Pointer: loc.pointer}
	// resolve followed a $ref at the end of the path if there was one:
	// look at the value written there to tell.
	parent, _, err := fs.resolve(file, "#"+at[:strings.LastIndex(at, "/")])
	if err != nil {
		return nil, err
	}
	if pm, ok := parent.(*Map); ok {
		_, msg.PayloadIsRef = refOf(pm.Get(at[strings.LastIndex(at, "/")+1:]))
	}
	return msg, nil
}

// traits returns a message's traits, inlined.
func traits(m *Map) []*Map {
	list, _ := m.Get("traits").([]any)
	var out []*Map
	for _, e := range list {
		if t, ok := e.(*Map); ok {
			out = append(out, t)
		}
	}
	return out
}

// message finds the message a $ref "#/channels/<id>/messages/<mid>" names.
func (c *Channel) message(ref string) *Message {
	toks := tokens(strings.TrimPrefix(ref, "#"))
	if len(toks) != 4 || toks[0] != "channels" || toks[1] != c.ID || toks[2] != "messages" {
		return nil
	}
	for _, m := range c.Messages {
		if m.ID == toks[3] {
			return m
		}
	}
	return nil
}

func keys(m *Map) []string {
	if m == nil {
		return nil
	}
	return m.Keys
}

// Source reads the document at path as it is written, $refs and all.
func Source(path string) (*Map, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	root, err := newFiles(nil).root(abs)
	if err != nil {
		return nil, err
	}
	m, ok := root.(*Map)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", path)
	}
	return m, nil
}
