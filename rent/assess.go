package rent

import (
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// Payload is how a rent claim's lease is stored with the claim and handed to its workflow:
// {"lease": {...}}. A claim has exactly one lease; its decision is line 0.
type Payload struct {
	Lease Lease `json:"lease"`
}

// Claim is a rent claim ready to be assessed: its program's scope and parameters, the
// tenant's facts, and its lease.
type Claim struct {
	Scope  Scope
	Params Params
	Tenant Tenant
	Lease  Lease
}

// ClaimOf decodes a stored claim payload under the program it was filed in.
func ClaimOf(prg program.Program, tenant Tenant, payload json.RawMessage) (Claim, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return Claim{}, fmt.Errorf("rent payload: %w", err)
	}
	var params Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return Claim{}, fmt.Errorf("parameters of program %s: %w", prg.ID, err)
	}
	return Claim{
		Scope:  Scope{Region: prg.Region, PeriodStart: prg.PeriodStart, PeriodEnd: prg.PeriodEnd},
		Params: params,
		Tenant: tenant,
		Lease:  body.Lease,
	}, nil
}

// Assess is the one path from a lease to an assessment, taken by a claim and by a dry run
// alike: judge the lease, refuse it when another claim holds it, then calculate. Only an
// eligible lease is registered as evidence, so a refused claim blocks nobody.
func (c Claim) Assess(holders claim.Holders) (claim.Assessment, error) {
	d := Judge(c.Scope, c.Params, c.Tenant, c.Lease)
	if d.Eligible {
		ev := EvidenceOf(c.Lease)
		held, err := holders([]claim.Evidence{{Line: 0, Kind: ev.Kind, Key: ev.Key}})
		if err != nil {
			return claim.Assessment{}, err
		}
		if other, ok := held[0]; ok {
			MarkClaimed(&d, other)
		}
	}
	return Calculate(c.Scope, c.Params, c.Lease, d), nil
}
