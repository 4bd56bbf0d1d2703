package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"golang.org/x/net/netutil"
)

// NewLogger returns the structured logger the configuration asks for.
func NewLogger(c Config, w io.Writer) *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// Server is one service's HTTP server: the configured timeouts and
// connection limit, and a record of the requests in flight, so that a
// shutdown can answer the ones its grace period does not see finish.
type Server struct {
	http     *http.Server
	cfg      Config
	logger   *slog.Logger
	inFlight *inFlight
	// cancel ends the context of every request, once the grace period
	// is over.
	cancel context.CancelFunc
}

// NewServer returns a server of h with the configured timeouts and
// connection limit.
func NewServer(c Config, h http.Handler, logger *slog.Logger) *Server {
	base, cancel := context.WithCancel(context.Background())
	f := &inFlight{reqs: map[*guarded]struct{}{}}
	srv := &http.Server{
		Handler:           f.track(h),
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	if c.MaxConnections > 0 {
		conns := newConnections(c.MaxConnections)
		srv.Handler, srv.ConnState = conns.closeWhenFull(srv.Handler), conns.state
	}
	return &Server{http: srv, cfg: c, logger: logger, inFlight: f, cancel: cancel}
}

// Drain prepares the server for a shutdown while it still serves: it
// closes its idle connections and each other one after its next
// response (Connection: close), so that clients open new ones, which a
// load balancer that has seen /readyz fail sends elsewhere.
func (s *Server) Drain() { s.http.SetKeepAlivesEnabled(false) }

// Serve serves on ln, holding at most Config.MaxConnections connections
// at once (the others wait in the listen queue), until ctx is done. Then
// it shuts down: it stops accepting connections and waits up to
// Config.ShutdownTimeout for the requests in flight to finish. A request
// still running after that is answered 503 with Retry-After and
// Connection: close, unless its response has begun, and its context is
// cancelled. Serve returns nil after a shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.cancel()
	if s.cfg.MaxConnections > 0 {
		ln = netutil.LimitListener(ln, s.cfg.MaxConnections)
	}
	served := make(chan error, 1)
	go func() { served <- s.http.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.logger.Info("shutting down", "grace", s.cfg.ShutdownTimeout.String())
	graceCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := s.http.Shutdown(graceCtx); err != nil {
		answered, cut := s.inFlight.answerUnavailable()
		s.cancel()
		_ = s.http.Close()
		s.logger.Warn("requests still running at the end of the grace period",
			"answered_503", answered, "cut_off", cut)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	s.logger.Info("stopped")
	return nil
}
