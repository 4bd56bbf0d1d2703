package quotes

import "fmt"

// The bounds of a quote's lines, as the contract documents them.
const (
	// MaxLines is the most lines a quote holds.
	MaxLines = 100
	// MaxQuantity is the most parts one line asks for.
	MaxQuantity = 10000
	// MaxSizeMM is the largest width or height of a part, in millimetres.
	MaxSizeMM = 10000
)

// draftLines returns lines as a draft holds them: the ordered fields only,
// so that a caller cannot set its own prices, in a new slice the caller's
// cannot change. Returns ErrTooManyLines, or a *LineError for
// ErrInvalidLine naming the first line out of range.
func draftLines(lines []Line) ([]Line, error) {
	if len(lines) > MaxLines {
		return nil, fmt.Errorf("%w: %d lines, at most %d", ErrTooManyLines, len(lines), MaxLines)
	}
	out := make([]Line, len(lines))
	for i, l := range lines {
		if why := outOfRange(l); why != "" {
			return nil, &LineError{Index: i, MaterialID: l.MaterialID, Reason: ErrInvalidLine, Why: why}
		}
		out[i] = Line{MaterialID: l.MaterialID, Quantity: l.Quantity, WidthMM: l.WidthMM, HeightMM: l.HeightMM}
	}
	return out, nil
}

// outOfRange says what is out of range in l, or "".
func outOfRange(l Line) string {
	switch {
	case l.MaterialID <= 0:
		return "the material ID must be positive"
	case l.Quantity < 1 || l.Quantity > MaxQuantity:
		return fmt.Sprintf("the quantity must be 1 to %d", MaxQuantity)
	case l.WidthMM < 1 || l.WidthMM > MaxSizeMM:
		return fmt.Sprintf("the width must be 1 to %d mm", MaxSizeMM)
	case l.HeightMM < 1 || l.HeightMM > MaxSizeMM:
		return fmt.Sprintf("the height must be 1 to %d mm", MaxSizeMM)
	}
	return ""
}
