package quotes

import (
	"math"
	"testing"
)

func TestUnitPrice(t *testing.T) {
	for _, tc := range []struct {
		name          string
		width, height int32
		perM2         int64
		want          int64
		ok            bool
	}{
		{"a square metre costs its price", 1000, 1000, 4500, 4500, true},
		{"half a square metre costs half", 1000, 500, 4500, 2250, true},
		{"exactly half a minor unit rounds up", 1, 1, 500_000, 1, true},
		{"just under half a minor unit rounds down", 1, 1, 499_999, 0, true},
		{"just over half a minor unit rounds up", 1, 1, 500_001, 1, true},
		{"one and a half minor units round up to two", 1, 3, 500_000, 2, true},
		{"a free material costs nothing", 10000, 10000, 0, 0, true},
		{"the largest part at a price that just fits", 10000, 10000, MaxAmount / 100, MaxAmount / 100 * 100, true},
		{"the largest part at one minor unit more a square metre is refused", 10000, 10000, MaxAmount/100 + 1, 0, false},
		{"the largest price on the smallest part", 1, 1, math.MaxInt64, 9223372036855, true},
		{"the largest price on the largest part does not overflow", 10000, 10000, math.MaxInt64, 0, false},
		{"the largest sizes int32 can hold do not overflow", math.MaxInt32, math.MaxInt32, math.MaxInt64, 0, false},
		{"a negative price is refused", 10, 10, -1, 0, false},
		{"a negative size is refused", -10, 10, 100, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := unitPrice(tc.width, tc.height, tc.perM2)
			if got != tc.want || ok != tc.ok {
				t.Errorf("unitPrice(%d, %d, %d) = %d, %v; want %d, %v", tc.width, tc.height, tc.perM2, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestMultiplyAndAdd(t *testing.T) {
	for _, tc := range []struct {
		name     string
		unit     int64
		quantity int32
		want     int64
		ok       bool
	}{
		{"a unit times a quantity", 2250, 2, 4500, true},
		{"up to the largest amount", MaxAmount / 10000, 10000, MaxAmount / 10000 * 10000, true},
		{"past the largest amount", MaxAmount/10000 + 1, 10000, 0, false},
		{"a unit above the largest amount even once", MaxAmount + 1, 1, 0, false},
		{"nothing times anything", 0, 10000, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := multiply(tc.unit, tc.quantity)
			if got != tc.want || ok != tc.ok {
				t.Errorf("multiply(%d, %d) = %d, %v; want %d, %v", tc.unit, tc.quantity, got, ok, tc.want, tc.ok)
			}
		})
	}
	for _, tc := range []struct {
		name string
		a, b int64
		want int64
		ok   bool
	}{
		{"two amounts", 5220, 90, 5310, true},
		{"up to the largest amount", MaxAmount - 1, 1, MaxAmount, true},
		{"past the largest amount", MaxAmount, 1, 0, false},
		{"the largest amounts cannot overflow", MaxAmount, MaxAmount, 0, false},
		{"a negative amount is refused", -1, 1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := add(tc.a, tc.b)
			if got != tc.want || ok != tc.ok {
				t.Errorf("add(%d, %d) = %d, %v; want %d, %v", tc.a, tc.b, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestValidCurrency(t *testing.T) {
	for code, want := range map[string]bool{"EUR": true, "USD": true, "": false, "eur": false, "EURO": false, "E1R": false, "€": false} {
		if got := validCurrency(code); got != want {
			t.Errorf("validCurrency(%q) = %v, want %v", code, got, want)
		}
	}
}
