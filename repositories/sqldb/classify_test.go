package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestIsUnavailable covers the errors a real outage is hard to produce on
// demand: each SQLSTATE of a server that cannot serve now, and the
// failures that look alike but that trying again cannot cure.
func TestIsUnavailable(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Severity: "FATAL", Code: code} }
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"connection_failure 08006", pg("08006"), true},
		{"sqlclient_unable_to_establish_sqlconnection 08001", pg("08001"), true},
		{"admin_shutdown 57P01", pg("57P01"), true},
		{"crash_shutdown 57P02", pg("57P02"), true},
		{"cannot_connect_now 57P03 (shutting down, starting up)", pg("57P03"), true},
		{"too_many_connections 53300", pg("53300"), true},
		{"a wrapped one", fmt.Errorf("sqldb: get material: %w", pg("57P01")), true},
		{"unique_violation 23505", pg("23505"), false},
		{"undefined_table 42P01", pg("42P01"), false},
		{"invalid_password 28P01", pg("28P01"), false},
		{"query_canceled 57014", pg("57014"), false},
		{"no rows", sql.ErrNoRows, false},
		{"a cancelled request", context.Canceled, false},
		{"anything else", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isUnavailable(tt.err); got != tt.want {
				t.Errorf("isUnavailable(%v) = %v, want %v", tt.err, got, tt.want)
			}
			if got := errors.Is(classify(tt.err), ErrUnavailable); got != tt.want {
				t.Errorf("classify(%v) wraps ErrUnavailable: %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	t.Run("classify keeps the driver's error and its text", func(t *testing.T) {
		err := classify(pg("57P01"))
		if _, ok := errors.AsType[*pgconn.PgError](err); !ok || err.Error() != pg("57P01").Error() {
			t.Errorf("classify = %v, want the PgError within, its text unchanged", err)
		}
		if again := classify(err); again != err {
			t.Errorf("classify wrapped an error twice: %v", again)
		}
	})
}
