package store

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
)

// ClaimChange is one workflow step's change to the read model. Nil fields are left as they
// are; Approvals replaces the list when non-nil (pass an empty slice to clear it).
type ClaimChange struct {
	ID     string
	Step   int          // > the claim's current step; assigned by the workflow, one per change
	Status claim.Status // required
	Action string       // audit action, e.g. "claim.calculated"

	Amount       *decimal.Decimal
	Snapshot     json.RawMessage
	Assessment   *claim.Assessment
	Approvals    []claim.Approval
	Escalated    *bool
	InfoRequest  *string
	InfoResponse *string
	Reason       *string
	ReasonText   *string
	Payment      json.RawMessage
	RunID        *string
	Parties      []string        // added to the claim's parties (a voucher's provider once known)
	Confirmation json.RawMessage // a landlord's confirmation or dispute, replacing any earlier one
	Payload      json.RawMessage // replaces the claim's lines (a voucher's redemption once known)

	Details json.RawMessage // extra audit details, kept under "data"
}

// ApplyClaimChange applies ch if ch.Step is greater than the claim's step, and appends its
// audit row (with the claim's amount after the change) in the same transaction. It returns
// false without writing anything when the step was already applied, so an activity retried
// after a lost reply never writes twice. NotFound when the claim does not exist.
func (s *Store) ApplyClaimChange(ctx context.Context, ch ClaimChange, m Meta) (bool, error) {
	if ch.Step <= 0 || ch.Status == "" || ch.Action == "" {
		return false, apperr.New(apperr.Invalid, "a claim change needs a positive step, a status and an action")
	}
	args, err := changeArgs(ch)
	if err != nil {
		return false, err
	}
	applied := false
	err = s.WithTx(ctx, func(tx pgx.Tx) error {
		var programID string
		var amount decimal.NullDecimal
		err := tx.QueryRow(ctx, updateClaimSQL, args...).Scan(&programID, &amount)
		if errors.Is(err, pgx.ErrNoRows) {
			return claimExists(ctx, tx, ch.ID)
		}
		if err != nil {
			return mapErr(err)
		}
		applied = true
		e := entry(m, ch.Action)
		e.ClaimID, e.ProgramID = ch.ID, programID
		if amount.Valid {
			e.Amount = money(amount.Decimal)
		}
		d := map[string]any{"status": ch.Status, "step": ch.Step}
		if len(ch.Details) > 0 {
			d["data"] = ch.Details
		}
		e.Details = details(d)
		_, err = appendAudit(ctx, tx, e)
		return err
	})
	return applied, err
}

// updateClaimSQL sets every column whose argument is not NULL. $1 id, $2 step, $3 status.
const updateClaimSQL = `UPDATE claims SET
	step = $2, status = $3, updated_at = now(),
	amount = COALESCE($4, amount),
	snapshot = COALESCE($5::jsonb, snapshot),
	assessment = COALESCE($6::jsonb, assessment),
	approvals = COALESCE($7::jsonb, approvals),
	escalated = COALESCE($8, escalated),
	info_request = COALESCE($9, info_request),
	info_response = COALESCE($10, info_response),
	reason = COALESCE($11, reason),
	reason_text = COALESCE($12, reason_text),
	payment = COALESCE($13::jsonb, payment),
	run_id = COALESCE($14, run_id),
	parties = CASE WHEN $15::text[] IS NULL THEN parties
		ELSE ARRAY(SELECT DISTINCT p FROM unnest(parties || $15::text[]) AS p ORDER BY p) END,
	confirmation = COALESCE($16::jsonb, confirmation),
	payload = COALESCE($17::jsonb, payload)
	WHERE id = $1 AND step < $2
	RETURNING program_id, amount`

func changeArgs(ch ClaimChange) ([]any, error) {
	var assessment, approvals any
	if ch.Assessment != nil {
		b, err := json.Marshal(ch.Assessment)
		if err != nil {
			return nil, err
		}
		assessment = string(b)
	}
	if ch.Approvals != nil {
		b, err := json.Marshal(ch.Approvals)
		if err != nil {
			return nil, err
		}
		approvals = string(b)
	}
	var parties any // NULL leaves the parties as they are
	if ch.Parties != nil {
		parties = ch.Parties
	}
	return []any{ch.ID, ch.Step, ch.Status, ch.Amount, nullJSON(ch.Snapshot), assessment, approvals,
		ch.Escalated, ch.InfoRequest, ch.InfoResponse, ch.Reason, ch.ReasonText,
		nullJSON(ch.Payment), ch.RunID, parties, nullJSON(ch.Confirmation), nullJSON(ch.Payload)}, nil
}

// claimExists is nil when the claim exists (the change was a repeat), NotFound otherwise.
func claimExists(ctx context.Context, q dbtx, id string) error {
	var ok bool
	if err := q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM claims WHERE id = $1)", id).Scan(&ok); err != nil {
		return mapErr(err)
	}
	if !ok {
		return notFound("claim", id)
	}
	return nil
}
