package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/audit"
)

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	OK          bool   `json:"ok"`
	Rows        int64  `json:"rows"`                   // rows that checked out
	FirstBroken int64  `json:"first_broken,omitempty"` // seq of the first row that does not
	Reason      string `json:"reason,omitempty"`
}

// appendAudit adds e to the chain inside q's transaction and returns it as stored. It locks
// audit_head, so appends are serialised until the transaction ends: call it as the last
// statement of a transaction (after every other lock is taken) to keep lock order
// domain rows → audit_head everywhere and transactions free of deadlocks.
func appendAudit(ctx context.Context, q dbtx, e audit.Entry) (audit.Entry, error) {
	// Details go through jsonb here, before hashing, so the hash covers exactly what a
	// verifier will read back (jsonb rewrites numbers such as 1e2 and drops duplicate keys).
	var det []byte
	err := q.QueryRow(ctx, "SELECT last_seq, last_hash, $1::jsonb FROM audit_head FOR UPDATE",
		string(audit.CanonicalJSON(e.Details))).Scan(&e.Seq, &e.PrevHash, &det)
	if err != nil {
		return e, mapErr(err)
	}
	e.Seq++
	e.Details = det
	e = normalizeEntry(e)
	e.Hash = audit.ComputeHash(e.PrevHash, e)
	_, err = q.Exec(ctx, `INSERT INTO audit_log
		(seq, at, actor, role, action, claim_id, program_id, amount, details, workflow_id, run_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), NULLIF($7, ''), $8, $9, $10, $11, $12, $13)`,
		e.Seq, e.At, e.Actor, e.Role, e.Action, e.ClaimID, e.ProgramID, e.Amount, string(e.Details),
		e.WorkflowID, e.RunID, e.PrevHash, e.Hash)
	if err != nil {
		return e, mapErr(err)
	}
	_, err = q.Exec(ctx, "UPDATE audit_head SET last_seq = $1, last_hash = $2", e.Seq, e.Hash)
	return e, mapErr(err)
}

// appendAll appends entries in order.
func appendAll(ctx context.Context, q dbtx, entries []audit.Entry) error {
	for _, e := range entries {
		if _, err := appendAudit(ctx, q, e); err != nil {
			return err
		}
	}
	return nil
}

// normalizeEntry puts e in the form PostgreSQL will give back, so the hash computed now
// matches the one recomputed from the stored row.
func normalizeEntry(e audit.Entry) audit.Entry {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if e.Amount != nil {
		a := e.Amount.Round(2)
		e.Amount = &a
	}
	e.Details = audit.CanonicalJSON(e.Details)
	return e
}

// entry starts an audit row for an action taken under m.
func entry(m Meta, action string) audit.Entry {
	return audit.Entry{
		Actor: m.Actor.Subject, Role: string(m.Actor.Role), Action: action,
		WorkflowID: m.WorkflowID, RunID: m.RunID,
	}
}

// details encodes v for an audit row; v is always a map or struct of plain values.
func details(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf(`{"error":%q}`, err.Error()))
	}
	return b
}

// money returns a pointer to a copy of d, for audit amounts.
func money(d decimal.Decimal) *decimal.Decimal { return &d }

// AppendAudit appends a standalone event (payment sent, bank settlement matched, …) in its
// own transaction. Seq, PrevHash and Hash are assigned; a zero At means now.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	return s.WithTx(ctx, func(tx pgx.Tx) error {
		_, err := appendAudit(ctx, tx, e)
		return err
	})
}

const auditColumns = `seq, at, actor, role, action, COALESCE(claim_id, ''), COALESCE(program_id, ''),
	amount, details, workflow_id, run_id, prev_hash, hash`

func scanEntry(row pgx.Row) (audit.Entry, error) {
	var e audit.Entry
	var amount decimal.NullDecimal
	var det []byte
	err := row.Scan(&e.Seq, &e.At, &e.Actor, &e.Role, &e.Action, &e.ClaimID, &e.ProgramID,
		&amount, &det, &e.WorkflowID, &e.RunID, &e.PrevHash, &e.Hash)
	if amount.Valid {
		e.Amount = &amount.Decimal
	}
	e.Details = det
	return e, err
}

// ClaimTrail returns a claim's audit rows in order.
func (s *Store) ClaimTrail(ctx context.Context, claimID string) ([]audit.Entry, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE claim_id = $1 ORDER BY seq", claimID)
	if err != nil {
		return nil, mapErr(err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Entry, error) { return scanEntry(r) })
	return entries, mapErr(err)
}

// VerifyAudit streams the whole log in seq order through audit.Verifier and checks that it
// ends where audit_head says, so rows changed, removed, reordered or cut off the end are
// reported with the seq where the chain breaks. It reads one snapshot, so appends running
// meanwhile do not cause false alarms.
func (s *Store) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := withTx(ctx, s.pool, opts, func(tx pgx.Tx) error {
		v := audit.NewVerifier()
		rows, err := tx.Query(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY seq")
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				return mapErr(err)
			}
			if reason, ok := v.Check(e); !ok {
				rep = AuditReport{Rows: v.Rows(), FirstBroken: e.Seq, Reason: reason}
				return nil
			}
		}
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		rep, err = checkHead(ctx, tx, v)
		return err
	})
	return rep, err
}

// checkHead compares the end of the verified chain with audit_head.
func checkHead(ctx context.Context, q dbtx, v *audit.Verifier) (AuditReport, error) {
	var seq int64
	var hash string
	if err := q.QueryRow(ctx, "SELECT last_seq, last_hash FROM audit_head").Scan(&seq, &hash); err != nil {
		return AuditReport{}, mapErr(err)
	}
	rep := AuditReport{OK: true, Rows: v.Rows()}
	if seq != v.LastSeq() || hash != v.LastHash() {
		rep = AuditReport{Rows: v.Rows(), FirstBroken: v.LastSeq() + 1,
			Reason: fmt.Sprintf("the log ends at seq %d but its head records seq %d (rows removed from the end)", v.LastSeq(), seq)}
	}
	return rep, nil
}
