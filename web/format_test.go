package web

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestExactKeepsEveryDigitButAtLeastTwo(t *testing.T) {
	for in, want := range map[string]string{
		"1000":     "1,000.00",
		"0.5":      "0.50",
		"6172.835": "6,172.835", // before the single rounding: nothing is hidden
		"6172.84":  "6,172.84",
	} {
		if got := exact(decimal.RequireFromString(in)); got != want {
			t.Errorf("exact(%s) = %s, want %s", in, got, want)
		}
	}
}
