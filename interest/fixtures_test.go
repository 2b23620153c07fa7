package interest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
)

// Shared fixtures: a Datong program with one participating bank, and a start-up guarantee
// loan of 1,000,000.00 signed and started on 2023-03-15 for 36 months, when the 1-year LPR
// was 3.65 % (fixed 2022-08-22).

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
	bank      = code("91140200MA0K00001") // on the list
	otherBank = code("91140200MA0K00002") // not on the list
	borrower  = code("91140211MA0K00003")
)

func datongParams() Params {
	p := DefaultParams()
	p.Lenders = []string{bank}
	return p
}

// loan is a loan that registers; edit one field to break one rule.
func loan(edit ...func(*Loan)) Loan {
	l := Loan{
		ContractNo:         "DT-2023-0315",
		BorrowerCreditCode: borrower,
		LenderCreditCode:   bank,
		Principal:          dec("1000000.00"),
		ContractRate:       dec("0.0435"),
		StatedLPR:          dec("0.0365"),
		ContractDate:       day("2023-03-15"),
		StartDate:          day("2023-03-15"),
		MaturityDate:       day("2026-03-15"),
	}
	for _, e := range edit {
		e(&l)
	}
	return l
}

// period builds a period from its dates.
func period(index int, start, end string) Period {
	return Period{Index: index, Start: day(start), End: day(end), Days: days(day(start), day(end))}
}

// q3 is the loan's period of 91 days settled on 2023-12-20.
var q3 = period(3, "2023-09-21", "2023-12-21")

// report is a clean report on the whole principal; edit one field to break one rule.
func report(edit ...func(*Report)) Report {
	r := Report{InterestPaid: dec("10995.83"), OutstandingPrincipal: dec("1000000.00")}
	for _, e := range edit {
		e(&r)
	}
	return r
}
