package freight

import (
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// Payload is how a freight claim's lines are stored with the claim and handed to its
// workflow: {"shipments": [...]}.
type Payload struct {
	Shipments []Shipment `json:"shipments"`
}

// Claim is a freight claim ready to be assessed: its program's scope and parameters, the
// applicant's facts, and its shipments.
type Claim struct {
	Scope     Scope
	Params    Params
	Applicant Applicant
	Lines     []Shipment
}

// ClaimOf decodes a stored claim payload under the program it was filed in.
func ClaimOf(prg program.Program, applicant Applicant, payload json.RawMessage) (Claim, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return Claim{}, fmt.Errorf("freight payload: %w", err)
	}
	var params Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return Claim{}, fmt.Errorf("parameters of program %s: %w", prg.ID, err)
	}
	return Claim{
		Scope:     Scope{Region: prg.Region, PeriodStart: prg.PeriodStart, PeriodEnd: prg.PeriodEnd},
		Params:    params,
		Applicant: applicant,
		Lines:     body.Shipments,
	}, nil
}

// Assess is the one path from shipments to an assessment, taken by a claim and by a dry
// run alike: judge every line, refuse eligible lines whose evidence another claim holds,
// then calculate. The yearly cap is left to the ledger.
func (c Claim) Assess(holders claim.Holders) (claim.Assessment, error) {
	decisions := Judge(c.Scope, c.Params, c.Applicant, c.Lines)
	var items []claim.Evidence
	for i, d := range decisions {
		if !d.Eligible {
			continue
		}
		for _, ev := range EvidenceOf(c.Lines[i]) {
			items = append(items, claim.Evidence{Line: i, Kind: ev.Kind, Key: ev.Key})
		}
	}
	held, err := holders(items)
	if err != nil {
		return claim.Assessment{}, err
	}
	for line, other := range held {
		MarkClaimed(&decisions[line], other)
	}
	return Calculate(c.Params, decisions), nil
}
