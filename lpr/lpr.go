// Package lpr holds the 1-year loan prime rate (贷款市场报价利率, LPR) fixings the interest
// subsidy checks a loan contract against (POLICIES.md, "5. Interest subsidies": the stated
// LPR must equal the official 1-year LPR in force on the contract date). The project ships
// the published table and administrators add new fixings; this package is pure: it parses,
// looks up and extends a table, and the caller stores it.
package lpr

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// Fixing is one published rate and the day it takes effect. Rate is a decimal fraction
// (3.45 % is 0.0345, exactly), the form every rate of the project takes.
type Fixing struct {
	Effective time.Time       `json:"effective_date"` // a calendar date, UTC midnight
	Rate      decimal.Decimal `json:"rate"`
}

// Percent shows the rate as the PBOC publishes it ("3.65 %").
func (f Fixing) Percent() string { return Percent(f.Rate) }

// Percent shows a decimal-fraction rate as a percentage with at least two decimals
// ("3.65 %", "3.125 %"): the form people read fixings in.
func Percent(rate decimal.Decimal) string {
	p := rate.Shift(2)
	if p.Exponent() >= -2 {
		return p.StringFixed(2) + " %"
	}
	return p.String() + " %"
}

// Table is the fixings in ascending order of effective date, one per date. Every function
// of this package that returns a Table keeps it so; a Table built by hand must be too.
type Table []Fixing

// The errors of Add. The fixing's date and the rate it collides with are wrapped around
// them; test with errors.Is.
var (
	ErrInForce   = errors.New("a fixing already in force cannot be changed")
	ErrDuplicate = errors.New("a fixing for this date exists with a different rate")
	ErrNoDate    = errors.New("the fixing has no effective date")
	ErrBadRate   = errors.New("the rate must be above 0 and at most 1 (100 %), with at most 8 decimal places")
)

//go:embed lpr-1y.csv
var published []byte

var publishedTable = mustParse(published)

func mustParse(b []byte) Table {
	t, err := ParseCSV(strings.NewReader(string(b)))
	if err != nil {
		panic("lpr: embedded lpr-1y.csv: " + err.Error()) // embedded at build time; a test reads it
	}
	return t
}

// Published is the table the project ships (the PBOC's 1-year LPR since the 2019 reform). It
// returns a copy, so a caller that appends cannot change what the next caller sees.
func Published() Table { return slices.Clone(publishedTable) }

// InForce is the fixing in force on a day: the latest one effective on or before it. Only
// the calendar date of day counts, read in its own zone. ok is false before the first
// fixing.
func (t Table) InForce(day time.Time) (Fixing, bool) {
	d := civil(day)
	// i is the number of fixings effective on or before d.
	i, _ := slices.BinarySearchFunc(t, d, func(f Fixing, d time.Time) int {
		if f.Effective.After(d) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return Fixing{}, false
	}
	return t[i-1], true
}

// Add returns the table with a new fixing, leaving t untouched. The rules protect loans
// already checked against the table:
//   - the same date and rate again changes nothing (a retried request is harmless);
//   - another rate for a date that exists is refused: ErrInForce once that date has come
//     (on or before today), ErrDuplicate before;
//   - a date on or before today is refused with ErrInForce when a later fixing is already
//     in force, because it would change the rate of days that fixing has covered. A fixing
//     entered a few days late (it is published on the day it takes effect) is the latest in
//     force and is accepted;
//   - a future date is accepted.
func (t Table) Add(f Fixing, today time.Time) (Table, error) {
	f.Effective = civil(f.Effective)
	if err := check(f); err != nil {
		return t, err
	}
	now := civil(today)
	i, found := slices.BinarySearchFunc(t, f.Effective, func(e Fixing, d time.Time) int { return e.Effective.Compare(d) })
	if found {
		return t, collision(t[i], f, now)
	}
	if !f.Effective.After(now) && i < len(t) && !t[i].Effective.After(now) {
		return t, fmt.Errorf("%w: the later fixing of %s is already in force, so one of %s would change the rate of days gone by",
			ErrInForce, date(t[i].Effective), date(f.Effective))
	}
	return slices.Insert(slices.Clone(t), i, f), nil
}

// collision decides a fixing for a date the table already has.
func collision(old, f Fixing, now time.Time) error {
	switch {
	case old.Rate.Equal(f.Rate):
		return nil
	case !old.Effective.After(now):
		return fmt.Errorf("%w: %s is in force since %s", ErrInForce, old.Percent(), date(old.Effective))
	}
	return fmt.Errorf("%w: %s is fixed for %s", ErrDuplicate, old.Percent(), date(old.Effective))
}

// check refuses what no table may hold.
func check(f Fixing) error {
	if f.Effective.IsZero() {
		return ErrNoDate
	}
	if !f.Rate.IsPositive() || money.CheckRate(f.Rate) != nil {
		return fmt.Errorf("%w (got %s)", ErrBadRate, f.Rate)
	}
	return nil
}

// civil turns a time into its calendar date, read in its own zone, as UTC midnight, so a
// time of day or a zone never moves a date.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func date(t time.Time) string { return t.Format(time.DateOnly) }
