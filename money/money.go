// Package money holds the rules for amounts and rates of POLICIES.md ("Money"): how an input
// is parsed and checked, how a total is rounded once, half up, to the fen, and how a cap
// limits a payout. It uses shopspring/decimal throughout; binary floating point never touches
// an amount.
package money

import (
	"errors"
	"strings"

	"github.com/shopspring/decimal"
)

// The errors Parse, ParseRate, CheckAmount and CheckRate return. Their text is a short
// sentence meant to be shown as a field error ("amount: must be greater than 0"); callers
// that need to branch use errors.Is.
var (
	ErrAmountSyntax = errors.New(`must be a decimal number such as "1234.50"`)
	ErrRateSyntax   = errors.New(`must be a decimal number such as "0.50"`)
	ErrNotPositive  = errors.New("must be greater than 0")
	ErrAmountPlaces = errors.New("must have at most 2 decimal places")
	ErrTooLarge     = errors.New("must have at most 18 digits before the decimal point")
	ErrRateRange    = errors.New("must be between 0 and 1")
	ErrRatePlaces   = errors.New("must have at most 8 decimal places")
)

// Limits of the PostgreSQL columns: amounts are NUMERIC(20,2), rates NUMERIC(12,8).
const (
	AmountPlaces    = 2
	AmountIntDigits = 18
	RatePlaces      = 8
)

var (
	amountLimit = decimal.New(1, AmountIntDigits) // first value with 19 integer digits
	one         = decimal.NewFromInt(1)
)

// Parse reads an input amount such as "1234.50". Only the plain form is accepted (digits,
// optionally a point and more digits; no sign, exponent, spaces or grouping) so that what a
// user typed is exactly what is stored. Trailing zeros do not count as decimal places
// ("1.500" is 1.50) and leading zeros do not count as digits: the checks are on the value.
func Parse(s string) (decimal.Decimal, error) {
	neg, ok := plain(s)
	if !ok {
		return decimal.Decimal{}, ErrAmountSyntax
	}
	if neg {
		return decimal.Decimal{}, ErrNotPositive
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, ErrAmountSyntax
	}
	if err := CheckAmount(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// ErrBound is ParseBound's error for what is not an amount at all.
var ErrBound = errors.New("must be a non-negative decimal amount such as 23456.78")

// ParseBound reads a bound of an amount range (a search's "from 1,000.00 to 5,000.00") by
// Parse's rules, except that 0 is a bound like any other: plain digits, at most two places,
// within an amount column. Errors are ErrTooLarge, ErrAmountPlaces or ErrBound.
func ParseBound(s string) (decimal.Decimal, error) {
	d, err := Parse(s)
	switch {
	case err == nil:
		return d, nil
	case errors.Is(err, ErrTooLarge) || errors.Is(err, ErrAmountPlaces):
		return decimal.Decimal{}, err
	case errors.Is(err, ErrNotPositive):
		if neg, ok := plain(s); ok && !neg {
			if z, zerr := decimal.NewFromString(s); zerr == nil && z.IsZero() {
				return z, nil
			}
		}
	}
	return decimal.Decimal{}, ErrBound
}

// CheckAmount applies Parse's rules to an amount that arrived already decoded (for example a
// program parameter in JSON): > 0, at most 2 decimal places, fits NUMERIC(20,2).
func CheckAmount(d decimal.Decimal) error {
	switch {
	case !d.IsPositive():
		return ErrNotPositive
	case !d.Equal(d.Truncate(AmountPlaces)):
		return ErrAmountPlaces
	case d.GreaterThanOrEqual(amountLimit):
		return ErrTooLarge
	}
	return nil
}

// Fits reports whether a total (a sum of lines, a raised budget) can still be stored in an
// amount column.
func Fits(d decimal.Decimal) bool { return d.LessThan(amountLimit) }

// ParseRate reads a rate such as "0.50" (50 %), in the same plain form as Parse.
func ParseRate(s string) (decimal.Decimal, error) {
	neg, ok := plain(s)
	if !ok {
		return decimal.Decimal{}, ErrRateSyntax
	}
	if neg {
		return decimal.Decimal{}, ErrRateRange
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, ErrRateSyntax
	}
	if err := CheckRate(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// CheckRate applies ParseRate's rules to a decoded rate: 0 ≤ r ≤ 1, at most 8 decimal
// places (NUMERIC(12,8)).
func CheckRate(d decimal.Decimal) error {
	switch {
	case d.IsNegative() || d.GreaterThan(one):
		return ErrRateRange
	case !d.Equal(d.Truncate(RatePlaces)):
		return ErrRatePlaces
	}
	return nil
}

// plain reports whether s is digits with at most one point that has digits on both sides,
// optionally preceded by '-'; neg says whether it was. The minus sign is recognised only so
// that "-5" gets "must be greater than 0" instead of a syntax error.
func plain(s string) (neg, ok bool) {
	if rest, found := strings.CutPrefix(s, "-"); found {
		neg, s = true, rest
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if !digits(intPart) || (hasPoint && !digits(frac)) {
		return neg, false
	}
	return neg, true
}

// digits reports whether s is a non-empty run of ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Round rounds half up (四舍五入) to 0.01, the one rounding POLICIES.md allows per total:
// 0.005 → 0.01, 0.004 → 0.00. A negative value rounds half away from zero, mirroring the
// positive side (−0.005 → −0.01); amounts are never negative in the rules, but a ledger
// difference may be. The result always carries exactly 2 decimal places.
func Round(d decimal.Decimal) decimal.Decimal {
	return d.Round(AmountPlaces)
}

// Format renders an amount with exactly 2 decimals ("1234.50"), the form used in texts and
// JSON. A value with more places is rounded as Round does.
func Format(d decimal.Decimal) string {
	return d.StringFixed(AmountPlaces)
}

// Cap limits a payout to what is left under a limit: paid = min(amount, max(limit − used,
// 0)). capped reports whether the limit took something away, so the caller can say so to the
// applicant. POLICIES.md applies caps after rounding, so amount should already be rounded.
func Cap(amount, limit, used decimal.Decimal) (paid decimal.Decimal, capped bool) {
	left := decimal.Max(limit.Sub(used), decimal.Zero)
	if amount.GreaterThan(left) {
		return left, true
	}
	return amount, false
}

// FormatRate shows a rate with at least two decimals ("0.50"), and all of its own when it
// has more ("0.0035").
func FormatRate(r decimal.Decimal) string {
	if r.Exponent() >= -2 {
		return r.StringFixed(2)
	}
	return r.String()
}
