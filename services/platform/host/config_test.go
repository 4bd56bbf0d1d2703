package host

import (
	"reflect"
	"strings"
	"testing"
	"time"
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
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Services, []string{"quotes", "materials"}) || c.DatabaseURL != "postgres://x/y" || !c.Dev || c.BodyLimit != 2048 ||
			c.ReadTimeout != 3*time.Second || c.LogFormat != "json" {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("every bad value is named", func(t *testing.T) {
		_, err := FromEnv(env(map[string]string{
			"CHARTER_DEV": "maybe", "CHARTER_BODY_LIMIT": "-1", "CHARTER_IDLE_TIMEOUT": "soon", "CHARTER_LOG_FORMAT": "xml",
		}))
		if err == nil {
			t.Fatal("no error")
		}
		for _, name := range []string{"CHARTER_DEV", "CHARTER_BODY_LIMIT", "CHARTER_IDLE_TIMEOUT", "CHARTER_LOG_FORMAT"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not name %s", err, name)
			}
		}
	})
}
