package host

import "log/slog"

// reservedFiles are the open files a process keeps beside its incoming
// connections: database connections (a pool of up to 2×GOMAXPROCS per
// service), SQLite's files, calls to other services, logs.
const reservedFiles = 512

// connectionLimit returns the connection limit of each of n listeners:
// limit, lowered, with a warning, when the process's open-file limit
// could not hold that many connections on every listener beside the
// files it keeps, since a process out of file descriptors fails every
// accept and every database connection alike ("too many open files").
//
// Go raises the soft RLIMIT_NOFILE to the hard limit when the process
// starts (package syscall, since Go 1.19), so the figure read here is
// already the most the process can have; only the hard limit (ulimit -Hn,
// LimitNOFILE in systemd, the container runtime's default) allows more.
func connectionLimit(limit, n int, logger *slog.Logger) int {
	files, ok := openFileLimit()
	if !ok || limit <= 0 || n <= 0 || uint64(n)*uint64(limit)+reservedFiles <= files {
		return limit
	}
	fits := 1
	if files > reservedFiles+uint64(n) {
		fits = int((files - reservedFiles) / uint64(n))
	}
	logger.Warn("CHARTER_MAX_CONNECTIONS is more than the open-file limit allows; raise the hard limit (ulimit -Hn) to keep it",
		"max_connections", limit, "services", n, "open_file_limit", files, "lowered_to", fits)
	return fits
}
