package voucher

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// Claim is a redemption ready to be assessed: its program's scope and parameters, the
// credit code of the enterprise holding the voucher, and the purchase it records.
type Claim struct {
	Scope      Scope
	Params     Params
	Holder     string
	Redemption Redemption
}

// ClaimOf decodes a stored redemption under the program it was filed in. A payload or
// parameter set that decodes but is not well formed (an empty redemption, a zero rate) is an
// error too: judging it would pay on data the API never accepted.
func ClaimOf(prg program.Program, holder string, payload json.RawMessage) (Claim, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return Claim{}, fmt.Errorf("voucher payload: %w", err)
	}
	if errs := body.Redemption.Validate(); errs != nil {
		return Claim{}, fmt.Errorf("voucher payload: %w", fieldsError(errs))
	}
	var params Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return Claim{}, fmt.Errorf("parameters of program %s: %w", prg.ID, err)
	}
	if errs := params.Validate(); errs != nil {
		return Claim{}, fmt.Errorf("parameters of program %s: %w", prg.ID, fieldsError(errs))
	}
	return Claim{Scope: ScopeOf(prg), Params: params, Holder: holder, Redemption: body.Redemption}, nil
}

// fieldsError lists field errors in a stable order, so the same bad payload always gives the
// same message in the audit log.
func fieldsError(errs map[string]string) error {
	var out []error
	for _, f := range slices.Sorted(maps.Keys(errs)) {
		out = append(out, fmt.Errorf("%s: %s", f, errs[f]))
	}
	return errors.Join(out...)
}

// Assess is the one path from a redemption to an assessment, taken by a redemption and by a
// dry run alike: judge the line, refuse it when another claim holds its invoice or contract,
// then calculate. Only an eligible line's evidence is registered, so a refused redemption
// does not block the invoice for a later, valid one.
func (c Claim) Assess(holders claim.Holders) (claim.Assessment, error) {
	d := JudgeRedemption(c.Scope, c.Params, c.Holder, c.Redemption)
	if d.Eligible {
		var items []claim.Evidence
		for _, ev := range EvidenceOf(c.Redemption) {
			items = append(items, claim.Evidence{Line: 0, Kind: ev.Kind, Key: ev.Key})
		}
		held, err := holders(items)
		if err != nil {
			return claim.Assessment{}, err
		}
		if other, ok := held[0]; ok {
			MarkClaimed(&d, other)
		}
	}
	return Calculate(c.Params, d), nil
}
