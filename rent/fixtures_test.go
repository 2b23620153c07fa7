package rent

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
)

// Shared fixtures: Tibet's 2022 program, with Chengguan district (540102) on the risk list
// and two state-owned landlords, and a small tenant in Lhasa.

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
	stateLandlord = code("91540000710900001") // on the list
	otherLandlord = code("91540100710900002") // on the list
	privateOwner  = code("91540100MA6T00003") // not on the list
	smallTenant   = code("91540102MA6T00001")
	shopkeeper    = code("92540102MA6T00002") // 个体工商户

	tibet2022 = Scope{Region: "540000", PeriodStart: day("2022-01-01"), PeriodEnd: day("2023-01-01")}
	lhasaFirm = Tenant{CreditCode: smallTenant, SizeClass: "small", Region: "540102"}
)

func tibetParams() Params {
	p := DefaultParams()
	p.Landlords = []string{stateLandlord, otherLandlord}
	p.RiskCounties = []string{"540102", "540121"}
	return p
}

// lease is an eligible lease over the whole of 2022 in Chengguan (a risk county); edit one
// field to break one rule.
func lease(edit ...func(*Lease)) Lease {
	l := Lease{
		ContractNo:         "HT-2021-007",
		LandlordCreditCode: stateLandlord,
		PremisesAddress:    "拉萨市城关区北京中路 12 号",
		County:             "540102",
		MonthlyRent:        dec("5000.00"),
		LeaseStart:         day("2021-07-01"),
		LeaseEnd:           day("2024-07-01"),
	}
	for _, e := range edit {
		e(&l)
	}
	return l
}

func term(start, end string) func(*Lease) {
	return func(l *Lease) { l.LeaseStart, l.LeaseEnd = day(start), day(end) }
}
