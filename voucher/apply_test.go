package voucher

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
)

func TestJudgeApplication(t *testing.T) {
	individual := code("92540102MA6T0GT05") // 92…: 个体工商户
	cooperative := code("93540102MA6T0HB06")
	lhasa := Scope{Region: "540100", PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01")}

	tests := []struct {
		name      string
		scope     Scope
		applicant Applicant
		want      claim.Reason
	}{
		{"small enterprise in the region", tibet2024, Applicant{lhasaFirm, "small", "540102"}, ""},
		{"medium enterprise", tibet2024, Applicant{lhasaFirm, "medium", "540102"}, ""},
		{"micro enterprise", tibet2024, Applicant{lhasaFirm, "micro", "540102"}, ""},
		{"large enterprise refused", tibet2024, Applicant{lhasaFirm, "large", "540102"}, ReasonApplicantNotSME},
		{"unknown size class refused", tibet2024, Applicant{lhasaFirm, "", "540102"}, ReasonApplicantNotSME},
		{"misspelt size class refused", tibet2024, Applicant{lhasaFirm, "Small", "540102"}, ReasonApplicantNotSME},
		{"individual business refused", tibet2024, Applicant{individual, "micro", "540102"}, ReasonIndividualBusiness},
		{"cooperative judged by its size class", tibet2024, Applicant{cooperative, "small", "540102"}, ""},
		{"outside the province", tibet2024, Applicant{lhasaFirm, "small", "630100"}, ReasonApplicantOutsideRegion},
		{"city program: another Tibetan city is outside", lhasa, Applicant{lhasaFirm, "small", "540200"},
			ReasonApplicantOutsideRegion},
		{"city program: a county of the city is inside", lhasa, Applicant{lhasaFirm, "small", "540102"}, ""},
		{"first failing rule wins: individual business before region", tibet2024,
			Applicant{individual, "large", "630100"}, ReasonIndividualBusiness},
		{"first failing rule wins: size before region", tibet2024,
			Applicant{lhasaFirm, "large", "630100"}, ReasonApplicantNotSME},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, text := JudgeApplication(tt.scope, tibetParams(), tt.applicant)
			require.Equal(t, tt.want, reason, text)
			require.NotEmpty(t, text)
		})
	}
}

func TestJudgeApplicationTexts(t *testing.T) {
	_, text := JudgeApplication(tibet2024, tibetParams(), Applicant{lhasaFirm, "large", "540102"})
	require.Equal(t, `the applicant's size class is "large"; only small, medium and micro enterprises qualify`, text)
	_, text = JudgeApplication(tibet2024, tibetParams(), Applicant{lhasaFirm, "small", "630100"})
	require.Equal(t, "the applicant is registered in region 630100, outside the program region 540000", text)
}

func TestApplicantOf(t *testing.T) {
	e := enterprise.Enterprise{CreditCode: lhasaFirm, Name: "Lhasa Barley Co.", Industry: "industry",
		Region: "540102", SizeClass: "small"}
	require.Equal(t, Applicant{CreditCode: lhasaFirm, SizeClass: "small", Region: "540102"}, ApplicantOf(e))
}

func TestStoreDecidedReasonIsDistinct(t *testing.T) {
	require.Equal(t, claim.Reason("already_holds_voucher"), ReasonAlreadyHoldsVoucher)
}
