// Package sizeclass computes an enterprise's size class (大/中/小/微) under the 2011 SME
// classification standard (工信部联企业〔2011〕300号) from its industry, employees, operating
// revenue and total assets. The class is always computed, never typed in (POLICIES.md,
// "Enterprises and their size").
package sizeclass

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// RuleVersion names the standard the class was computed under; it is stored with the class
// so a later standard can be introduced without silently reclassifying old claims.
const RuleVersion = "MIIT-2011-300"

// Class is a size class.
type Class string

// The four classes. Everything but Large is an SME.
const (
	Large  Class = "large"
	Medium Class = "medium"
	Small  Class = "small"
	Micro  Class = "micro"
)

// Classes lists the classes from largest to smallest.
var Classes = []Class{Large, Medium, Small, Micro}

// IsSME reports whether the class is small, medium or micro: the programs' "an SME".
func (c Class) IsSME() bool { return c == Medium || c == Small || c == Micro }

// IsSmallOrMicro reports whether the class is small or micro, the target of rent waivers,
// interest subsidies and the stricter guarantee rules.
func (c Class) IsSmallOrMicro() bool { return c == Small || c == Micro }

// Inputs are the figures a class is computed from. Revenue and Assets are in 10k CNY (万元),
// the unit of the standard. A figure an industry's row does not use is ignored.
type Inputs struct {
	Industry  string          `json:"industry"`
	Employees int             `json:"employees"`
	Revenue   decimal.Decimal `json:"revenue"`
	Assets    decimal.Decimal `json:"assets"`
}

// The errors of Classify, for errors.Is.
var (
	ErrUnknownIndustry = errors.New("unknown industry")
	ErrNegative        = errors.New("must not be negative")
)

// Classify applies the industry's row of the standard: an enterprise is an SME when it is
// below EITHER of the row's ceilings (else Large); an SME is Medium when it reaches BOTH
// medium thresholds, Small when it reaches both small thresholds, and Micro otherwise.
func Classify(in Inputs) (Class, error) {
	ind, ok := ParseIndustry(in.Industry)
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownIndustry, in.Industry)
	}
	switch {
	case in.Employees < 0:
		return "", fmt.Errorf("employees %w", ErrNegative)
	case in.Revenue.IsNegative():
		return "", fmt.Errorf("revenue %w", ErrNegative)
	case in.Assets.IsNegative():
		return "", fmt.Errorf("assets %w", ErrNegative)
	}
	r := rules[ind]
	switch {
	case !r.ceiling.belowEither(in):
		return Large, nil
	case r.medium.reachesAll(in):
		return Medium, nil
	case r.small.reachesAll(in):
		return Small, nil
	}
	return Micro, nil
}
