package sqldb

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// ErrUnavailable is wrapped in the error of a statement that failed
// because the database cannot serve it now, though it may shortly: the
// server refused or dropped the connection, is shutting down or starting
// up, has no connection slot left, or (SQLite) another connection held
// the write lock for longer than the busy timeout. Test for it with
// errors.Is; the error keeps the driver's error too.
//
// Its Unavailable method is how the platform knows such an error without
// importing this package: services/platform/contract answers an internal
// error that wraps one 503 with Retry-After instead of 500.
var ErrUnavailable error = unavailable{}

type unavailable struct{}

func (unavailable) Error() string { return "sqldb: the database is unavailable" }

// Unavailable reports true: trying again later may work.
func (unavailable) Unavailable() bool { return true }

// unavailableError is a driver's error that isUnavailable recognized. Its
// text is the driver's.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// classify returns err wrapped with ErrUnavailable when it says the
// database is unavailable, and err as it is otherwise.
func classify(err error) error {
	if err == nil || !isUnavailable(err) || errors.Is(err, ErrUnavailable) {
		return err
	}
	return &unavailableError{err}
}

// PostgreSQL's SQLSTATEs of a server that cannot serve now: the class of
// connection exceptions, and the operator intervention codes of a server
// shutting down, crashed or still starting.
const (
	pgClassConnection    = "08"    // connection_exception and its subclasses
	pgAdminShutdown      = "57P01" // admin_shutdown: terminated by a shutdown
	pgCrashShutdown      = "57P02" // crash_shutdown
	pgCannotConnectNow   = "57P03" // cannot_connect_now: shutting down, starting up
	pgTooManyConnections = "53300" // too_many_connections: no slot left
)

// isUnavailable reports whether err says the database cannot serve now
// but may shortly, as opposed to a failure that trying again cannot
// cure (a constraint, a bad statement, a wrong password).
func isUnavailable(err error) bool {
	// The server's own word comes first: a connection attempt that the
	// server answered with an authentication failure or an unknown
	// database is a configuration error, not an outage.
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch code := pgErr.Code; {
		case strings.HasPrefix(code, pgClassConnection),
			code == pgAdminShutdown, code == pgCrashShutdown, code == pgCannotConnectNow,
			code == pgTooManyConnections:
			return true
		default:
			return false
		}
	}
	if isBusy(err) {
		return true
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	return pgconn.Timeout(err) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		// A driver reading from a connection the server closed.
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, driver.ErrBadConn)
}

// sqliteBusy is SQLITE_BUSY, the primary code of a locked database.
const sqliteBusy = 5

// isBusy reports whether err is SQLite refusing a lock another
// connection holds.
func isBusy(err error) bool {
	liteErr, ok := errors.AsType[*sqlite.Error](err)
	return ok && liteErr.Code()&0xff == sqliteBusy
}
