package interest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/lpr"
)

func signed(contract, start, maturity string) func(*Loan) {
	return func(l *Loan) { l.ContractDate, l.StartDate, l.MaturityDate = day(contract), day(start), day(maturity) }
}

func TestCheckRegistration(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Loan)
		params func(*Params)
		want   map[string]string
	}{
		{"a loan that registers", nil, nil, nil},
		{"principal at the maximum", func(l *Loan) { l.Principal = dec("3000000.00") }, nil, nil},
		{"principal a fen above the maximum", func(l *Loan) { l.Principal = dec("3000000.01") }, nil,
			map[string]string{"principal": "must be at most 3000000.00 (the program's max_principal)"}},
		{"principal above a lowered maximum", nil, func(p *Params) { p.MaxPrincipal = dec("500000.00") },
			map[string]string{"principal": "must be at most 500000.00 (the program's max_principal)"}},
		{"a term of exactly 36 months", nil, nil, nil},
		{"a term of 36 months and a day", func(l *Loan) { l.MaturityDate = day("2026-03-16") }, nil,
			map[string]string{"maturity_date": "the term must be at most 36 months: maturity on or before 2026-03-15"}},
		{"a month-end start steps to a leap day", signed("2023-05-31", "2023-05-31", "2024-02-29"),
			func(p *Params) { p.MaxTermMonths = 9 }, nil},
		{"a day past the leap day", signed("2023-05-31", "2023-05-31", "2024-03-01"),
			func(p *Params) { p.MaxTermMonths = 9 },
			map[string]string{"maturity_date": "the term must be at most 9 months: maturity on or before 2024-02-29"}},
		{"stated LPR other than the one in force", func(l *Loan) { l.StatedLPR = dec("0.0355") }, nil,
			map[string]string{"stated_lpr": `must be the 1-year LPR in force on 2023-03-15: 3.65 % ("0.0365", fixed on 2022-08-22)`}},
		{"stated LPR written with trailing zeros", func(l *Loan) { l.StatedLPR = dec("0.036500") }, nil, nil},
		{"stated LPR as a percentage", func(l *Loan) { l.StatedLPR = dec("3.65") }, nil,
			map[string]string{"stated_lpr": "must be between 0 and 1"}},
		{"signed the day before a fixing: the old rate", signed("2023-06-19", "2023-06-19", "2024-06-19"), nil, nil},
		{"signed on a fixing's day: the new rate", signed("2023-06-20", "2023-06-20", "2024-06-20"), nil,
			map[string]string{"stated_lpr": `must be the 1-year LPR in force on 2023-06-20: 3.55 % ("0.0355", fixed on 2023-06-20)`}},
		{"signed the day after a fixing: the new rate", func(l *Loan) {
			signed("2023-06-21", "2023-06-21", "2024-06-21")(l)
			l.StatedLPR = dec("0.0355")
		}, nil, nil},
		{"the contract date decides, not the start", signed("2023-06-19", "2023-07-01", "2024-07-01"), nil, nil},
		{"signed before the first fixing", func(l *Loan) {
			signed("2019-08-19", "2019-08-19", "2020-08-19")(l)
			l.StatedLPR = dec("0.0431")
		}, nil, map[string]string{"contract_date": "no 1-year LPR was in force on 2019-08-19: the first fixing is of 2019-08-20"}},
		{"lender not on the list", func(l *Loan) { l.LenderCreditCode = otherBank }, nil,
			map[string]string{"lender_credit_code": "bank " + otherBank + " is not a participating lender of the program"}},
		{"no lender listed yet", nil, func(p *Params) { p.Lenders = []string{} },
			map[string]string{"lender_credit_code": "bank " + bank + " is not a participating lender of the program"}},
		{"maturity on the start day", func(l *Loan) { l.MaturityDate = l.StartDate }, nil,
			map[string]string{"maturity_date": "must be after start_date (the loan runs up to, not including, this day)"}},
		{"maturity before the start", func(l *Loan) { l.MaturityDate = day("2023-03-14") }, nil,
			map[string]string{"maturity_date": "must be after start_date (the loan runs up to, not including, this day)"}},
		{"signed before the start", signed("2023-03-01", "2023-03-15", "2026-03-15"), nil, nil},
		{"signed after the start", signed("2023-03-16", "2023-03-15", "2026-03-15"), nil,
			map[string]string{"contract_date": "must not be after start_date (the loan starts under a signed contract)"}},
		{"a malformed principal is reported, not the maximum", func(l *Loan) { l.Principal = dec("3000000.001") }, nil,
			map[string]string{"principal": "must have at most 2 decimal places"}},
		{"several rules at once", func(l *Loan) { l.LenderCreditCode, l.Principal = otherBank, dec("5000000") }, nil,
			map[string]string{"principal": "must be at most 3000000.00 (the program's max_principal)",
				"lender_credit_code": "bank " + otherBank + " is not a participating lender of the program"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datongParams()
			orNothing(tt.params)(&p)
			require.Equal(t, tt.want, CheckRegistration(loan(orNothing(tt.edit)), p, lpr.Published()))
		})
	}
}

func TestCheckRegistrationUsesTheTableItIsGiven(t *testing.T) {
	tab, err := lpr.Published().Add(lpr.Fixing{Effective: day("2025-06-20"), Rate: dec("0.029")}, day("2025-06-20"))
	require.NoError(t, err)
	l := loan(signed("2025-06-20", "2025-06-20", "2026-06-20"), func(l *Loan) { l.StatedLPR = dec("0.029") })
	require.Nil(t, CheckRegistration(l, datongParams(), tab), "a fixing an administrator added")
	require.Contains(t, CheckRegistration(l, datongParams(), lpr.Published()), "stated_lpr")
	require.Equal(t, map[string]string{"contract_date": "no 1-year LPR was in force on 2025-06-20: the LPR table is empty"},
		CheckRegistration(l, datongParams(), nil))
}

func TestLoanValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Loan)
		want map[string]string
	}{
		{"a well-formed loan", func(*Loan) {}, nil},
		{"blank contract number", func(l *Loan) { l.ContractNo = " \t" }, map[string]string{"contract_no": "must not be empty"}},
		{"a NUL byte in the contract number", func(l *Loan) { l.ContractNo = "DT\x00-1" },
			map[string]string{"contract_no": "must be printable text (no control characters, valid UTF-8)"}},
		{"invalid UTF-8 in the contract number", func(l *Loan) { l.ContractNo = "DT-\xff" },
			map[string]string{"contract_no": "must be printable text (no control characters, valid UTF-8)"}},
		{"a contract number of 64 characters", func(l *Loan) { l.ContractNo = strings.Repeat("贷", 64) }, nil},
		{"a contract number of 65 characters", func(l *Loan) { l.ContractNo = strings.Repeat("贷", 65) },
			map[string]string{"contract_no": "must be at most 64 characters long"}},
		{"borrower code fails its check", func(l *Loan) { l.BorrowerCreditCode = borrower[:17] + "0" },
			map[string]string{"borrower_credit_code": "must be a valid unified social credit code: check character mismatch (expected G)"}},
		{"lender code too short", func(l *Loan) { l.LenderCreditCode = "9114" },
			map[string]string{"lender_credit_code": "must be a valid unified social credit code: must be 18 characters long (got 4)"}},
		{"the borrower is the bank", func(l *Loan) { l.BorrowerCreditCode = bank },
			map[string]string{"borrower_credit_code": "must not be the lender's own code"}},
		{"zero principal", func(l *Loan) { l.Principal = dec("0") }, map[string]string{"principal": "must be greater than 0"}},
		{"zero contract rate", func(l *Loan) { l.ContractRate = dec("0") },
			map[string]string{"contract_rate": "must be greater than 0"}},
		{"a stated LPR with nine decimals", func(l *Loan) { l.StatedLPR = dec("0.036500001") },
			map[string]string{"stated_lpr": "must have at most 8 decimal places"}},
		{"no dates", func(l *Loan) {
			l.ContractDate, l.StartDate, l.MaturityDate = day("0001-01-01"), day("0001-01-01"), day("0001-01-01")
		},
			map[string]string{"contract_date": `must be a date such as "2024-03-01"`, "start_date": `must be a date such as "2024-03-01"`,
				"maturity_date": `must be a date such as "2024-03-01"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, loan(tt.edit).Validate())
		})
	}
}

func TestJudgeBorrower(t *testing.T) {
	tests := []struct {
		class, text string
	}{
		{"small", ""},
		{"micro", ""},
		{"medium", "the borrower's size class is medium; only small and micro enterprises qualify"},
		{"large", "the borrower's size class is large; only small and micro enterprises qualify"},
		{"", "the borrower's size class is not known (an individual business has none); only small and micro enterprises qualify"},
	}
	for _, tt := range tests {
		t.Run("class "+tt.class, func(t *testing.T) {
			reason, text := JudgeBorrower(tt.class)
			require.Equal(t, tt.text, text)
			if tt.text == "" {
				require.Empty(t, reason)
			} else {
				require.Equal(t, ReasonBorrowerNotSmallOrMicro, reason)
			}
		})
	}
}
