package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/audit"
)

// Limits of one page of the audit log.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
)

// AuditFilter selects audit rows, newest first. Empty fields match everything; From is
// inclusive and To exclusive; Before (a cursor) returns only rows with a smaller seq.
type AuditFilter struct {
	ClaimID string
	Actor   string
	Action  string // a prefix: "payment" matches payment.sent and payment.settled
	From    time.Time
	To      time.Time
	Limit   int
	Before  int64
}

// SearchAudit returns a page of the rows matching f, newest first, and the cursor of the
// next page ("" on the last one).
func (s *Store) SearchAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, string, error) {
	if f.Limit < 1 || f.Limit > MaxAuditLimit {
		f.Limit = DefaultAuditLimit
	}
	q := "SELECT " + auditColumns + " FROM audit_log WHERE true"
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ClaimID != "" {
		add("claim_id = $%d", f.ClaimID)
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		add("starts_with(action, $%d)", f.Action)
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To)
	}
	if f.Before > 0 {
		add("seq < $%d", f.Before)
	}
	args = append(args, f.Limit+1)
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT $%d", len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, "", mapErr(err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Entry, error) { return scanEntry(r) })
	if err != nil {
		return nil, "", mapErr(err)
	}
	next := ""
	if len(entries) > f.Limit {
		entries = entries[:f.Limit]
		next = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	return entries, next, nil
}

// AuditHead is the seq and hash of the last row as audit_head records it.
func (s *Store) AuditHead(ctx context.Context) (audit.Anchor, error) {
	var h audit.Anchor
	err := s.pool.QueryRow(ctx, "SELECT last_seq, last_hash, now() FROM audit_head").Scan(&h.Seq, &h.Hash, &h.At)
	return h, mapErr(err)
}

// VerifyAuditRange checks the rows from seq from to seq to (inclusive; to 0: up to the
// head) with the same row checks as VerifyAudit: each row must follow from the one before
// it, starting from the stored hash of row from-1 (the genesis hash for row 1). A range that
// reaches the head is also checked against audit_head. Rows says how many checked out;
// FirstBroken names the first that did not.
func (s *Store) VerifyAuditRange(ctx context.Context, from, to int64) (AuditReport, error) {
	var rep AuditReport
	if from < 1 {
		from = 1
	}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := withTx(ctx, s.pool, opts, func(tx pgx.Tx) error {
		var headSeq int64
		if err := tx.QueryRow(ctx, "SELECT last_seq FROM audit_head").Scan(&headSeq); err != nil {
			return mapErr(err)
		}
		if to == 0 || to > headSeq {
			to = headSeq
		}
		if from > to {
			rep.OK = true // nothing in the range yet
			return nil
		}
		// The range starts from the stored hash of the row before it.
		start := audit.Anchor{}
		if from > 1 {
			start.Seq = from - 1
			err := tx.QueryRow(ctx, "SELECT hash FROM audit_log WHERE seq = $1", start.Seq).Scan(&start.Hash)
			if err == pgx.ErrNoRows {
				rep = broken(rep, CheckChain, 0, start.Seq, fmt.Sprintf("row %d, before the range, is missing", start.Seq))
				return nil
			}
			if err != nil {
				return mapErr(err)
			}
		}
		var err error
		rep, _, err = verifyRows(ctx, tx, start, nil, to)
		return err
	})
	return rep, err
}
