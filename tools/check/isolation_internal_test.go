package check

import "testing"

func TestListedFindsAnItemByItsID(t *testing.T) {
	fields := []string{"id", "widget_id"}
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"in a page's items", `{"items":[{"id":1},{"id":52}],"count":2}`, true},
		{"in a bare array", `[{"widget_id":"52"}]`, true},
		{"under its path parameter's name", `{"data":[{"widget_id":52}]}`, true},
		{"absent", `{"items":[{"id":5},{"id":520}],"count":2}`, false},
		{"only nested deeper", `{"items":[{"id":1,"parts":[{"id":52}]}]}`, false},
		{"not JSON", `<html>`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := listed([]byte(tc.body), fields, "52"); got != tc.want {
				t.Errorf("listed(%s) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}
