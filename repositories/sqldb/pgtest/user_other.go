//go:build !linux

package pgtest

import (
	"errors"
	"os"
	"syscall"
)

// unprivileged refuses root outside Linux, where the switch of user is not
// implemented.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() == 0 {
		return nil, errors.New("pgtest: running PostgreSQL from root is supported on Linux only")
	}
	return nil, nil
}

func procAttr(*syscall.Credential) *syscall.SysProcAttr { return nil }
