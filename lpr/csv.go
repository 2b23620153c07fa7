package lpr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Header is the first line of the published file.
const Header = "effective_date,rate_percent"

// The errors of ParseCSV. The line number and the value are wrapped around them; test with
// errors.Is.
var (
	ErrHeader       = errors.New(`the first line must be "` + Header + `"`)
	ErrFields       = errors.New("a row must have exactly 2 fields")
	ErrDate         = errors.New(`effective_date must be a date such as "2024-07-22"`)
	ErrPercent      = errors.New(`rate_percent must be a percentage such as "3.45", above 0 and at most 100, with at most 6 decimals`)
	ErrRepeatedDate = errors.New("the date appears twice")
	ErrEmpty        = errors.New("the file has no fixing")
)

// percentForm is the plain decimal form a fixing is published in: no sign, exponent, spaces
// or grouping, so the rate stored is exactly the one written. Its range and places are
// checked on the fraction (check): six decimals of a percentage are the eight of a
// NUMERIC(12,8) rate.
var percentForm = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseCSV reads fixings in the published format: the header line, then one
// "YYYY-MM-DD,percent" row per fixing. It refuses the whole file at the first malformed row
// or repeated date (a table that is partly wrong would check loans against wrong rates) and
// sorts rows given out of order. A UTF-8 byte-order mark, as spreadsheets write, is ignored.
func ParseCSV(r io.Reader) (Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, for a clearer error
	head, err := cr.Read()
	if err == io.EOF {
		return nil, ErrEmpty
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	if strings.TrimPrefix(strings.Join(head, ","), "\ufeff") != Header {
		return nil, fmt.Errorf("line 1: %w", ErrHeader)
	}
	var t Table
	seen := map[time.Time]int{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err // a *csv.ParseError, which names its line
		}
		line, _ := cr.FieldPos(0)
		f, err := parseRow(row)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if first, dup := seen[f.Effective]; dup {
			return nil, fmt.Errorf("line %d: %w (%s, first on line %d)", line, ErrRepeatedDate, date(f.Effective), first)
		}
		seen[f.Effective] = line
		t = append(t, f)
	}
	if len(t) == 0 {
		return nil, ErrEmpty
	}
	slices.SortFunc(t, func(a, b Fixing) int { return a.Effective.Compare(b.Effective) })
	return t, nil
}

// parseRow reads one "date,percent" row into a fixing with the rate as a fraction.
func parseRow(row []string) (Fixing, error) {
	if len(row) != 2 {
		return Fixing{}, fmt.Errorf("%w (got %d)", ErrFields, len(row))
	}
	day, err := time.Parse(time.DateOnly, row[0])
	if err != nil {
		return Fixing{}, fmt.Errorf("%w (got %q)", ErrDate, row[0])
	}
	if !percentForm.MatchString(row[1]) {
		return Fixing{}, fmt.Errorf("%w (got %q)", ErrPercent, row[1])
	}
	f := Fixing{Effective: day, Rate: decimal.RequireFromString(row[1]).Shift(-2)} // exact: a shift of the point
	if check(f) != nil {
		return Fixing{}, fmt.Errorf("%w (got %q)", ErrPercent, row[1])
	}
	return f, nil
}
