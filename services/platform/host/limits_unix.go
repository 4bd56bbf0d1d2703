//go:build unix

package host

import (
	"math"
	"syscall"
)

// openFileLimit returns the process's soft RLIMIT_NOFILE.
func openFileLimit() (uint64, bool) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || uint64(lim.Cur) == math.MaxUint64 {
		return 0, false
	}
	return uint64(lim.Cur), true
}
