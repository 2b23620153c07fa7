package guarantee

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
)

// Shared fixtures: Datong's 2023 program with one listed guarantee institution, and
// borrowers of each size class, most of them in the registry.

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// code completes 17 characters into a valid credit code.
func code(first17 string) string {
	c, err := creditcode.Complete(first17)
	if err != nil {
		panic(err)
	}
	return c
}

var (
	datongGuarantee = code("91140200MA0GT0001") // on the list
	otherInstitute  = code("91140200MA0GT0002") // not on the list

	smallFirm    = code("91140200MA0K00001")
	mediumFirm   = code("91140200MA0K00002")
	microFirm    = code("91140200MA0K00003")
	largeFirm    = code("91140200MA0K00004")
	unregistered = code("91140200MA0K00005")
	shop         = code("92140200MA0K00006") // 个体工商户

	datong2023 = Scope{PeriodStart: day("2023-01-01"), PeriodEnd: day("2024-01-01")}
	datong2024 = Scope{PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01")} // a leap year

	// registry is what the enterprise registry says of the borrowers it knows.
	registry = Borrowers{smallFirm: "small", mediumFirm: "medium", microFirm: "micro", largeFirm: "large", shop: ""}
)

func datongParams() Params {
	p := DefaultParams()
	p.Institutions = []string{datongGuarantee}
	return p
}

// contract is an eligible guarantee of a registered medium borrower over the whole of 2023,
// worth 1000000.00 × 0.005 × 365 / 365 = 5000.00; edit one field to break one rule.
func contract(no string, edit ...func(*Contract)) Contract {
	c := Contract{
		ContractNo:         no,
		BorrowerCreditCode: mediumFirm,
		BorrowerSizeClass:  "medium",
		GuaranteedAmount:   dec("1000000.00"),
		FeeRate:            dec("0.008"),
		FeePaid:            dec("8000.00"),
		StartDate:          day("2023-01-01"),
		EndDate:            day("2024-01-01"),
	}
	for _, e := range edit {
		e(&c)
	}
	return c
}

func term(start, end string) func(*Contract) {
	return func(c *Contract) { c.StartDate, c.EndDate = day(start), day(end) }
}

func borrower(code, claimed string) func(*Contract) {
	return func(c *Contract) { c.BorrowerCreditCode, c.BorrowerSizeClass = code, claimed }
}
