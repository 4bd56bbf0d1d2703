//go:build unix

package events

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock of f without waiting; closing f
// releases it, as does the end of the process.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
