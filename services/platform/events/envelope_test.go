package events

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/outbox"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 30, 3, 4, 5, 6, time.UTC)
	env := FromOutbox("materials", outbox.Event{Seq: 7, ID: "0193-abc", Type: "charter.materials.material.created",
		Subject: "42", Time: at, Data: json.RawMessage(`{"id":42,"name":"steel"}`)})
	body, err := env.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for attr, want := range map[string]any{
		"specversion": "1.0", "id": "0193-abc", "source": "/charter/materials",
		"type": "charter.materials.material.created", "subject": "42",
		"time": "2026-11-30T03:04:05.000000006Z", "datacontenttype": "application/json",
		"sequence": "0000000000000000007",
	} {
		if raw[attr] != want {
			t.Errorf("%s = %v, want %v", attr, raw[attr], want)
		}
	}
	if data, _ := raw["data"].(map[string]any); data["name"] != "steel" {
		t.Errorf("data = %v, want the payload as JSON", raw["data"])
	}
	back, err := Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != env.ID || !back.Time.Equal(at) || string(back.Data) != `{"id":42,"name":"steel"}` || back.SequenceNumber() != 7 {
		t.Errorf("decoded %+v, want %+v", back, env)
	}
}

// The sequence is the outbox's, written so that its text sorts as its
// number does (the CloudEvents sequence extension wants it
// lexicographically orderable).
func TestSequencesSortAsTextAsTheirNumbers(t *testing.T) {
	seqs := []int64{1, 9, 10, 99, 100, 12345678, 1 << 40, 1<<63 - 1}
	for i := 1; i < len(seqs); i++ {
		a, b := FormatSequence(seqs[i-1]), FormatSequence(seqs[i])
		if !(a < b) || len(a) != SequenceDigits || len(b) != SequenceDigits {
			t.Errorf("%d is %q and %d is %q", seqs[i-1], a, seqs[i], b)
		}
		if got := (Envelope{Sequence: b}).SequenceNumber(); got != seqs[i] {
			t.Errorf("SequenceNumber of %q = %d", b, got)
		}
	}
	if FormatSequence(0) != "" || (Envelope{}).SequenceNumber() != 0 {
		t.Error("no sequence is not empty")
	}
	env := FromOutbox("materials", outbox.Event{ID: "1", Type: "charter.materials.material.created", Time: time.Now()})
	if body, err := env.Encode(); err != nil || strings.Contains(string(body), "sequence") {
		t.Errorf("an event without a seq: %s (%v)", body, err)
	}
}

func TestDecodeRefusesWhatIsNoEnvelope(t *testing.T) {
	valid := `"specversion":"1.0","id":"1","source":"/charter/x","type":"charter.x.y","time":"2026-01-01T00:00:00Z"`
	for name, body := range map[string]string{
		"not JSON":              `hello`,
		"an array":              `[1]`,
		"two documents":         `{` + valid + `} {}`,
		"another specversion":   strings.Replace(`{`+valid+`}`, `"1.0"`, `"0.3"`, 1),
		"no id":                 strings.Replace(`{`+valid+`}`, `"id":"1",`, ``, 1),
		"no source":             strings.Replace(`{`+valid+`}`, `"source":"/charter/x",`, ``, 1),
		"a wildcard type":       strings.Replace(`{`+valid+`}`, `charter.x.y`, `charter.*`, 1),
		"no time":               strings.Replace(`{`+valid+`}`, `,"time":"2026-01-01T00:00:00Z"`, ``, 1),
		"a time that is none":   strings.Replace(`{`+valid+`}`, `2026-01-01T00:00:00Z`, `yesterday`, 1),
		"another content type":  `{` + valid + `,"datacontenttype":"text/xml"}`,
		"an attribute mistyped": strings.Replace(`{`+valid+`}`, `"id":"1"`, `"id":1`, 1),
		"a sequence too short":  `{` + valid + `,"sequence":"7"}`,
		"a sequence of letters": `{` + valid + `,"sequence":"000000000000000000a"}`,
		"a sequence of zeros":   `{` + valid + `,"sequence":"0000000000000000000"}`,
		"a sequence mistyped":   `{` + valid + `,"sequence":7}`,
	} {
		if _, err := Decode([]byte(body)); err == nil {
			t.Errorf("%s: decoded %s", name, body)
		}
	}
	if _, err := Decode([]byte(`{` + valid + `,"data":{"a":1},"traceparent":"00-1-2-01"}`)); err != nil {
		t.Errorf("a valid envelope with an extension: %v", err)
	}
}
