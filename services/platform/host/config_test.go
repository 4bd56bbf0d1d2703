package host

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/services/platform/checks"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	t.Run("no variables give the defaults", func(t *testing.T) {
		c, err := FromEnv(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c, Defaults(); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
	t.Run("variables override the defaults", func(t *testing.T) {
		c, err := FromEnv(env(map[string]string{
			"CHARTER_SERVICES": "quotes, materials", "DATABASE_URL": "postgres://x/y", "CHARTER_DEV": "true",
			"CHARTER_BODY_LIMIT": "2048", "CHARTER_READ_TIMEOUT": "3s", "CHARTER_LOG_FORMAT": "json",
			"CHARTER_DRAIN_TIMEOUT": "0", "CHARTER_MAX_CONNECTIONS": "100",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Services, []string{"quotes", "materials"}) || c.DatabaseURL != "postgres://x/y" || !c.Dev || c.BodyLimit != 2048 ||
			c.ReadTimeout != 3*time.Second || c.LogFormat != "json" || c.DrainTimeout != 0 || c.MaxConnections != 100 {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("every bad value is named", func(t *testing.T) {
		_, err := FromEnv(env(map[string]string{
			"CHARTER_DEV": "maybe", "CHARTER_BODY_LIMIT": "-1", "CHARTER_IDLE_TIMEOUT": "soon", "CHARTER_LOG_FORMAT": "xml",
			"CHARTER_DRAIN_TIMEOUT": "-1s", "CHARTER_MAX_CONNECTIONS": "0",
		}))
		if err == nil {
			t.Fatal("no error")
		}
		for _, name := range []string{"CHARTER_DEV", "CHARTER_BODY_LIMIT", "CHARTER_IDLE_TIMEOUT", "CHARTER_LOG_FORMAT", "CHARTER_DRAIN_TIMEOUT", "CHARTER_MAX_CONNECTIONS"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not name %s", err, name)
			}
		}
	})
}

// CHARTER_RESPONSE_CHECK decides for responses and event payloads alike:
// strict in development, sampled outside it, as written otherwise.
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want checks.Policy
	}{
		{nil, checks.Policy{Mode: checks.Sampled, Rate: 0.01}},
		{map[string]string{"CHARTER_DEV": "1"}, checks.Policy{Mode: checks.Strict}},
		{map[string]string{"CHARTER_DEV": "1", "CHARTER_RESPONSE_CHECK": "off"}, checks.Policy{Mode: checks.Off}},
		{map[string]string{"CHARTER_RESPONSE_CHECK": "sampled:0.5"}, checks.Policy{Mode: checks.Sampled, Rate: 0.5}},
	} {
		c, err := FromEnv(env(tc.vars))
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Checks()
		if err != nil || got != tc.want {
			t.Errorf("%v: Checks() = %v, %v; want %v", tc.vars, got, err, tc.want)
		}
		if rc, _ := c.ResponseCheck(); rc.Policy() != got {
			t.Errorf("%v: the responses are checked under %v, the events under %v", tc.vars, rc.Policy(), got)
		}
		if e := (Env{Checks: got}).PayloadCheck(); e.Policy != got {
			t.Errorf("%v: the payloads are checked under %v", tc.vars, e.Policy)
		}
	}
	if _, err := FromEnv(env(map[string]string{"CHARTER_RESPONSE_CHECK": "sampled:2"})); err == nil || !strings.Contains(err.Error(), "CHARTER_RESPONSE_CHECK") {
		t.Errorf("a rate of 2: %v", err)
	}
}
