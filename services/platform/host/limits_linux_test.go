//go:build linux

package host

import (
	"math"
	"syscall"
	"testing"
)

// TestTheOpenFileLimitIsRaised holds the claim connectionLimit's comment
// makes: the Go runtime raised the soft RLIMIT_NOFILE to the hard limit
// (to one below it, which it uses to notice a change made with prlimit)
// before any code of ours ran, so the host has nothing to raise.
func TestTheOpenFileLimitIsRaised(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if uint64(lim.Max) == math.MaxUint64 {
		t.Skip("no hard limit")
	}
	if lim.Cur+1 < lim.Max {
		t.Errorf("soft RLIMIT_NOFILE %d, hard %d: the soft limit was not raised", lim.Cur, lim.Max)
	}
}
