package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
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
	Check       string `json:"check,omitempty"`        // which check failed: CheckChain, CheckCheckpoint or CheckHead
	Reason      string `json:"reason,omitempty"`
	// CheckpointSeq is the head seq of the latest checkpoint checked against (0: none).
	CheckpointSeq int64 `json:"checkpoint_seq,omitempty"`
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
// meanwhile do not cause false alarms. Someone with the owner's rights can rebuild a chain
// that passes this; VerifyAuditAgainst checkpoints kept outside the database catches that.
func (s *Store) VerifyAudit(ctx context.Context) (AuditReport, error) {
	return s.VerifyAuditAgainst(ctx, nil)
}

// VerifyAuditAgainst is VerifyAudit that also checks the chain passes through every anchor
// (the heads recorded by signed checkpoints): a log cut short with its head rewound, or a
// row edited with every hash after it recomputed, disagrees with an anchor taken before.
func (s *Store) VerifyAuditAgainst(ctx context.Context, anchors []audit.Anchor) (AuditReport, error) {
	rep, _, err := s.verifyAudit(ctx, audit.Anchor{}, anchors, 0)
	return rep, err
}

// VerifyAuditSince checks only the rows after from (a head checked and anchored before) and
// that the head follows from them, and returns that head: the checkpointer's check before it
// signs, which costs in proportion to the rows appended since the last checkpoint.
func (s *Store) VerifyAuditSince(ctx context.Context, from audit.Anchor) (AuditReport, audit.Anchor, error) {
	return s.verifyAudit(ctx, from, nil, 0)
}

// Which check an AuditReport failed.
const (
	CheckChain      = "chain"      // a row does not follow from the one before
	CheckCheckpoint = "checkpoint" // the chain disagrees with a signed checkpoint
	CheckHead       = "head"       // the chain does not end where audit_head says
)

// verifyAudit checks the rows after from up to seq to (0: to the end of the log) and, when
// they reach the head, that the head follows from them.
func (s *Store) verifyAudit(ctx context.Context, from audit.Anchor, anchors []audit.Anchor, to int64) (AuditReport, audit.Anchor, error) {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	var rep AuditReport
	var head audit.Anchor
	err := withTx(ctx, s.pool, opts, func(tx pgx.Tx) (err error) {
		rep, head, err = verifyRows(ctx, tx, from, anchors, to)
		return err
	})
	return rep, head, err
}

func verifyRows(ctx context.Context, tx pgx.Tx, from audit.Anchor, anchors []audit.Anchor, to int64) (AuditReport, audit.Anchor, error) {
	var rep AuditReport
	var head audit.Anchor
	err := func() error {
		v := audit.NewVerifier()
		if from.Seq > 0 {
			v = audit.NewVerifierFrom(from.Seq, from.Hash)
		}
		ac := audit.NewAnchorCheck(anchors)
		if a, ok := ac.Latest(); ok {
			rep.CheckpointSeq = a.Seq
		}
		last := int64(math.MaxInt64)
		if to > 0 {
			last = to
		}
		rows, err := tx.Query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq", from.Seq, last)
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
				rep = broken(rep, CheckChain, v.Rows(), e.Seq, reason)
				return nil
			}
			if first, reason, ok := ac.Row(e.Seq, e.Hash); !ok {
				rep = broken(rep, CheckCheckpoint, v.Rows(), first, reason)
				return nil
			}
		}
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		if first, reason, ok := ac.End(v.LastSeq()); !ok {
			rep = broken(rep, CheckCheckpoint, v.Rows(), first, reason)
			return nil
		}
		if to > 0 && v.LastSeq() < to {
			rep = broken(rep, CheckChain, v.Rows(), v.LastSeq()+1,
				fmt.Sprintf("expected seq %d, found none (rows are missing)", v.LastSeq()+1))
			return nil
		}
		var headSeq int64
		if to > 0 {
			if err := tx.QueryRow(ctx, "SELECT last_seq FROM audit_head").Scan(&headSeq); err != nil {
				return mapErr(err)
			}
		}
		if to > 0 && to != headSeq {
			rep.OK, rep.Rows = true, v.Rows() // a range short of the head: the head is not its to check
			return nil
		}
		rep, head, err = checkHead(ctx, tx, v, rep)
		return err
	}()
	return rep, head, err
}

func broken(rep AuditReport, check string, rows, first int64, reason string) AuditReport {
	rep.OK, rep.Check, rep.Rows, rep.FirstBroken, rep.Reason = false, check, rows, first, reason
	return rep
}

// checkHead compares the end of the verified chain with audit_head, which it returns.
func checkHead(ctx context.Context, q dbtx, v *audit.Verifier, rep AuditReport) (AuditReport, audit.Anchor, error) {
	var head audit.Anchor
	if err := q.QueryRow(ctx, "SELECT last_seq, last_hash, now() FROM audit_head").Scan(&head.Seq, &head.Hash, &head.At); err != nil {
		return AuditReport{}, head, mapErr(err)
	}
	if head.Seq != v.LastSeq() || head.Hash != v.LastHash() {
		return broken(rep, CheckHead, v.Rows(), v.LastSeq()+1,
			fmt.Sprintf("the log ends at seq %d but its head records seq %d (rows removed from the end, or the head moved)", v.LastSeq(), head.Seq)), head, nil
	}
	rep.OK, rep.Rows = true, v.Rows()
	return rep, head, nil
}
