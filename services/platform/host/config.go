// Package host runs services: one process hosts every service (the
// default) or a chosen subset, each on its own listener over its own
// database, calling the services it depends on in process when they run
// beside it and over the network when they do not. It reads the
// configuration from the environment, puts timeouts on every phase of a
// request and a limit on the connections of each listener, logs in
// structured form and shuts down gracefully: a drain in which /readyz
// fails while requests are still served, then a grace period for the
// requests in flight, after which those still running are answered 503.
package host

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/contract"
)

// Config is the server's configuration. FromEnv documents each variable.
type Config struct {
	// Services are the services this process runs (CHARTER_SERVICES,
	// comma-separated; every service when empty).
	Services []string
	// DatabaseURL selects the store (DATABASE_URL): a postgres:// URL for
	// PostgreSQL, where each service has a schema of its own; "memory"
	// for the in-memory store; a SQLite file, for a process that runs one
	// service. Empty (the default) gives each service a SQLite file of its
	// own under DataDir. CHARTER_<NAME>_DATABASE_URL overrides it for one
	// service.
	DatabaseURL string
	// DataDir holds the services' SQLite files (CHARTER_DATA_DIR, default
	// "var").
	DataDir string
	// Dev turns on development mode (CHARTER_DEV=1): a development signing
	// key, demo data and tokens printed at start.
	Dev bool
	// BodyLimit is the largest request body accepted, in bytes
	// (CHARTER_BODY_LIMIT, default 1 MiB).
	BodyLimit int64
	// Timeouts of the HTTP server (CHARTER_READ_HEADER_TIMEOUT,
	// CHARTER_READ_TIMEOUT, CHARTER_WRITE_TIMEOUT, CHARTER_IDLE_TIMEOUT) and
	// how long a shutdown waits for requests in flight once it has
	// stopped accepting connections (CHARTER_SHUTDOWN_TIMEOUT); Go
	// durations such as "5s".
	//
	// The idle timeout, 65 s by default, is how long a keep-alive
	// connection waits for its next request. It is longer than the 60 s
	// after which common load balancers (AWS's, nginx's upstream
	// keep-alive) close an idle connection, so that they close it first:
	// a server that closes as the balancer sends a request makes it
	// answer 502. What idle connections cost (about 20 KB each) is
	// bounded by MaxConnections.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout, ShutdownTimeout time.Duration
	// DrainTimeout is how long a shutdown goes on serving, with every
	// /readyz answering 503, before it stops accepting connections
	// (CHARTER_DRAIN_TIMEOUT, default 5s; 0 for none): the time a load
	// balancer takes to see the probe fail and stop sending requests.
	DrainTimeout time.Duration
	// MaxConnections is the most connections each service's listener
	// holds open at once (CHARTER_MAX_CONNECTIONS, default 4096); the
	// others wait in the listen queue until one closes. It bounds the
	// memory and the file descriptors connections take; Serve lowers it
	// when the open-file limit could not hold it.
	MaxConnections int
	// Responses is how responses, and the payloads of the events the
	// stories record, are checked against their contracts
	// (CHARTER_RESPONSE_CHECK): "strict" fails a violating response with a
	// 500 and a story recording a violating event, "off" checks nothing,
	// "sampled:R" checks a share R of them and logs and counts what
	// violates. Empty means strict in development mode and sampled:0.01
	// otherwise.
	Responses string
	// LogFormat is "text" or "json" (CHARTER_LOG_FORMAT, default "text").
	LogFormat string
	// Events configure the broker, the relays and the consumers of the
	// services that publish or consume events.
	Events EventsConfig
}

// EventsConfig configure how a process's services exchange events.
type EventsConfig struct {
	// URL is an external NATS server or cluster (NATS_URL; several URLs
	// comma-separated). Empty runs a server in the process, with its
	// streams under DataDir/nats.
	URL string
	// Listen is where the embedded server accepts clients, such as the
	// CLI and the processes of services hosted elsewhere
	// (CHARTER_NATS_LISTEN, default 127.0.0.1:4222; a free port when the
	// default one is taken; "none" for this process alone).
	Listen string
	// Replicas of each stream (CHARTER_NATS_REPLICAS, default 1; 3 on a
	// cluster of three).
	Replicas int
	// MaxAge is how long streams keep events (CHARTER_NATS_MAX_AGE,
	// default 0: for ever, so that read models can be rebuilt by replay).
	MaxAge time.Duration
	// MaxAttempts is how many deliveries a handler gets before the event
	// goes to the dead letters (CHARTER_EVENTS_MAX_ATTEMPTS, default 5).
	MaxAttempts int
	// RetryBase and RetryMax bound the wait before a failed event comes
	// again (CHARTER_EVENTS_RETRY_BASE, CHARTER_EVENTS_RETRY_MAX, default
	// 1s doubling up to 1m).
	RetryBase, RetryMax time.Duration
	// AckWait is how long the broker waits on a handler before it
	// delivers the event again (CHARTER_EVENTS_ACK_WAIT, default 30s).
	AckWait time.Duration
	// Poll is how often a relay looks at its outbox besides the commits
	// that wake it (CHARTER_EVENTS_POLL, default 1s).
	Poll time.Duration
	// Workers are the handlers each consumer runs side by side
	// (CHARTER_EVENTS_WORKERS, default 4).
	Workers int
}

// defaultNATSListen is where the embedded broker listens by default.
const defaultNATSListen = "127.0.0.1:4222"

// Defaults returns the configuration used when no variable is set.
func Defaults() Config {
	return Config{
		DataDir:           "var",
		BodyLimit:         1 << 20,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       65 * time.Second,
		ShutdownTimeout:   20 * time.Second,
		DrainTimeout:      5 * time.Second,
		MaxConnections:    4096,
		LogFormat:         "text",
		Events: EventsConfig{
			Listen: defaultNATSListen, Replicas: 1, MaxAttempts: 5,
			RetryBase: time.Second, RetryMax: time.Minute, AckWait: 30 * time.Second,
			Poll: time.Second, Workers: 4,
		},
	}
}

// Checks is the policy Responses names, which decides which responses
// the stack checks against the service's contract and which payloads of
// the events its stories record are checked against its event contract.
func (c Config) Checks() (checks.Policy, error) {
	v := c.Responses
	if v == "" {
		v = "sampled:0.01"
		if c.Dev {
			v = "strict"
		}
	}
	return checks.Parse(v)
}

// ResponseCheck is the check of responses Responses names (Checks).
func (c Config) ResponseCheck() (contract.ResponseCheck, error) {
	p, err := c.Checks()
	if err != nil {
		return contract.ResponseCheck{}, err
	}
	return contract.ResponseCheckOf(p), nil
}

// SplitList splits a comma-separated list, dropping blanks.
func SplitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FromEnv reads the configuration from getenv (os.Getenv in production),
// starting from Defaults. It returns an error naming the variable of every
// value it cannot parse.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Defaults()
	var errs []error
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	dur := func(name string, dst *time.Duration) {
		v := getenv(name)
		if v == "" {
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 5s", name, v))
			return
		}
		*dst = d
	}
	str("DATABASE_URL", &c.DatabaseURL)
	str("CHARTER_DATA_DIR", &c.DataDir)
	if v := getenv("CHARTER_SERVICES"); v != "" {
		c.Services = SplitList(v)
	}
	str("CHARTER_LOG_FORMAT", &c.LogFormat)
	str("CHARTER_RESPONSE_CHECK", &c.Responses)
	if _, err := c.ResponseCheck(); err != nil {
		errs = append(errs, fmt.Errorf("CHARTER_RESPONSE_CHECK: %w", err))
	}
	if v := getenv("CHARTER_DEV"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("CHARTER_DEV: %q is not a boolean", v))
		}
		c.Dev = b
	}
	if v := getenv("CHARTER_BODY_LIMIT"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("CHARTER_BODY_LIMIT: %q is not a positive number of bytes", v))
		} else {
			c.BodyLimit = n
		}
	}
	dur("CHARTER_READ_HEADER_TIMEOUT", &c.ReadHeaderTimeout)
	dur("CHARTER_READ_TIMEOUT", &c.ReadTimeout)
	dur("CHARTER_WRITE_TIMEOUT", &c.WriteTimeout)
	dur("CHARTER_IDLE_TIMEOUT", &c.IdleTimeout)
	dur("CHARTER_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	dur("CHARTER_DRAIN_TIMEOUT", &c.DrainTimeout)
	if v := getenv("CHARTER_MAX_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("CHARTER_MAX_CONNECTIONS: %q is not a positive number", v))
		} else {
			c.MaxConnections = n
		}
	}
	str("NATS_URL", &c.Events.URL)
	str("CHARTER_NATS_LISTEN", &c.Events.Listen)
	positive := func(name string, dst *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				errs = append(errs, fmt.Errorf("%s: %q is not a positive number", name, v))
				return
			}
			*dst = n
		}
	}
	positive("CHARTER_NATS_REPLICAS", &c.Events.Replicas)
	dur("CHARTER_NATS_MAX_AGE", &c.Events.MaxAge)
	positive("CHARTER_EVENTS_MAX_ATTEMPTS", &c.Events.MaxAttempts)
	dur("CHARTER_EVENTS_RETRY_BASE", &c.Events.RetryBase)
	dur("CHARTER_EVENTS_RETRY_MAX", &c.Events.RetryMax)
	dur("CHARTER_EVENTS_ACK_WAIT", &c.Events.AckWait)
	dur("CHARTER_EVENTS_POLL", &c.Events.Poll)
	positive("CHARTER_EVENTS_WORKERS", &c.Events.Workers)
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("CHARTER_LOG_FORMAT: %q is neither text nor json", c.LogFormat))
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
}
