package materials_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/host/hosttest"
	"github.com/charterhq/charter/stories/access"
)

// BenchmarkLoopback serves materials as charterd does, over a loopback
// listener, and loads it with hosttest.Connections clients at once, each
// with a token of its own; it reports requests per second and the median
// and 99th-percentile latency of each operation, per store.
func BenchmarkLoopback(b *testing.B) {
	for _, store := range []string{"memory", "sqlite"} {
		b.Run(store, func(b *testing.B) {
			base := hosttest.Start(b, store, materials.Service())["materials"] + "/materials"
			tokens := hosttest.Tokens(b, access.Caller{
				Subject: "load", CompanyID: benchCompany, Roles: []access.Role{access.External},
				Scopes: []string{"materials:read", "materials:write"},
			}, hosttest.Connections)
			var ids []int64
			for i := range 100 {
				body := fmt.Appendf(nil, `{"name":"seed %03d","quality":"steel","thickness":%d,"is_active":%t}`, i, 1+i%10, i%2 == 0)
				var m struct{ ID int64 }
				if err := json.Unmarshal(hosttest.Send(b, http.MethodPost, base, tokens[0], body, http.StatusCreated), &m); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			loads := []struct {
				name string
				load *hosttest.Load
			}{
				{"get", &hosttest.Load{Tokens: tokens, Status: http.StatusOK, Request: func(i int) (string, string, []byte) {
					return http.MethodGet, fmt.Sprintf("%s/%d", base, ids[i%len(ids)]), nil
				}}},
				{"list", &hosttest.Load{Tokens: tokens, Status: http.StatusOK, Request: func(int) (string, string, []byte) {
					return http.MethodGet, base + "?limit=20&offset=10&ordering=name&is_active=true", nil
				}}},
				// Last, so that what it adds is not read by the others.
				{"create", &hosttest.Load{Tokens: tokens, Status: http.StatusCreated, Request: func(i int) (string, string, []byte) {
					return http.MethodPost, base, fmt.Appendf(nil, `{"name":"load %d","quality":"steel","thickness":2.5,"is_active":true}`, i)
				}}},
			}
			for _, l := range loads {
				b.Run(l.name, l.load.Run)
			}
		})
	}
}

// BenchmarkMixed serves materials as charterd does, over a loopback
// listener, and loads it with hosttest.MixedConnections clients at once
// sending hosttest.ReadShare percent reads (gets and lists) and the rest
// writes (creates under an Idempotency-Key, and updates), per SQL store;
// it reports requests per second and the median and 99th-percentile
// latency of a request. The PostgreSQL run skips without PostgreSQL.
func BenchmarkMixed(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			base := hosttest.Start(b, store, materials.Service())["materials"] + "/materials"
			tokens := hosttest.Tokens(b, access.Caller{
				Subject: "load", CompanyID: benchCompany, Roles: []access.Role{access.External},
				Scopes: []string{"materials:read", "materials:write"},
			}, hosttest.MixedConnections)
			var ids []int64
			for i := range 100 {
				body := fmt.Appendf(nil, `{"name":"seed %03d","quality":"steel","thickness":%d,"is_active":true}`, i, 1+i%10)
				var m struct{ ID int64 }
				if err := json.Unmarshal(hosttest.Send(b, http.MethodPost, base, tokens[0], body, http.StatusCreated), &m); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			// A run of the benchmark and the next send requests of other
			// indices, so that no create repeats an earlier name or key.
			load := &hosttest.Load{Tokens: tokens, Mix: func(i int) hosttest.Request {
				id := ids[i%len(ids)]
				switch share := i % 100; {
				case share < hosttest.ReadShare*3/4:
					return hosttest.Request{Method: http.MethodGet, URL: fmt.Sprintf("%s/%d", base, id), Status: http.StatusOK}
				case share < hosttest.ReadShare:
					return hosttest.Request{Method: http.MethodGet, URL: base + "?limit=20&offset=10&ordering=name&is_active=true", Status: http.StatusOK}
				case share%2 == 0:
					return hosttest.Request{Method: http.MethodPost, URL: base, Status: http.StatusCreated,
						Header: http.Header{"Idempotency-Key": {fmt.Sprintf("mixed-%d", i)}},
						Body:   fmt.Appendf(nil, `{"name":"mixed %d","quality":"steel","thickness":2.5,"is_active":true}`, i)}
				default:
					return hosttest.Request{Method: http.MethodPut, URL: fmt.Sprintf("%s/%d", base, id), Status: http.StatusOK,
						Body: fmt.Appendf(nil, `{"name":"seed %03d","quality":"steel","thickness":%d,"is_active":true}`, (i % len(ids)), 1+i%20)}
				}
			}}
			load.Run(b)
		})
	}
}
