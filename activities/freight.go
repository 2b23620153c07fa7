package activities

import (
	"context"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/store"
)

// FreightPayload is the body of a freight claim: the shipments it lists.
type FreightPayload struct {
	Shipments []freight.Shipment `json:"shipments"`
}

// assessFreight applies the freight rules: judge each shipment, register the evidence of
// the eligible ones (refusing lines whose waybill or invoice another claim holds), then
// calculate. The yearly cap is applied by the ledger when money is reserved.
func (a *Activities) assessFreight(ctx context.Context, in AssessInput) (AssessOutput, error) {
	var payload FreightPayload
	if err := json.Unmarshal(in.Payload, &payload); err != nil {
		return AssessOutput{}, temporal.NewNonRetryableApplicationError("freight payload: "+err.Error(), ErrTypeNotFound, nil)
	}
	var params freight.Params
	if err := json.Unmarshal(in.Snapshot.Program.Params, &params); err != nil {
		return AssessOutput{}, temporal.NewNonRetryableApplicationError("freight params: "+err.Error(), ErrTypeNotFound, nil)
	}
	prg, ent := in.Snapshot.Program, in.Snapshot.Enterprise
	scope := freight.Scope{Region: prg.Region, PeriodStart: prg.PeriodStart, PeriodEnd: prg.PeriodEnd}
	decisions := freight.Judge(scope, params, freight.Applicant{Industry: ent.Industry, Region: ent.Region}, payload.Shipments)

	var items []store.EvidenceItem
	for i, d := range decisions {
		if !d.Eligible {
			continue
		}
		for _, ev := range freight.EvidenceOf(payload.Shipments[i]) {
			items = append(items, store.EvidenceItem{Line: i, Kind: ev.Kind, Key: ev.Key})
		}
	}
	conflicts, err := a.Store.ClaimEvidence(ctx, in.ClaimID, items)
	if err != nil {
		return AssessOutput{}, fmt.Errorf("register evidence: %w", err)
	}
	for line, other := range conflicts {
		freight.MarkClaimed(&decisions[line], other)
	}
	as := freight.Calculate(params, decisions)
	if !as.Eligible() {
		// Nothing will be paid: give the evidence back so a corrected claim can use it.
		if err := a.Store.ReleaseEvidence(ctx, in.ClaimID); err != nil {
			return AssessOutput{}, err
		}
	}
	return AssessOutput{Assessment: as, Cap: params.YearlyCap}, nil
}
