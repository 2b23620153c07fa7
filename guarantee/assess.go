package guarantee

import (
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// Payload is how a guarantee claim's lines are stored with the claim and handed to its
// workflow: {"contracts": [...], "borrowers": {...}}. Borrowers is not sent by the
// institution: whoever stores the claim fills it in (see BorrowersKey).
type Payload struct {
	Contracts []Contract `json:"contracts"`
	Borrowers Borrowers  `json:"borrowers,omitempty"`
}

// Claim is a guarantee claim ready to be assessed: its program's scope and parameters, the
// filing institution, the borrowers' registered classes and its contracts.
type Claim struct {
	Scope       Scope
	Params      Params
	Institution string // credit code of the filing institution
	Borrowers   Borrowers
	Lines       []Contract
}

// ClaimOf decodes a stored claim payload under the program it was filed in.
func ClaimOf(prg program.Program, institution string, payload json.RawMessage) (Claim, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return Claim{}, fmt.Errorf("guarantee payload: %w", err)
	}
	var params Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return Claim{}, fmt.Errorf("parameters of program %s: %w", prg.ID, err)
	}
	return Claim{
		Scope:       Scope{PeriodStart: prg.PeriodStart, PeriodEnd: prg.PeriodEnd},
		Params:      params,
		Institution: institution,
		Borrowers:   body.Borrowers,
		Lines:       body.Contracts,
	}, nil
}

// Assess is the one path from contracts to an assessment, taken by a claim and by a dry run
// alike: judge every line, refuse eligible lines whose contract another claim holds, then
// calculate. Only eligible lines are registered as evidence, so a refused line blocks
// nobody. The yearly cap is left to the ledger.
func (c Claim) Assess(holders claim.Holders) (claim.Assessment, error) {
	decisions := Judge(c.Scope, c.Params, c.Institution, c.Borrowers, c.Lines)
	var items []claim.Evidence
	for i, d := range decisions {
		if d.Eligible {
			ev := EvidenceOf(c.Institution, c.Lines[i])
			items = append(items, claim.Evidence{Line: i, Kind: ev.Kind, Key: ev.Key})
		}
	}
	held, err := holders(items)
	if err != nil {
		return claim.Assessment{}, err
	}
	for line, other := range held {
		if line < 0 || line >= len(decisions) {
			continue // not a line of this claim; nothing to refuse
		}
		wasEligible := decisions[line].Eligible
		MarkClaimed(&decisions[line], other)
		if wasEligible { // MarkClaimed replaced the text; keep finance's size note
			decisions[line].Text = withNote(decisions[line].Text, c.Borrowers.SizeOf(c.Lines[line]).Note())
		}
	}
	return Calculate(c.Scope, c.Params, c.Lines, decisions), nil
}
