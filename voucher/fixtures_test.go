package voucher

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
)

// Shared fixtures: a Tibet voucher programme for 2024 with two registered providers, and a
// small enterprise in Lhasa holding a voucher.

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

// wrongCheck spoils a valid code's check character.
func wrongCheck(c string) string {
	if c[17] == '0' {
		return c[:17] + "1"
	}
	return c[:17] + "0"
}

var (
	testLab    = code("91540100MA6T0TE01") // a testing laboratory on the platform
	consultant = code("91540100MA6T0CN02") // a consultancy on the platform
	lhasaFirm  = code("91540102MA6T0LH03") // the enterprise holding the voucher
	unlisted   = code("91510100MA6T0CD04") // a provider not registered on the platform

	tibet2024 = Scope{Region: "540000", PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01")}
)

func tibetParams() Params {
	p := DefaultParams()
	p.Providers = []string{testLab, consultant}
	return p
}

// redemption is an eligible purchase in the Tibet programme; edit one field to break one
// rule.
func redemption(amount string, edit ...func(*Redemption)) Redemption {
	r := Redemption{
		ProviderCreditCode: testLab,
		ServiceCategory:    Testing,
		ContractNo:         "HT-2024-017",
		InvoiceNo:          "INV-88001",
		InvoiceDate:        day("2024-06-15"),
		InvoiceAmount:      dec(amount),
	}
	for _, e := range edit {
		e(&r)
	}
	return r
}
