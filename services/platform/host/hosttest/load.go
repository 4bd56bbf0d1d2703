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
	// Status is the status every answer must have.
	Status int

	sent atomic.Int64
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
				method, url, body := l.Request(int(l.sent.Add(1) - 1))
				start := time.Now()
				status, data, err := send(client, method, url, l.Tokens[c], body)
				if latencies != nil {
					latencies[c] = append(latencies[c], time.Since(start))
				}
				if err == nil && status != l.Status {
					err = fmt.Errorf("%s %s: status %d, want %d: %s", method, url, status, l.Status, data)
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
