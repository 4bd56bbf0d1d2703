package sqldb_test

import (
	"testing"

	"github.com/charterhq/charter/repositories/sqldb/pgtest"
)

// TestMain stops the PostgreSQL server the tests may have started.
func TestMain(m *testing.M) { pgtest.Main(m) }
