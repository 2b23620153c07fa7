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

const claimColumns = `id, program_id, kind, credit_code, submitted_by, status, requested, amount, payload,
	snapshot, assessment, approvals, escalated, info_request, info_response, reason, reason_text,
	payment, workflow_id, run_id, step, created_at, updated_at, parties, confirmation`

func scanClaim(row pgx.Row) (claim.Claim, error) {
	var c claim.Claim
	var amount decimal.NullDecimal
	var payload, snapshot, assessment, approvals, payment, confirmation []byte
	err := row.Scan(&c.ID, &c.ProgramID, &c.Kind, &c.CreditCode, &c.SubmittedBy, &c.Status,
		&c.Requested, &amount, &payload, &snapshot, &assessment, &approvals, &c.Escalated,
		&c.InfoRequest, &c.InfoResponse, &c.Reason, &c.ReasonText, &payment, &c.WorkflowID,
		&c.RunID, &c.Step, &c.CreatedAt, &c.UpdatedAt, &c.Parties, &confirmation)
	if err != nil {
		return c, err
	}
	if amount.Valid {
		c.Amount = &amount.Decimal
	}
	c.Payload, c.Snapshot, c.Payment = payload, snapshot, payment
	if confirmation != nil {
		c.Confirmation = new(claim.Confirmation)
		if err := json.Unmarshal(confirmation, c.Confirmation); err != nil {
			return c, err
		}
	}
	if assessment != nil {
		c.Assessment = new(claim.Assessment)
		if err := json.Unmarshal(assessment, c.Assessment); err != nil {
			return c, err
		}
	}
	return c, json.Unmarshal(approvals, &c.Approvals)
}

// InsertClaim stores a newly submitted claim (Step 0; Status defaults to submitted) and its
// 'claim.submitted' audit row. Conflict when the id exists.
func (s *Store) InsertClaim(ctx context.Context, c claim.Claim, m Meta) error {
	if c.Status == "" {
		c.Status = claim.Submitted
	}
	payload := c.Payload
	if len(payload) == 0 {
		payload = json.RawMessage("{}")
	}
	return s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		_, err := tx.Exec(ctx, `INSERT INTO claims
			(id, program_id, kind, credit_code, submitted_by, status, requested, payload, snapshot, workflow_id, run_id, parties)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			c.ID, c.ProgramID, c.Kind, c.CreditCode, c.SubmittedBy, c.Status, c.Requested,
			payload, nullJSON(c.Snapshot), c.WorkflowID, c.RunID, nonNilStrings(c.Parties))
		if err = mapErr(err); apperr.Is(err, apperr.Conflict) {
			return "", apperr.New(apperr.Conflict, "claim %s already exists", c.ID)
		} else if err != nil {
			return "", err
		}
		e := entry(m, "claim.submitted")
		e.ClaimID, e.ProgramID = c.ID, c.ProgramID
		e.Details = details(map[string]any{"status": c.Status, "kind": c.Kind, "credit_code": c.CreditCode,
			"requested": c.Requested.StringFixed(2), "submitted_by": c.SubmittedBy})
		_, err = appendAudit(ctx, tx, e)
		return c.ID, err
	})
}

// GetClaim returns the claim with id, or NotFound.
func (s *Store) GetClaim(ctx context.Context, id string) (claim.Claim, error) {
	c, err := scanClaim(s.pool.QueryRow(ctx, "SELECT "+claimColumns+" FROM claims WHERE id = $1", id))
	return c, orNotFound(err, "claim", id)
}

// DeleteClaim undoes InsertClaim when the API could not start the claim's workflow. The
// audit log is append-only, so the 'claim.submitted' row stays and a 'claim.aborted' row
// explains why the claim is gone. Only a claim no workflow step has touched (Step 0) can be
// deleted (Conflict otherwise); deleting a missing claim is a no-op, so it can be retried.
func (s *Store) DeleteClaim(ctx context.Context, id string, m Meta) error {
	return s.WithTx(ctx, func(tx pgx.Tx) error {
		var programID string
		var step int
		err := tx.QueryRow(ctx, "DELETE FROM claims WHERE id = $1 RETURNING program_id, step", id).Scan(&programID, &step)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return mapErr(err)
		}
		if step > 0 {
			return apperr.New(apperr.Conflict, "claim %s is already being processed", id)
		}
		e := entry(m, "claim.aborted")
		e.ClaimID, e.ProgramID = id, programID
		e.Details = details(map[string]string{"reason": "the claim's workflow could not be started"})
		_, err = appendAudit(ctx, tx, e)
		return err
	})
}

// nullJSON passes an empty document as SQL NULL.
func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// nonNilStrings stores an absent list as an empty array, as the column's NOT NULL wants.
func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
