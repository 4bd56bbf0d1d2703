package diff

import "testing"

func TestWording(t *testing.T) {
	for in, want := range map[string]string{
		"request request body.PolicySid type changed from string to integer":      "request body property PolicySid type changed from string to integer",
		"response property response 200.end became optional":                      "response 200 property end became optional",
		"new optional request property request body.note":                         "new optional request body property note",
		"callback request property callback request body.id removed":              "callback request body property id removed",
		"response response 200 header X-Rate.limit maxLength changed from 1 to 2": "response 200 header X-Rate property limit maxLength changed from 1 to 2",
		"response property Part.name became optional":                             "response property Part.name became optional",
		"response Window.until maxLength changed from 5 to 9":                     "response Window.until maxLength changed from 5 to 9",
	} {
		if got := wording(in); got != want {
			t.Errorf("wording(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
