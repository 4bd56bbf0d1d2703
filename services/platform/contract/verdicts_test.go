package contract

import (
	"strconv"
	"sync"
	"testing"

	"github.com/charterhq/charter/services/platform/problem"
)

func TestVerdicts(t *testing.T) {
	var v verdicts
	if _, ok := v.get("20"); ok {
		t.Fatal("an empty cache knows a value")
	}
	bad := []problem.FieldError{{Pointer: "#/query/limit", Detail: "number must be at most 100"}}
	v.put("1000", bad)
	v.put("20", nil)
	if errs, ok := v.get("1000"); !ok || len(errs) != 1 || errs[0] != bad[0] {
		t.Errorf("get(1000) = %v, %v", errs, ok)
	}
	if errs, ok := v.get("20"); !ok || errs != nil {
		t.Errorf("get(20) = %v, %v", errs, ok)
	}

	t.Run("bounded", func(t *testing.T) {
		var v verdicts
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range maxVerdicts {
					v.put(strconv.Itoa(g*maxVerdicts+i), nil)
					v.get(strconv.Itoa(i))
				}
			})
		}
		wg.Wait()
		if n := len(*v.m.Load()); n != maxVerdicts {
			t.Errorf("holds %d verdicts, want %d", n, maxVerdicts)
		}
	})

	t.Run("long values are not kept", func(t *testing.T) {
		var v verdicts
		long := string(make([]byte, maxVerdictKey+1))
		v.put(long, nil)
		if _, ok := v.get(long); ok {
			t.Error("a long value was kept")
		}
	})
}
