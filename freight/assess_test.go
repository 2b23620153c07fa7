package freight

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

func TestAssessRefusesLinesWhoseEvidenceAnotherClaimHolds(t *testing.T) {
	c := Claim{Scope: tibet2024, Params: tibetParams(), Applicant: lhasaFirm, Lines: []Shipment{
		shipment("WB-1", "INV-1", "100.00"),
		shipment("WB-2", "INV-2", "300.00"),
		shipment("WB-3", "INV-3", "50.00", func(s *Shipment) { s.ProductCategory = "gold" }),
	}}
	var asked []claim.Evidence
	as, err := c.Assess(func(items []claim.Evidence) (map[int]string, error) {
		asked = items
		return map[int]string{0: "clm_first"}, nil
	})
	require.NoError(t, err)
	require.Len(t, asked, 4, "only the eligible lines' waybill and invoice are asked about")
	require.False(t, as.Lines[0].Eligible)
	require.Equal(t, ReasonAlreadyClaimed, as.Lines[0].Reason)
	require.Equal(t, "clm_first", as.Lines[0].Conflict)
	require.True(t, as.Lines[1].Eligible)
	require.Equal(t, "150.00", as.Amount.StringFixed(2))
}

func TestAssessPassesOnTheHoldersError(t *testing.T) {
	c := Claim{Scope: tibet2024, Params: tibetParams(), Applicant: lhasaFirm, Lines: []Shipment{shipment("WB-1", "INV-1", "100.00")}}
	boom := errors.New("database down")
	_, err := c.Assess(func([]claim.Evidence) (map[int]string, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
}

func TestClaimOfReadsWhatTheAPIStores(t *testing.T) {
	params, _ := json.Marshal(tibetParams())
	payload, _ := json.Marshal(Payload{Shipments: []Shipment{shipment("WB-1", "INV-1", "100.00")}})
	prg := program.Program{ID: "prg_1", Region: "540000", PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01"), Params: params}
	c, err := ClaimOf(prg, lhasaFirm, payload)
	require.NoError(t, err)
	require.Equal(t, tibet2024, c.Scope)
	require.Len(t, c.Lines, 1)
	require.True(t, c.Lines[0].Amount.Equal(dec("100.00")))
	_, err = ClaimOf(prg, lhasaFirm, json.RawMessage(`{"shipments": 7}`))
	require.Error(t, err)
}
