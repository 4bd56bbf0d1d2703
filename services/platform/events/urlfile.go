package events

import (
	"os"
	"path/filepath"
	"strings"
)

// URLFile is the file under a data directory where a process whose
// embedded broker accepts clients writes its address, so that the tools
// and the other commands of that data directory (`charter events`,
// `charterd rebuild`) find the broker `make run` started without being
// told.
const URLFile = "nats.url"

// WriteURL writes url into dir's URLFile and returns the file's path.
func WriteURL(dir, url string) (string, error) {
	path := filepath.Join(dir, URLFile)
	return path, os.WriteFile(path, []byte(url+"\n"), 0o644)
}

// WrittenURL returns the address written into dir's URLFile: "" when
// there is none. A file left by a process that ended without removing it
// names a broker that no longer answers, which its reader finds out.
func WrittenURL(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, URLFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
