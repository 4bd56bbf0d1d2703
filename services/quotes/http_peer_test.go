package quotes_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	materialsdomain "github.com/charterhq/charter/stories/materials"
	domain "github.com/charterhq/charter/stories/quotes"
)

// catalogue is what the materials service holds in every test: the
// materials of ownCompany a quote can and cannot be priced from, and one
// of otherCompany.
type catalogue struct {
	steel     materialsdomain.Material // 120.00 EUR a square metre
	stainless materialsdomain.Material // 65.00 EUR a square metre
	inactive  materialsdomain.Material // priced, but no longer quoted with
	unpriced  materialsdomain.Material // active, without a price
	dollars   materialsdomain.Material // priced in USD, not EUR
	costly    materialsdomain.Material // priced at the largest amount there is
	foreign   materialsdomain.Material // otherCompany's
}

// seedCatalogue stores the catalogue in the materials repository.
func seedCatalogue(tb testing.TB, repo materialsdomain.Repository) catalogue {
	tb.Helper()
	add := func(company int64, name string, active bool, price *materialsdomain.Money) materialsdomain.Material {
		m, err := repo.Create(context.Background(), materialsdomain.Material{
			CompanyID: company, Name: name, Quality: "steel", Thickness: 2, IsActive: active, Price: price,
			CreatedAt: epoch, UpdatedAt: epoch,
		})
		if err != nil {
			tb.Fatal(err)
		}
		return m
	}
	money := func(amount int64, currency string) *materialsdomain.Money {
		return &materialsdomain.Money{Amount: amount, Currency: currency}
	}
	return catalogue{
		steel:     add(ownCompany, "10 mm Steel", true, money(12000, "EUR")),
		stainless: add(ownCompany, "2 mm Stainless", true, money(6500, "EUR")),
		inactive:  add(ownCompany, "1.5 mm Galvanised", false, money(1550, "EUR")),
		unpriced:  add(ownCompany, "3 mm Brass", true, nil),
		dollars:   add(ownCompany, "4 mm Copper", true, money(29500, "USD")),
		costly:    add(ownCompany, "1 mm Unobtainium", true, money(domain.MaxAmount, "EUR")),
		foreign:   add(otherCompany, "8 mm Steel", true, money(10000, "EUR")),
	}
}

// peer is the materials service as quotes reaches it: the real handler,
// in process or behind an httptest.Server, whose answers a test can
// replace (failing, slow) and whose server it can stop.
type peer struct {
	real    http.Handler
	current atomic.Pointer[http.Handler]
	calls   atomic.Int64
	server  *httptest.Server // nil in process
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.calls.Add(1)
	(*p.current.Load()).ServeHTTP(w, r)
}

// answer makes h answer every call from now on.
func (p *peer) answer(h http.Handler) { p.current.Store(&h) }

// restore makes the real materials service answer again.
func (p *peer) restore() { p.answer(p.real) }

// stop closes the server, so that calls find nothing listening.
func (p *peer) stop(tb testing.TB) {
	tb.Helper()
	if p.server == nil {
		tb.Fatal("materials runs in process: there is no server to stop")
	}
	p.server.Close()
}

// The ways materials fails.
var (
	// failing answers 500 to everything, as a service whose database went
	// away does.
	failing http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "materials is failing", http.StatusInternalServerError)
	})
	// hanging answers nothing until the caller gives up.
	hanging http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
)

// refusing forwards to h without the caller's token, so that h refuses
// it: what quotes meets when materials no longer accepts its identity.
func refusing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		r.Header.Del("Authorization")
		h.ServeHTTP(w, r)
	})
}
