package region

import (
	_ "embed"
	"strings"
	"sync"
)

// divisions is code → name of every province, prefecture-level city and county, from the
// National Bureau of Statistics' 2023 codes (see scripts/gen-regions.py for the source).
//
//go:embed divisions.tsv
var divisionsTSV string

var (
	namesOnce sync.Once
	names     map[string]string
)

func loadNames() {
	names = make(map[string]string, 3400)
	for _, line := range strings.Split(divisionsTSV, "\n") {
		code, name, ok := strings.Cut(line, "\t")
		if ok && !strings.HasPrefix(code, "#") {
			names[code] = name
		}
	}
}

// placeholder city names: the source lists a municipality's districts, or the counties a
// province governs directly, under a city entry with one of these names.
var placeholder = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}

// Name is the name of the division with this code ("拉萨市"), ok false for a code the list
// does not hold (a well-formed code of a division that was renamed or merged, say).
func Name(code string) (string, bool) {
	namesOnce.Do(loadNames)
	n, ok := names[code]
	return n, ok
}

// FullName names a division with the divisions it lies in, the way an address reads:
// "西藏自治区拉萨市城关区", "北京市东城区" (a municipality's placeholder city level is left
// out). It is "" when the code is not in the list.
func FullName(code string) string {
	own, ok := Name(code)
	if !ok {
		return ""
	}
	switch LevelOf(code) {
	case Province:
		return own
	case City:
		p, _ := Name(code[:2] + "0000")
		if placeholder[own] {
			return p
		}
		return p + own
	}
	p, _ := Name(code[:2] + "0000")
	c, _ := Name(code[:4] + "00")
	if placeholder[c] {
		c = ""
	}
	return p + c + own
}

// Label is how pages show a region: its full name with the code beside it,
// "西藏自治区拉萨市 (540100)", or the code alone when the list does not hold it.
func Label(code string) string {
	if n := FullName(code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// Division is one entry of the list, for pickers.
type Division struct {
	Code, Name string
	Level      Level
}

// Provinces lists the province-level divisions in code order; Children the divisions one
// level below a province or city.
func Provinces() []Division { return children("", Province) }

// Children lists the divisions directly inside code.
func Children(code string) []Division {
	switch LevelOf(code) {
	case Province:
		return children(code[:2], City)
	case City:
		return children(code[:4], County)
	}
	return nil
}

func children(prefix string, l Level) []Division {
	namesOnce.Do(loadNames)
	var out []Division
	for code, n := range names {
		if strings.HasPrefix(code, prefix) && LevelOf(code) == l {
			out = append(out, Division{Code: code, Name: n, Level: l})
		}
	}
	sortDivisions(out)
	return out
}

func sortDivisions(ds []Division) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Code < ds[j-1].Code; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}
