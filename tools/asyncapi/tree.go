package asyncapi

import (
	"bytes"
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Map is a YAML or JSON object that keeps its keys in document order, so
// that a bundle lists channels, operations and properties as their
// authors wrote them.
type Map struct {
	Keys   []string
	Values map[string]any
}

// Get returns the value of key, nil when absent.
func (m *Map) Get(key string) any {
	if m == nil {
		return nil
	}
	return m.Values[key]
}

// String returns the value of key when it is a string.
func (m *Map) String(key string) string {
	s, _ := m.Get(key).(string)
	return s
}

// Map returns the value of key when it is an object.
func (m *Map) Map(key string) *Map {
	v, _ := m.Get(key).(*Map)
	return v
}

// Set adds or replaces key, keeping the order of an existing key.
func (m *Map) Set(key string, v any) {
	if _, ok := m.Values[key]; !ok {
		m.Keys = append(m.Keys, key)
	}
	m.Values[key] = v
}

func newMap() *Map { return &Map{Values: map[string]any{}} }

// MarshalJSON writes the object with its keys in order.
func (m *Map) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encode(&b, k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := encode(&b, m.Values[k]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encode writes v as JSON without escaping <, > and &, which descriptions
// hold and HTML escaping would make unreadable.
func encode(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// Plain returns v with every Map turned into a map[string]any, the form
// encoding/json and schema validators take.
func Plain(v any) any {
	switch v := v.(type) {
	case *Map:
		out := make(map[string]any, len(v.Keys))
		for _, k := range v.Keys {
			out[k] = Plain(v.Values[k])
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = Plain(e)
		}
		return out
	}
	return v
}

// decode reads a YAML (or JSON) document into Maps, slices and scalars.
func decode(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	return fromNode(doc.Content[0])
}

func fromNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return fromNode(n.Alias)
	case yaml.MappingNode:
		m := newMap()
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key that is not a string", k.Line)
			}
			if _, dup := m.Values[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q given twice", k.Line, k.Value)
			}
			val, err := fromNode(v)
			if err != nil {
				return nil, err
			}
			m.Set(k.Value, val)
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		if n.Tag == "!!timestamp" {
			return n.Value, nil // as JSON has it: a string
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}
