package contract

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charterhq/charter/gen/materials"
)

// TestVisibleLineIsThePattern holds visibleLine to the regexp it stands
// for in the fast check, which kin-openapi runs on the slow path: for
// every code point alone, between letters and after spaces, and for bytes
// that are not UTF-8.
func TestVisibleLineIsThePattern(t *testing.T) {
	re := regexp.MustCompile(visibleLinePattern)
	check := func(s string) {
		if got, want := visibleLine(s), re.MatchString(s); got != want {
			t.Errorf("visibleLine(%q) = %v, the pattern says %v", s, got, want)
		}
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		c := string(r)
		check(c)
		if r < 0x3000 || r%97 == 0 {
			check("a" + c + "b")
			check("  " + c)
		}
	}
	for _, s := range []string{"", " ", "\xff", " \xff", "a\xc3", "\xed\xa0\x80", "\t", "a\tb", "a\n", "\u00a0\u200b\ufeff", "10 mm Steel"} {
		check(s)
	}
}

// TestMaterialsNamesTakeTheFastPath checks that the names and qualities of
// the materials spec carry the pattern the fast check matches by hand.
func TestMaterialsNamesTakeTheFastPath(t *testing.T) {
	spec, err := materials.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"MaterialName", "MaterialQuality"} {
		if got := spec.Components.Schemas[name].Value.Pattern; got != visibleLinePattern {
			t.Errorf("%s's pattern is %q, want visibleLinePattern %q", name, got, visibleLinePattern)
		}
	}
	for body, bc := range bodyChecks(t) {
		for _, p := range bc.check.props {
			if p.name != "name" && p.name != "quality" {
				continue
			}
			if _, ok := p.check.pattern.(matchFunc); !ok {
				t.Errorf("%s.%s is matched with %T, not by hand", body, p.name, p.check.pattern)
			}
		}
	}
}

// FuzzJSONText holds jsonTextErrors to its promise on any JSON: a body it
// passes decodes to strings and names with no control but tab, line feed
// and carriage return, and with no U+FFFD the client did not send; a body
// that is not UTF-8 never passes.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{
		`{"a":"b"}`, `{"a":"\u0000"}`, `["\ud800"]`, `{"\ud83d\ude00":"\t"}`, "[\"\x7f\"]", "[\"\xff\"]",
		`{"a":["x",{"b\u0085":1}]}`, `"\ufffd"`, "\"\xef\xbf\xbd\"", `[1,true,null,"\\u0000"]`, `"\ud800\u0041"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		if len(jsonTextErrors(data)) > 0 {
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("passed a body that is not UTF-8: %q", data)
		}
		sentFFFD := bytes.Contains(data, []byte("\uFFFD")) || strings.Contains(strings.ToLower(string(data)), `\ufffd`)
		var walk func(any)
		check := func(s string) {
			for _, r := range s {
				if textControl(r) || r == utf8.RuneError && !sentFFFD {
					t.Fatalf("passed %q, which decodes to %q", data, s)
				}
			}
		}
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				check(v)
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for k, e := range v {
					check(k)
					walk(e)
				}
			}
		}
		walk(v)
	})
}

func BenchmarkVisibleLine(b *testing.B) {
	for b.Loop() {
		if !visibleLine("10 mm Steel") {
			b.Fatal("refused")
		}
	}
}

func BenchmarkVisibleLinePattern(b *testing.B) {
	re := regexp.MustCompile(visibleLinePattern)
	for b.Loop() {
		if !re.MatchString("10 mm Steel") {
			b.Fatal("refused")
		}
	}
}

func BenchmarkPlainJSON(b *testing.B) {
	data := []byte(bodySeeds[0])
	for b.Loop() {
		if !plainJSON(data) {
			b.Fatal("not plain")
		}
	}
}
