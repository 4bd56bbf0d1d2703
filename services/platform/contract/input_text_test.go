package contract_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
)

// inputSpec has strings without any pattern, in a body the compiled check
// takes (/notes) and in one it does not (/anything), and parameters of
// every primitive type, so that the tests see the platform's own rules
// rather than a schema's.
const inputSpec = `
openapi: 3.0.3
info: {title: input, version: "1"}
paths:
  /notes:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - {name: ratio, in: query, schema: {type: number}}
        - {name: done, in: query, schema: {type: boolean}}
        - {name: q, in: query, schema: {type: string}}
        - {name: X-Tag, in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                text: {type: string}
                tags: {type: array, items: {type: string}}
                extra: {type: object, additionalProperties: {type: string}}
      responses: {"201": {description: created}}
  /notes/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      responses: {"200": {description: ok}}
  /anything:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {oneOf: [{type: object}, {type: array, items: {}}]}
      responses: {"201": {description: created}}
`

// inputStack serves inputSpec behind the contract; every operation
// answers 200 or 201 with the body it was handed.
func inputStack(t *testing.T) http.Handler {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(inputSpec))
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.New(spec, contract.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			data, _ := io.ReadAll(r.Body)
			w.WriteHeader(status)
			_, _ = w.Write(data)
		}
	}
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Get("/notes", echo(http.StatusOK))
		g.Post("/notes", echo(http.StatusCreated))
		g.Get("/notes/{id}", echo(http.StatusOK))
		g.Post("/anything", echo(http.StatusCreated))
	})
	return edge.Root(r)
}

type inputCase struct {
	name         string
	method       string
	target       string
	contentType  string // application/json when empty and there is a body
	header       map[string]string
	body         string
	wantStatus   int
	wantPointers []string // exact, in order
	wantDetail   string   // a substring of the first error's detail, or of the problem's detail
}

// runInputCases sends each case through h and checks its answer.
func runInputCases(t *testing.T, h http.Handler, cases []inputCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req := httptest.NewRequest(tc.method, tc.target, body)
			if tc.body != "" {
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if got := w.Code; got != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", got, tc.wantStatus, w.Body)
			}
			if tc.wantStatus < 400 {
				if tc.method == http.MethodPost && w.Body.String() != tc.body {
					t.Errorf("the handler got %q, want the body as sent, %q", w.Body, tc.body)
				}
				return
			}
			var p struct {
				Detail   string `json:"detail"`
				Instance string `json:"instance"`
				Errors   []struct {
					Pointer string `json:"pointer"`
					Detail  string `json:"detail"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatalf("not a problem document: %v: %s", err, w.Body)
			}
			var pointers []string
			for _, e := range p.Errors {
				pointers = append(pointers, e.Pointer)
			}
			if !slices.Equal(pointers, tc.wantPointers) {
				t.Errorf("pointers = %q, want %q: %s", pointers, tc.wantPointers, w.Body)
			}
			if tc.wantDetail != "" {
				detail := p.Detail
				if len(p.Errors) > 0 {
					detail = p.Errors[0].Detail
				}
				if !strings.Contains(detail, tc.wantDetail) {
					t.Errorf("detail = %q, want it to say %q", detail, tc.wantDetail)
				}
			}
		})
	}
}

// TestTextInBodies holds every string of a JSON body, value or property
// name, wherever it sits and whatever its schema, to the platform's text
// rule: UTF-8 as sent, no unpaired surrogate, no control character but
// tab, line feed and carriage return. encoding/json would otherwise turn
// invalid bytes and lone surrogates into U+FFFD without a word, and hand
// a NUL to a store that cannot keep it (PostgreSQL's text).
func TestTextInBodies(t *testing.T) {
	h := inputStack(t)
	post := func(name, body string, status int, pointers ...string) inputCase {
		return inputCase{name: name, method: "POST", target: "/notes", body: body, wantStatus: status, wantPointers: pointers}
	}
	cases := []inputCase{
		post("plain text", `{"text":"10 mm Steel"}`, 201),
		post("text in other scripts and an emoji", `{"text":"Stahl ä 日本 😀"}`, 201),
		post("an emoji as a surrogate pair", `{"text":"\ud83d\ude00"}`, 201),
		post("tab, line feed and carriage return", `{"text":"a\tb\nc\r\n"}`, 201),
		post("escaped tab, line feed and carriage return", `{"text":"a\u0009b\u000Ac\u000d"}`, 201),
		post("the replacement character sent as such", `{"text":"\ufffd"}`, 201),
		post("a noncharacter", `{"text":"\uffff"}`, 201),
		post("a line separator", `{"text":"a\u2028b"}`, 201),

		post("an escaped NUL", `{"text":"a\u0000b"}`, 400, "#/text"),
		post("an escaped escape character", `{"text":"\u001b[31mred"}`, 400, "#/text"),
		post("an escaped backspace", `{"text":"a\bb"}`, 400, "#/text"),
		post("an escaped form feed", `{"text":"a\fb"}`, 400, "#/text"),
		post("a raw DEL", "{\"text\":\"a\x7fb\"}", 400, "#/text"),
		post("an escaped DEL", `{"text":"a\u007Fb"}`, 400, "#/text"),
		post("a raw C1 control", "{\"text\":\"a\u0085b\"}", 400, "#/text"),
		post("an escaped C1 control", `{"text":"a\u009bb"}`, 400, "#/text"),
		post("a byte that is not UTF-8", "{\"text\":\"a\xffb\"}", 400, "#/text"),
		post("a truncated UTF-8 sequence", "{\"text\":\"a\xc3\"}", 400, "#/text"),
		post("an overlong UTF-8 encoding", "{\"text\":\"\xc0\xaf\"}", 400, "#/text"),
		post("a surrogate encoded in UTF-8", "{\"text\":\"\xed\xa0\x80\"}", 400, "#/text"),
		post("a lone high surrogate", `{"text":"\ud800"}`, 400, "#/text"),
		post("a lone low surrogate", `{"text":"a\udc00"}`, 400, "#/text"),
		post("a high surrogate before a letter", `{"text":"\ud800\u0041"}`, 400, "#/text"),
		post("two high surrogates", `{"text":"\ud800\ud800\udc00"}`, 400, "#/text"),
		post("a high surrogate at the end", `{"text":"a\uD83D"}`, 400, "#/text"),
		post("a control in an array item", `{"tags":["ok","a\u0000"]}`, 400, "#/tags/1"),
		post("a control in a property name", `{"extra":{"a\u0000":"x"}}`, 400, "#/extra/a\x00"),
		post("a control in a property name with a slash", `{"extra":{"a/b\u0001":"x"}}`, 400, "#/extra/a~1b\x01"),
		post("a control in an unknown top-level property", `{"text":"ok","\u0000":1}`, 400, "#/\x00"),
		post("every bad string at once", `{"text":"\u0000","tags":["\ud800"],"extra":{"k":"\u007f"}}`, 400,
			"#/text", "#/tags/0", "#/extra/k"),
		{name: "a schema the compiled check does not take", method: "POST", target: "/anything",
			body: `[{"deep":{"a":["x","\u0000"]}}]`, wantStatus: 400, wantPointers: []string{"#/0/deep/a/1"}},
		{name: "raw DEL under a schema the compiled check does not take", method: "POST", target: "/anything",
			body: "{\"a\":\"\x7f\"}", wantStatus: 400, wantPointers: []string{"#/a"}},
		{name: "plain text under a schema the compiled check does not take", method: "POST", target: "/anything",
			body: `{"a":["x",{"b":"ä\n"}]}`, wantStatus: 201},
		// Broken JSON is a syntax error first, whatever its strings hold.
		{name: "broken JSON with a NUL", method: "POST", target: "/notes", body: `{"text":"\u0000`,
			wantStatus: 400, wantPointers: []string{"#"}, wantDetail: "not valid JSON"},
	}
	runInputCases(t, h, cases)

	t.Run("the details say what is wrong", func(t *testing.T) {
		runInputCases(t, h, []inputCase{
			{name: "NUL", method: "POST", target: "/notes", body: `{"text":"a\u0000"}`, wantStatus: 400,
				wantPointers: []string{"#/text"}, wantDetail: "U+0000"},
			{name: "C1", method: "POST", target: "/notes", body: "{\"text\":\"\u0085\"}", wantStatus: 400,
				wantPointers: []string{"#/text"}, wantDetail: "U+0085"},
			{name: "not UTF-8", method: "POST", target: "/notes", body: "{\"text\":\"\xff\"}", wantStatus: 400,
				wantPointers: []string{"#/text"}, wantDetail: "UTF-8"},
			{name: "lone surrogate", method: "POST", target: "/notes", body: `{"text":"\ud800"}`, wantStatus: 400,
				wantPointers: []string{"#/text"}, wantDetail: "surrogate"},
			{name: "property name", method: "POST", target: "/notes", body: `{"extra":{"\u0000":"x"}}`, wantStatus: 400,
				wantPointers: []string{"#/extra/\x00"}, wantDetail: "property name"},
		})
	})
}

// TestBodyCharset refuses a JSON body whose Content-Type names a charset
// other than UTF-8, the only one JSON has (RFC 8259): reading UTF-16 or
// Latin-1 bytes as UTF-8 would store something the client did not send.
func TestBodyCharset(t *testing.T) {
	h := inputStack(t)
	withType := func(name, contentType string, status int) inputCase {
		return inputCase{name: name, method: "POST", target: "/notes", contentType: contentType,
			body: `{"text":"x"}`, wantStatus: status}
	}
	cases := []inputCase{
		withType("no charset", "application/json", 201),
		withType("utf-8", "application/json; charset=utf-8", 201),
		withType("UTF-8 in capitals", "application/json;charset=UTF-8", 201),
		withType("a quoted utf-8", `application/json; charset="utf-8"`, 201),
		withType("another parameter", "application/json; foo=bar", 201),
		withType("utf-16", "application/json; charset=utf-16", 415),
		withType("utf-16le after another parameter", "application/json; foo=bar; charset=utf-16le", 415),
		withType("latin-1", "application/json; Charset=ISO-8859-1", 415),
		withType("a quoted utf-32", `application/json; charset="utf-32"`, 415),
		withType("an empty charset", "application/json; charset=", 415),
	}
	runInputCases(t, h, cases)
	t.Run("the problem names the charset", func(t *testing.T) {
		runInputCases(t, h, []inputCase{{name: "utf-16", method: "POST", target: "/notes",
			contentType: "application/json; charset=utf-16", body: `{"text":"x"}`, wantStatus: 415, wantDetail: "utf-16"}})
	})
}

// TestNumberParameters refuses integers, numbers and booleans not written
// as JSON writes them: strconv reads "01", "+1", ".5", "Inf", "0x1p3",
// and "1" or "T" for true, which made /notes/01 the same resource as
// /notes/1.
func TestNumberParameters(t *testing.T) {
	h := inputStack(t)
	get := func(name, target string, status int, pointers ...string) inputCase {
		return inputCase{name: name, method: "GET", target: target, wantStatus: status, wantPointers: pointers}
	}
	cases := []inputCase{
		get("an id", "/notes/1", 200),
		get("a zero id", "/notes/0", 200),
		get("a negative id", "/notes/-12", 200),
		get("an id with a leading zero", "/notes/01", 400, "#/path/id"),
		get("an id of two zeros", "/notes/00", 400, "#/path/id"),
		get("an id with a plus sign", "/notes/+1", 400, "#/path/id"),
		get("an id with an escaped plus sign", "/notes/%2B1", 400, "#/path/id"),
		get("a negative id with a leading zero", "/notes/-01", 400, "#/path/id"),
		get("a limit", "/notes?limit=7", 200),
		get("a limit with leading zeros", "/notes?limit=007", 400, "#/query/limit"),
		get("a limit with a plus sign", "/notes?limit=%2B7", 400, "#/query/limit"),
		get("a limit with leading zeros beside an escaped string", "/notes?limit=007&q=a%20b", 400, "#/query/limit"),
		get("a ratio", "/notes?ratio=-0.5", 200),
		get("a ratio with an exponent", "/notes?ratio=1.5E%2B3", 200),
		get("a ratio with a leading zero", "/notes?ratio=01.5", 400, "#/query/ratio"),
		get("a ratio without an integer part", "/notes?ratio=.5", 400, "#/query/ratio"),
		get("a ratio without a fraction", "/notes?ratio=5.", 400, "#/query/ratio"),
		get("an infinite ratio", "/notes?ratio=Inf", 400, "#/query/ratio"),
		get("a ratio that is not a number", "/notes?ratio=NaN", 400, "#/query/ratio"),
		get("a hexadecimal ratio", "/notes?ratio=0x1p3", 400, "#/query/ratio"),
		get("a ratio with an underscore", "/notes?ratio=1_000", 400, "#/query/ratio"),
		get("a flag", "/notes?done=true", 200),
		get("a false flag", "/notes?done=false", 200),
		get("a flag as a digit", "/notes?done=1", 400, "#/query/done"),
		get("a flag as a zero", "/notes?done=0", 400, "#/query/done"),
		get("a flag as a letter", "/notes?done=t", 400, "#/query/done"),
		get("a flag in capitals", "/notes?done=TRUE", 400, "#/query/done"),
	}
	runInputCases(t, h, cases)
	t.Run("the detail says how to write it", func(t *testing.T) {
		runInputCases(t, h, []inputCase{{name: "leading zero detail", method: "GET", target: "/notes/01",
			wantStatus: 400, wantPointers: []string{"#/path/id"}, wantDetail: "leading zero"}})
	})
}

// TestTextParameters holds string parameters to the text rule of bodies,
// after percent-decoding.
func TestTextParameters(t *testing.T) {
	h := inputStack(t)
	get := func(name, target string, status int, pointers ...string) inputCase {
		return inputCase{name: name, method: "GET", target: target, wantStatus: status, wantPointers: pointers}
	}
	cases := []inputCase{
		get("a query string", "/notes?q=steel", 200),
		get("an escaped query string", "/notes?q=caf%C3%A9%20au%20lait", 200),
		get("a query string with a tab", "/notes?q=a%09b", 200),
		get("a NUL in a query string", "/notes?q=a%00b", 400, "#/query/q"),
		get("a C1 control in a query string", "/notes?q=a%C2%85", 400, "#/query/q"),
		get("a DEL in a query string", "/notes?q=%7F", 400, "#/query/q"),
		get("a byte that is not UTF-8 in a query string", "/notes?q=%FF", 400, "#/query/q"),
		get("a surrogate encoded in UTF-8 in a query string", "/notes?q=%ED%A0%80", 400, "#/query/q"),
		{name: "a header", method: "GET", target: "/notes", header: map[string]string{"X-Tag": "ok"}, wantStatus: 200},
		{name: "a control in a header", method: "GET", target: "/notes", header: map[string]string{"X-Tag": "a\x01b"},
			wantStatus: 400, wantPointers: []string{"#/header/X-Tag"}},
	}
	runInputCases(t, h, cases)
}
