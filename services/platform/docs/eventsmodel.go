package docs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// The part of an AsyncAPI 3 document the events page shows. The document
// is bundled (every $ref into another file resolved), so that only an
// operation's channel and messages are $refs, into the document's own
// channels; channels, operations and properties keep the order their
// authors gave them.

type asyncDoc struct {
	AsyncAPI string `json:"asyncapi"`
	Info     struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	} `json:"info"`
	Channels   object `json:"channels"`
	Operations object `json:"operations"`
}

type asyncChannel struct {
	Address     string `json:"address"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Messages    object `json:"messages"`
}

type asyncOperation struct {
	Action      string `json:"action"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	Channel     struct {
		Ref string `json:"$ref"`
	} `json:"channel"`
	Bindings struct {
		NATS struct {
			Queue string `json:"queue"`
		} `json:"nats"`
	} `json:"bindings"`
}

type asyncMessage struct {
	Name        string          `json:"name"`
	Title       string          `json:"title"`
	Summary     string          `json:"summary"`
	Description string          `json:"description"`
	ContentType string          `json:"contentType"`
	Traits      []asyncTrait    `json:"traits"`
	Payload     json.RawMessage `json:"payload"`
}

type asyncTrait struct {
	Description string          `json:"description"`
	ContentType string          `json:"contentType"`
	Headers     json.RawMessage `json:"headers"`
}

// payloadSchema returns the message's payload schema, unwrapped from a
// multi-format schema object.
func (m asyncMessage) payloadSchema() (json.RawMessage, error) {
	if len(m.Payload) == 0 {
		return nil, nil
	}
	var multi struct {
		SchemaFormat string          `json:"schemaFormat"`
		Schema       json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(m.Payload, &multi); err != nil {
		return nil, err
	}
	if multi.SchemaFormat != "" {
		return multi.Schema, nil
	}
	return m.Payload, nil
}

// jsonSchema is the part of a schema (OpenAPI 3.0 or JSON Schema) the page
// describes.
type jsonSchema struct {
	Type             any               `json:"type"`
	Format           string            `json:"format"`
	Description      string            `json:"description"`
	Enum             []any             `json:"enum"`
	Const            any               `json:"const"`
	Nullable         bool              `json:"nullable"`
	ReadOnly         bool              `json:"readOnly"`
	Required         []string          `json:"required"`
	Properties       object            `json:"properties"`
	Items            json.RawMessage   `json:"items"`
	Minimum          *float64          `json:"minimum"`
	Maximum          *float64          `json:"maximum"`
	ExclusiveMinimum any               `json:"exclusiveMinimum"`
	ExclusiveMaximum any               `json:"exclusiveMaximum"`
	MinLength        *int              `json:"minLength"`
	MaxLength        *int              `json:"maxLength"`
	MinItems         *int              `json:"minItems"`
	MaxItems         *int              `json:"maxItems"`
	Pattern          string            `json:"pattern"`
	Example          json.RawMessage   `json:"example"`
	AllOf            []json.RawMessage `json:"allOf"`
	OneOf            []json.RawMessage `json:"oneOf"`
	AnyOf            []json.RawMessage `json:"anyOf"`
}

// object is a JSON object whose keys keep their order.
type object struct {
	keys   []string
	values map[string]json.RawMessage
}

func (o *object) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("not an object")
	}
	o.values = map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if _, dup := o.values[key]; !dup {
			o.keys = append(o.keys, key)
		}
		o.values[key] = raw
	}
	return nil
}

// each decodes every value of o into a T, in order.
func each[T any](o object, f func(key string, v T) error) error {
	for _, k := range o.keys {
		var v T
		if err := json.Unmarshal(o.values[k], &v); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}
