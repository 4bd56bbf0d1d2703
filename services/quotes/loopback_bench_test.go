package quotes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/host/hosttest"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
)

// BenchmarkLoopback serves quotes, with the materials service beside it,
// as charterd does, over loopback listeners, and loads it with
// hosttest.Connections clients at once, each with a token of its own; it
// reports requests per second and the median and 99th-percentile latency
// of each operation, per store.
func BenchmarkLoopback(b *testing.B) {
	for _, store := range []string{"memory", "sqlite"} {
		b.Run(store, func(b *testing.B) {
			urls := hosttest.Start(b, store, materials.Service(), quotes.Service())
			base := urls["quotes"] + "/quotes"
			seller := hosttest.Tokens(b, access.Caller{
				Subject: "seed", CompanyID: benchCompany, Roles: []access.Role{access.External}, Scopes: []string{"materials:write"},
			}, 1)[0]
			var material [2]int64
			for i := range material {
				body := fmt.Appendf(nil, `{"name":"%d mm steel","quality":"steel","thickness":%d,"price_per_square_metre":{"amount":%d,"currency":"EUR"}}`,
					10-5*i, 10-5*i, 12000-5500*i)
				material[i] = benchID(b, hosttest.Send(b, http.MethodPost, urls["materials"]+"/materials", seller, body, http.StatusCreated))
			}
			tokens := hosttest.Tokens(b, access.Caller{
				Subject: "load", CompanyID: benchCompany, Roles: []access.Role{access.External}, Scopes: []string{"quotes:read", "quotes:write"},
			}, hosttest.Connections)
			draft := func(i int) []byte {
				return fmt.Appendf(nil,
					`{"lines":[{"material_id":%d,"quantity":%d,"width_mm":600,"height_mm":400},{"material_id":%d,"quantity":4,"width_mm":1200,"height_mm":250}]}`,
					material[0], 1+i%1000, material[1])
			}
			var ids []int64
			for i := range 100 {
				ids = append(ids, benchID(b, hosttest.Send(b, http.MethodPost, base, tokens[0], draft(i), http.StatusCreated)))
			}
			loads := []struct {
				name string
				load *hosttest.Load
			}{
				{"get", &hosttest.Load{Tokens: tokens, Status: http.StatusOK, Request: func(i int) (string, string, []byte) {
					return http.MethodGet, fmt.Sprintf("%s/%d", base, ids[i%len(ids)]), nil
				}}},
				{"list", &hosttest.Load{Tokens: tokens, Status: http.StatusOK, Request: func(int) (string, string, []byte) {
					return http.MethodGet, base + "?limit=20&offset=10&ordering=-created_at", nil
				}}},
				// Last, so that what it adds is not read by the others.
				{"create", &hosttest.Load{Tokens: tokens, Status: http.StatusCreated, Request: func(i int) (string, string, []byte) {
					return http.MethodPost, base, draft(i)
				}}},
			}
			for _, l := range loads {
				b.Run(l.name, l.load.Run)
			}
		})
	}
}

// BenchmarkMixed serves quotes, with the materials service beside it, as
// charterd does, over loopback listeners, and loads it with
// hosttest.MixedConnections clients at once sending hosttest.ReadShare
// percent reads (gets and lists) and the rest writes (drafts created under
// an Idempotency-Key, and lines replaced), per SQL store; it reports
// requests per second and the median and 99th-percentile latency of a
// request. The PostgreSQL run skips without PostgreSQL.
func BenchmarkMixed(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			urls := hosttest.Start(b, store, materials.Service(), quotes.Service())
			base := urls["quotes"] + "/quotes"
			seller := hosttest.Tokens(b, access.Caller{
				Subject: "seed", CompanyID: benchCompany, Roles: []access.Role{access.External}, Scopes: []string{"materials:write"},
			}, 1)[0]
			material := benchID(b, hosttest.Send(b, http.MethodPost, urls["materials"]+"/materials", seller,
				[]byte(`{"name":"10 mm steel","quality":"steel","thickness":10,"price_per_square_metre":{"amount":12000,"currency":"EUR"}}`), http.StatusCreated))
			tokens := hosttest.Tokens(b, access.Caller{
				Subject: "load", CompanyID: benchCompany, Roles: []access.Role{access.External}, Scopes: []string{"quotes:read", "quotes:write"},
			}, hosttest.MixedConnections)
			lines := func(i int) []byte {
				return fmt.Appendf(nil, `{"lines":[{"material_id":%d,"quantity":%d,"width_mm":600,"height_mm":400}]}`, material, 1+i%1000)
			}
			var ids []int64
			for i := range 100 {
				ids = append(ids, benchID(b, hosttest.Send(b, http.MethodPost, base, tokens[0], lines(i), http.StatusCreated)))
			}
			load := &hosttest.Load{Tokens: tokens, Mix: func(i int) hosttest.Request {
				id := ids[i%len(ids)]
				switch share := i % 100; {
				case share < hosttest.ReadShare*3/4:
					return hosttest.Request{Method: http.MethodGet, URL: fmt.Sprintf("%s/%d", base, id), Status: http.StatusOK}
				case share < hosttest.ReadShare:
					return hosttest.Request{Method: http.MethodGet, URL: base + "?limit=20&offset=10&ordering=-created_at", Status: http.StatusOK}
				case share%2 == 0:
					return hosttest.Request{Method: http.MethodPost, URL: base, Body: lines(i), Status: http.StatusCreated,
						Header: http.Header{"Idempotency-Key": {fmt.Sprintf("mixed-%d", i)}}}
				default:
					return hosttest.Request{Method: http.MethodPut, URL: fmt.Sprintf("%s/%d/lines", base, id), Body: lines(i), Status: http.StatusOK}
				}
			}}
			load.Run(b)
		})
	}
}

// benchID returns the id of the resource a JSON body holds.
func benchID(b *testing.B, body []byte) int64 {
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.ID == 0 {
		b.Fatalf("no id in %s: %v", body, err)
	}
	return v.ID
}
