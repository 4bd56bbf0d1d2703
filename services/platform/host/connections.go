package host

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// connections counts a server's open connections against its limit and
// keeps the idle ones. A listener at its limit accepts nothing until a
// connection closes, and a keep-alive connection that waits for its
// client's next request would hold its place for the whole idle timeout
// while new clients wait: so a server at its limit closes its idle
// connections, and each other one after its response (Connection: close),
// which lets the waiting connections in.
type connections struct {
	limit int
	full  atomic.Bool // open >= limit

	mu   sync.Mutex
	open int
	idle map[net.Conn]struct{}
}

func newConnections(limit int) *connections {
	return &connections{limit: limit, idle: map[net.Conn]struct{}{}}
}

// state is the server's ConnState hook.
func (c *connections) state(conn net.Conn, s http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch s {
	case http.StateNew:
		c.open++
		if c.open >= c.limit {
			c.full.Store(true)
			for idle := range c.idle {
				// Its state becomes StateClosed, and its place in the
				// listener's limit is free.
				idle.Close()
			}
		}
	case http.StateActive:
		delete(c.idle, conn)
	case http.StateIdle:
		if c.full.Load() {
			conn.Close()
			return
		}
		c.idle[conn] = struct{}{}
	case http.StateHijacked, http.StateClosed:
		delete(c.idle, conn)
		c.open--
		c.full.Store(c.open >= c.limit)
	}
}

// closeWhenFull has each response of h close its connection while the
// server is at its limit.
func (c *connections) closeWhenFull(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.full.Load() {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}
