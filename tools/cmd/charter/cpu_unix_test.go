//go:build unix

package main

import "syscall"

// cpuSeconds returns the CPU time, user and system, that this process and
// the children it waited for have used: on a busy machine, a figure that
// does not depend on what else runs.
func cpuSeconds() (float64, bool) {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0, false
	}
	ns := self.Utime.Nano() + self.Stime.Nano() + children.Utime.Nano() + children.Stime.Nano()
	return float64(ns) / 1e9, true
}
