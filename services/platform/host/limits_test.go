package host

import (
	"log/slog"
	"testing"
)

func TestConnectionLimitFitsTheOpenFileLimit(t *testing.T) {
	files, ok := openFileLimit()
	if !ok || files <= reservedFiles+2 {
		t.Skipf("no usable open-file limit (%d, %v)", files, ok)
	}
	logger := slog.New(slog.DiscardHandler)
	if got := connectionLimit(10, 2, logger); got != 10 {
		t.Errorf("a limit that fits: got %d, want 10", got)
	}
	if got, want := connectionLimit(int(files), 2, logger), int((files-reservedFiles)/2); got != want {
		t.Errorf("a limit of as many connections per service as the process has files: got %d, want %d", got, want)
	}
}
