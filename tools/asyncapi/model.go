package asyncapi

// Document is one AsyncAPI 3.0 document, bundled (see the package
// comment).
type Document struct {
	// Path is the file the document was read from.
	Path                        string
	Title, Version, Description string
	// Channels and Operations are in document order.
	Channels   []*Channel
	Operations []*Operation
	// Bundle is the whole document, every $ref into another file and every
	// $ref in a payload schema replaced by its target.
	Bundle *Map
}

// Channel is one channel: one event type, whose address is the type and
// the NATS subject.
type Channel struct {
	ID, Address, Title, Description string
	Messages                        []*Message
	// From is the file the channel is defined in when the document takes
	// it from another by $ref (a channel it receives), else "".
	From string
}

// Message is one message of a channel.
type Message struct {
	// ID is the message's key in its channel's messages.
	ID                                string
	Name, Title, Summary, Description string
	ContentType                       string
	// SchemaFormat is the payload's schema format, AsyncAPI's own schema
	// when the payload does not say.
	SchemaFormat string
	// Payload is the payload schema with every $ref replaced by its target,
	// nil when the message has none.
	Payload *Map
	// PayloadPointer is where Payload is in the bundle.
	PayloadPointer string
	// PayloadSource is where the payload schema is written: the target of
	// its $ref when it is one, else the schema itself. Its file is
	// absolute.
	PayloadSource Location
	// PayloadIsRef reports whether the payload schema is written as a $ref.
	PayloadIsRef bool
}

// Location is a place in a file: the file and a JSON pointer into it.
type Location struct {
	File, Pointer string
}

// Operation is a send (what the service publishes) or a receive (what it
// consumes).
type Operation struct {
	ID, Action, Title, Summary, Description string
	Channel                                 *Channel
	Messages                                []*Message
	// Queue is the NATS binding's queue: the durable consumer that
	// receives, empty for a send.
	Queue string
}

// Actions of operations.
const (
	Send    = "send"
	Receive = "receive"
)

// SchemaFormatOpenAPI30 is the schema format of a payload written as an
// OpenAPI 3.0 schema, such as the HTTP contract's components.
const SchemaFormatOpenAPI30 = "application/vnd.oai.openapi;version=3.0.0"

// Channel returns the channel with id, nil when there is none.
func (d *Document) Channel(id string) *Channel {
	for _, c := range d.Channels {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Sent returns the channels of the document's send operations: the event
// types the service publishes, in document order, each once.
func (d *Document) Sent() []*Channel { return d.channelsOf(Send) }

// Received returns the channels of the document's receive operations: the
// event types the service consumes.
func (d *Document) Received() []*Channel { return d.channelsOf(Receive) }

func (d *Document) channelsOf(action string) []*Channel {
	var out []*Channel
	seen := map[*Channel]bool{}
	for _, op := range d.Operations {
		if op.Action == action && op.Channel != nil && !seen[op.Channel] {
			seen[op.Channel] = true
			out = append(out, op.Channel)
		}
	}
	return out
}
