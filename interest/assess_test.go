package interest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

// nobody holds any evidence; it records what it was asked.
func nobody(asked *[]claim.Evidence) claim.Holders {
	return func(items []claim.Evidence) (map[int]string, error) {
		*asked = append(*asked, items...)
		return nil, nil
	}
}

func payload(edit ...func(*PeriodPayload)) PeriodPayload {
	pp := PeriodPayload{Loan: loan(), Period: q3, Report: report()}
	for _, e := range edit {
		e(&pp)
	}
	return pp
}

func TestEvidenceOf(t *testing.T) {
	tests := []struct {
		name             string
		lender, contract string
		want             string
	}{
		{"plain", bank, "DT-2023-0315", bank + "/DT-2023-0315"},
		{"spaces and case do not matter", " " + bank + " ", " dt-2023-0315\t", bank + "/DT-2023-0315"},
		{"the same number at another bank is another loan", otherBank, "DT-2023-0315", otherBank + "/DT-2023-0315"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := loan(func(l *Loan) { l.LenderCreditCode, l.ContractNo = tt.lender, tt.contract })
			require.Equal(t, claim.Evidence{Line: 0, Kind: "loan", Key: tt.want}, EvidenceOf(l))
			require.Equal(t, claim.Evidence{Line: 0, Kind: "loan_period", Key: tt.want + "/2023-09-21"},
				PeriodEvidenceOf(l, q3))
		})
	}
}

func TestMarkClaimed(t *testing.T) {
	d := claim.LineDecision{Eligible: true, Basis: dec("9226.39"), Text: "eligible"}
	MarkClaimed(&d, "clm_7")
	require.True(t, d.Basis.IsZero())
	d.Basis = dec("0")
	require.Equal(t, claim.LineDecision{Reason: ReasonAlreadyClaimed, Basis: dec("0"), Conflict: "clm_7",
		Text: "this period of the loan is already claimed by claim clm_7"}, d)

	d = claim.LineDecision{Reason: ReasonOverdue, Basis: dec("0"), Text: "overdue"}
	MarkClaimed(&d, "clm_7")
	require.Equal(t, ReasonOverdue, d.Reason, "a refused period keeps its first reason")
	require.Equal(t, "clm_7", d.Conflict)
}

func TestAssessPeriod(t *testing.T) {
	var asked []claim.Evidence
	as, err := AssessPeriod(payload(), borrower, nobody(&asked))
	require.NoError(t, err)
	require.Equal(t, []claim.Evidence{{Line: 0, Kind: "loan_period", Key: bank + "/DT-2023-0315/2023-09-21"}}, asked)
	require.True(t, as.Eligible())
	require.Equal(t, "9226.39", as.Amount.StringFixed(2))
}

func TestAssessPeriodRefusesAPeriodAnotherClaimHolds(t *testing.T) {
	as, err := AssessPeriod(payload(), borrower, func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{0: "clm_first"}, nil
	})
	require.NoError(t, err)
	require.False(t, as.Eligible())
	require.Equal(t, ReasonAlreadyClaimed, as.Reason)
	require.Equal(t, "clm_first", as.Lines[0].Conflict)
	require.True(t, as.Amount.IsZero())
}

func TestAssessPeriodDoesNotRegisterARefusedPeriod(t *testing.T) {
	tests := []struct {
		name   string
		pp     PeriodPayload
		filer  string
		reason claim.Reason
	}{
		{"overdue", payload(func(pp *PeriodPayload) { pp.Report.Overdue = true }), borrower, ReasonOverdue},
		{"filed for another enterprise", payload(), otherBank, ReasonNotTheBorrower},
		{"filed for another enterprise while overdue", payload(func(pp *PeriodPayload) { pp.Report.Overdue = true }),
			otherBank, ReasonNotTheBorrower},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []claim.Evidence
			as, err := AssessPeriod(tt.pp, tt.filer, nobody(&asked))
			require.NoError(t, err)
			require.Empty(t, asked, "a refused period must not block a later, valid claim")
			require.Equal(t, tt.reason, as.Reason)
			require.True(t, as.Amount.IsZero())
		})
	}
}

func TestAssessPeriodNamesTheBorrower(t *testing.T) {
	as, err := AssessPeriod(payload(), otherBank, nobody(new([]claim.Evidence)))
	require.NoError(t, err)
	require.Equal(t, "the claim is filed for "+otherBank+", but the loan's borrower is "+borrower, as.Text)
}

func TestAssessPeriodPassesOnTheHoldersError(t *testing.T) {
	boom := errors.New("database down")
	_, err := AssessPeriod(payload(), borrower, func([]claim.Evidence) (map[int]string, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
}

func TestPayloadOf(t *testing.T) {
	raw, _ := json.Marshal(payload(func(pp *PeriodPayload) { pp.ExtendedBefore = true }))
	pp, err := PayloadOf(raw)
	require.NoError(t, err)
	require.Equal(t, q3.Start, pp.Period.Start)
	require.Equal(t, 91, pp.Period.Days)
	require.True(t, pp.Loan.StatedLPR.Equal(dec("0.0365")))
	require.True(t, pp.Report.InterestPaid.Equal(dec("10995.83")))
	require.True(t, pp.ExtendedBefore)
}

func TestPayloadOfRefuses(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*PeriodPayload)
		message string
	}{
		{"a day count that does not match the dates", func(pp *PeriodPayload) { pp.Period.Days = 92 },
			"period 3: 92 days stated, 91 between its dates"},
		{"an empty period", func(pp *PeriodPayload) { pp.Period.End = pp.Period.Start },
			"period 3: 2023-09-21 is not after 2023-09-21"},
		{"a period before the loan", func(pp *PeriodPayload) { pp.Period = period(0, "2023-01-01", "2023-03-21") },
			"period 0 starts on 2023-01-01, before the loan (2023-03-15)"},
		{"a period over a settlement date", func(pp *PeriodPayload) { pp.Period = period(3, "2023-09-21", "2023-12-22") },
			"period 3 (2023-09-21 – 2023-12-21) runs past a settlement date"},
		{"a malformed loan", func(pp *PeriodPayload) { pp.Loan.ContractNo = "" }, "loan: contract_no must not be empty"},
		{"a malformed report", func(pp *PeriodPayload) { pp.Report.OutstandingPrincipal = dec("-1") },
			"report: outstanding_principal must be greater than 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(payload(tt.edit))
			_, err := PayloadOf(raw)
			require.ErrorContains(t, err, "interest payload: "+tt.message)
		})
	}
	_, err := PayloadOf(json.RawMessage(`{"loan": 7}`))
	require.ErrorContains(t, err, "interest payload: ")
}
