package hosttest

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Connections is how many clients the services' load benchmarks run at
// once, each over a connection of its own.
const Connections = 32

// MixedConnections is how many clients the services' mixed loads of
// reads and writes run at once.
const MixedConnections = 50

// ReadShare is the share of reads in a mixed load, in percent: the
// others are writes.
const ReadShare = 80

// Load is a stream of requests sent by concurrent clients, each with a
// token and a connection of its own, each sending its next request as soon
// as its last one is answered.
type Load struct {
	// Tokens are the clients' bearer tokens (see Tokens): there are as
	// many clients as tokens.
	Tokens []string
	// Request returns the method, the URL and the JSON body (nil for
	// none) of the i-th request; i counts every request of the Load,
	// over all its runs, from 0. The clients call it concurrently.
	Request func(i int) (method, url string, body []byte)
	// Status is the status every answer must have, unless Mix says
	// otherwise.
	Status int
	// Mix, when set, replaces Request and Status: it returns the i-th
	// request, with the header fields it sends besides its token (an
	// Idempotency-Key, an If-Match), and the status its answer must have.
	// A mixed load of reads and writes is one Mix.
	Mix func(i int) Request

	sent atomic.Int64
}

// Request is one request of a Mix.
type Request struct {
	Method, URL string
	// Body is the JSON body; nil for none.
	Body []byte
	// Header holds the fields sent besides the token; nil for none.
	Header http.Header
	// Status is the status the answer must have.
	Status int
}

// next returns the i-th request of l.
func (l *Load) next(i int) Request {
	if l.Mix != nil {
		return l.Mix(i)
	}
	method, url, body := l.Request(i)
	return Request{Method: method, URL: url, Body: body, Status: l.Status}
}

// Run is a benchmark: after every client has sent one request untimed,
// which opens its connection and has its token verified once, the clients
// send b.N requests in all. It reports the throughput (req/s) and the
// median and 99th-percentile latency of a request (p50-ms, p99-ms); ns/op
// is the inverse of the throughput. The clients run in this process,
// beside the servers, and take their share of the CPU.
func (l *Load) Run(b *testing.B) {
	clients := make([]*http.Client, len(l.Tokens))
	for i := range clients {
		t := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true}
		defer t.CloseIdleConnections()
		clients[i] = &http.Client{Transport: t}
	}
	if err := l.each(clients, len(clients), nil); err != nil {
		b.Fatal(err)
	}
	latencies := make([][]time.Duration, len(clients))
	b.ResetTimer()
	start := time.Now()
	err := l.each(clients, b.N, latencies)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	all := slices.Sorted(slices.Values(slices.Concat(latencies...)))
	quantile := func(q float64) float64 {
		return float64(all[int(q*float64(len(all)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(quantile(0.5), "p50-ms")
	b.ReportMetric(quantile(0.99), "p99-ms")
}

// each has the clients send n requests in all and, when latencies is not
// nil, records each one's latency in its client's slice. It stops at the
// first failure and returns it.
func (l *Load) each(clients []*http.Client, n int, latencies [][]time.Duration) error {
	var (
		left    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		failure error
	)
	left.Store(int64(n))
	for c, client := range clients {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				req := l.next(int(l.sent.Add(1) - 1))
				start := time.Now()
				status, data, err := send(client, req.Method, req.URL, l.Tokens[c], req.Body, req.Header)
				if latencies != nil {
					latencies[c] = append(latencies[c], time.Since(start))
				}
				if err == nil && status != req.Status {
					err = fmt.Errorf("%s %s: status %d, want %d: %s", req.Method, req.URL, status, req.Status, data)
				}
				if err != nil {
					errOnce.Do(func() { failure = err })
					left.Store(0)
					return
				}
			}
		})
	}
	wg.Wait()
	return failure
}
