// Package region handles 6-digit administrative division codes (行政区划代码, GB/T 2260):
// 540000 Tibet, 540100 Lhasa, 540102 Chengguan district. A program has a region and "inside
// the region" means sharing its prefix (POLICIES.md, "Regions"). Validate checks the form of
// a code only (a program may name a division created after the list was made); names.go
// names the divisions of the National Bureau of Statistics' 2023 list for people to read.
package region

import (
	"errors"
	"fmt"
)

// Level is how much of the country a code covers, read from its trailing zeros.
type Level string

// The three levels. A code that is not valid has no level ("").
const (
	Province Level = "province" // last 4 digits 0000, e.g. 540000
	City     Level = "city"     // last 2 digits 00, e.g. 540100
	County   Level = "county"   // anything else, e.g. 540102
)

// The errors of Validate, for errors.Is; their text reads as a field error.
var (
	ErrFormat   = errors.New("must be exactly 6 digits, such as \"540000\"")
	ErrProvince = errors.New("must start with a province code between 11 and 82")
)

// Validate checks the form of a code: exactly 6 ASCII digits whose first two (the province)
// lie between 11 (Beijing) and 82 (Macao). That also refuses "000000".
func Validate(code string) error {
	if len(code) != 6 {
		return ErrFormat
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return ErrFormat
		}
	}
	if p := code[:2]; p < "11" || p > "82" {
		return fmt.Errorf("%w (got %s)", ErrProvince, p)
	}
	return nil
}

// LevelOf reads a code's level from its trailing zeros, or "" when the code is not valid.
func LevelOf(code string) Level {
	switch {
	case Validate(code) != nil:
		return ""
	case code[2:] == "0000":
		return Province
	case code[4:] == "00":
		return City
	}
	return County
}

// prefixLen is how many leading digits a level shares with everything inside it.
func (l Level) prefixLen() int {
	switch l {
	case Province:
		return 2
	case City:
		return 4
	}
	return 6
}

// Contains reports whether code lies inside parent: it shares parent's prefix of 2 digits
// (a province), 4 (a city) or 6 (a county, which contains only itself). A region contains
// itself. Either code being invalid gives false, so a malformed origin is never "inside".
func Contains(parent, code string) bool {
	l := LevelOf(parent)
	if l == "" || Validate(code) != nil {
		return false
	}
	n := l.prefixLen()
	return parent[:n] == code[:n]
}
