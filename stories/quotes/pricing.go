package quotes

import (
	"context"
	"math/bits"
)

// PricedMaterial is a material as the materials service prices it for a
// quote.
type PricedMaterial struct {
	// ID is the material's ID in the materials service.
	ID int64
	// CompanyID is the company the material belongs to.
	CompanyID int64
	// Name is the material's name, copied onto the lines it prices.
	Name string
	// Active is false for a material its company no longer quotes with.
	Active bool
	// PricePerSquareMetre is the price of one square metre of the sheet.
	PricePerSquareMetre Money
}

// MaterialsFunc returns the priced materials with the given IDs, keyed by
// ID; an ID absent from the map is a material that does not exist. It
// returns an error wrapping ErrMaterialsUnreachable when the materials
// service cannot be reached; any other error is internal.
type MaterialsFunc = func(ctx context.Context, ids []int64) (map[int64]PricedMaterial, error)

// MaxAmount is the largest amount a price or total may reach: 2^53-1, the
// largest integer a JavaScript number holds exactly, so that the
// TypeScript SDK's clients read every amount as it is. Nothing real comes
// near it; a material whose price would exceed it is refused rather than
// wrapped around.
const MaxAmount = 1<<53 - 1

// mm2PerM2 is how many square millimetres make a square metre.
const mm2PerM2 = 1_000_000

// unitPrice returns the price of one part of width × height millimetres of
// a material priced perM2 a square metre, rounded half up to the minor
// unit. The product is taken in 128 bits, so that no size or price can
// overflow it; ok is false when the price is negative or above MaxAmount.
func unitPrice(widthMM, heightMM int32, perM2 int64) (price int64, ok bool) {
	if widthMM < 0 || heightMM < 0 || perM2 < 0 {
		return 0, false
	}
	area := uint64(widthMM) * uint64(heightMM) // below 2^62
	hi, lo := bits.Mul64(area, uint64(perM2))
	lo, carry := bits.Add64(lo, mm2PerM2/2, 0) // half up
	hi += carry
	if hi >= mm2PerM2 {
		return 0, false // the quotient would not fit in 64 bits
	}
	q, _ := bits.Div64(hi, lo, mm2PerM2)
	if q > MaxAmount {
		return 0, false
	}
	return int64(q), true
}

// multiply returns unit × quantity; ok is false when it is negative or
// above MaxAmount.
func multiply(unit int64, quantity int32) (total int64, ok bool) {
	if unit < 0 || quantity < 0 || unit > MaxAmount {
		return 0, false
	}
	if quantity != 0 && unit > MaxAmount/int64(quantity) {
		return 0, false
	}
	return unit * int64(quantity), true
}

// add returns a + b, both of them 0 to MaxAmount; ok is false when the sum
// is above MaxAmount. Such sums cannot overflow an int64.
func add(a, b int64) (sum int64, ok bool) {
	if a < 0 || b < 0 || a > MaxAmount || b > MaxAmount || a+b > MaxAmount {
		return 0, false
	}
	return a + b, true
}

// validCurrency reports whether code has the shape of an ISO 4217 code:
// three upper-case letters.
func validCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := range len(code) {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}
