package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BrokerOptions say which broker a process uses: an external NATS server
// or cluster at URL, or else a server embedded in the process.
type BrokerOptions struct {
	// URL is the external server or cluster (NATS_URL; several URLs
	// comma-separated). Empty starts the embedded server.
	URL string
	// StoreDir is where the embedded server keeps its streams
	// ($CHARTER_DATA_DIR/nats).
	StoreDir string
	// Listen is the embedded server's client address, such as
	// 127.0.0.1:4222, where the CLI and processes of other services reach
	// it; port 0 picks a free one. Empty listens nowhere: the process
	// reaches it in process alone.
	Listen string
	// Name names the process's connection in the server's monitoring.
	Name string
	// Logger receives the embedded server's notices and errors and the
	// connection's disconnects and reconnects.
	Logger *slog.Logger
}

// Broker is the process's connection to JetStream, and the embedded
// server when it runs one. One serves every relay and consumer of the
// process.
type Broker struct {
	// Conn reconnects by itself, forever, when the server goes away.
	Conn   *nats.Conn
	server *server.Server
	url    string
}

// StartBroker connects to the broker o names, starting the embedded
// server first when o.URL is empty. A connection to an external server
// that is not up yet is retried in the background, so that a process
// starts (not ready) before its broker.
func StartBroker(o BrokerOptions) (*Broker, error) {
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	b := &Broker{url: o.URL}
	opts := []nats.Option{
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("broker disconnected", "error", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { logger.Info("broker reconnected", "url", nc.ConnectedUrlRedacted()) }),
	}
	if o.URL == "" {
		srv, err := StartServer(ServerOptions{StoreDir: o.StoreDir, Listen: o.Listen, Logger: logger})
		if err != nil {
			return nil, err
		}
		b.server = srv
		if o.Listen == "" {
			opts = append(opts, nats.InProcessServer(srv))
		} else {
			b.url = srv.ClientURL()
		}
	} else {
		opts = append(opts, nats.RetryOnFailedConnect(true))
	}
	nc, err := nats.Connect(b.url, opts...)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("events: connect to the broker: %w", err)
	}
	b.Conn = nc
	return b, nil
}

// Dial connects to the external server or cluster at url, at once or not
// at all, for a command that cannot wait for the broker to come up.
func Dial(url, name string) (*Broker, error) {
	nc, err := nats.Connect(url, nats.Name(name))
	if err != nil {
		return nil, fmt.Errorf("events: connect to the broker at %s: %w", url, err)
	}
	return &Broker{Conn: nc, url: url}, nil
}

// URL is where clients reach the broker: the external URL, or the
// embedded server's client address ("" when it listens nowhere).
func (b *Broker) URL() string { return b.url }

// Embedded reports whether the broker is the server in this process.
func (b *Broker) Embedded() bool { return b.server != nil }

// JetStream returns a JetStream context of the connection.
func (b *Broker) JetStream(opts ...jetstream.JetStreamOpt) (jetstream.JetStream, error) {
	return newJetStream(b.Conn, opts...)
}

// apiTimeout bounds a JetStream request whose context has no deadline.
// The library's 5s is short for a stream of three replicas created on a
// busy machine; a relay or consumer retries anyway.
const apiTimeout = 30 * time.Second

func newJetStream(nc *nats.Conn, opts ...jetstream.JetStreamOpt) (jetstream.JetStream, error) {
	return jetstream.New(nc, append([]jetstream.JetStreamOpt{jetstream.WithDefaultTimeout(apiTimeout)}, opts...)...)
}

// Ready reports whether the broker serves JetStream now.
func (b *Broker) Ready(ctx context.Context) error {
	if b.Conn == nil || !b.Conn.IsConnected() {
		return errors.New("events: not connected to the broker")
	}
	js, err := b.JetStream()
	if err != nil {
		return err
	}
	if _, err := js.AccountInfo(ctx); err != nil {
		return fmt.Errorf("events: the broker does not serve JetStream: %w", err)
	}
	return nil
}

// Close closes the connection, once the messages it buffered are sent,
// and stops the embedded server.
func (b *Broker) Close() {
	if b.Conn != nil {
		b.Conn.Close()
	}
	if b.server != nil {
		b.server.Shutdown()
		b.server.WaitForShutdown()
	}
}

// ServerOptions configure an embedded server.
type ServerOptions struct {
	// StoreDir is where JetStream keeps its files.
	StoreDir string
	// Listen is the client address ("" for none, port 0 for a free one).
	Listen string
	Logger *slog.Logger
}

// StartServer starts a NATS server with JetStream in this process and
// waits until it accepts connections. It holds o.StoreDir locked until
// the server has shut down, and returns ErrStoreInUse when another process
// holds it.
func StartServer(o ServerOptions) (*server.Server, error) {
	if o.StoreDir == "" {
		return nil, errors.New("events: the embedded broker needs a directory for its streams")
	}
	opts := &server.Options{
		ServerName: "charter",
		JetStream:  true,
		StoreDir:   o.StoreDir,
		NoSigs:     true,
		DontListen: o.Listen == "",
	}
	if o.Listen != "" {
		host, port, err := net.SplitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("events: the broker address %q: %w", o.Listen, err)
		}
		opts.Host = host
		if opts.Port, err = strconv.Atoi(port); err != nil {
			return nil, fmt.Errorf("events: the broker port %q is not a number", port)
		}
		if opts.Port == 0 {
			// NATS reads 0 as its default port, 4222.
			opts.Port = server.RANDOM_PORT
		} else {
			// The server would only log that it cannot listen, and never
			// be ready: say so at once.
			ln, err := net.Listen("tcp", o.Listen)
			if err != nil {
				return nil, fmt.Errorf("events: the broker cannot listen: %w", err)
			}
			ln.Close()
		}
	}
	release, err := lockStore(o.StoreDir)
	if err != nil {
		return nil, err
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		release()
		return nil, fmt.Errorf("events: the embedded broker: %w", err)
	}
	// The store is this process's until the server has shut down.
	go func() {
		srv.WaitForShutdown()
		release()
	}()
	if o.Logger != nil {
		srv.SetLogger(serverLogger{o.Logger.With("component", "nats")}, false, false)
	}
	go srv.Start()
	if !srv.ReadyForConnections(20 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("events: the embedded broker did not start within 20s")
	}
	return srv, nil
}

// serverLogger passes the embedded server's log to slog, its notices at
// debug level: they describe its start in detail nobody reads.
type serverLogger struct{ l *slog.Logger }

func (s serverLogger) Noticef(format string, v ...any) { s.l.Debug(fmt.Sprintf(format, v...)) }
func (s serverLogger) Warnf(format string, v ...any)   { s.l.Warn(fmt.Sprintf(format, v...)) }
func (s serverLogger) Fatalf(format string, v ...any)  { s.l.Error(fmt.Sprintf(format, v...)) }
func (s serverLogger) Errorf(format string, v ...any)  { s.l.Error(fmt.Sprintf(format, v...)) }
func (s serverLogger) Debugf(format string, v ...any)  { s.l.Debug(fmt.Sprintf(format, v...)) }
func (s serverLogger) Tracef(format string, v ...any)  { s.l.Debug(fmt.Sprintf(format, v...)) }
