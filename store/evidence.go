package store

import (
	"context"
	"hash/fnv"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/claim"
)

// evidenceLockSpace is the first key of the two-key advisory locks taken on evidence, so
// they never meet other advisory locks ("sfev").
const evidenceLockSpace int32 = 0x73666576

// EvidenceItem is the store's name for claim.Evidence: the store keeps whatever pieces the
// kind's rules name and never imports a rule package.
type EvidenceItem = claim.Evidence

// holder is the claim line a piece of evidence is registered to.
type holder struct {
	claimID string
	line    int
}

type evidenceKey struct{ kind, key string }

// ClaimEvidence registers a claim's evidence, line by line and all-or-none per line. It
// returns, for each line it could not register, the id of the first claim holding one of
// that line's items (the claim's own id when the same evidence appears on two of its
// lines). Calling it again for the same claim changes nothing. Two claims racing for the
// same waybill are serialised by per-item advisory locks, so exactly one gets it.
func (s *Store) ClaimEvidence(ctx context.Context, claimID string, items []EvidenceItem) (map[int]string, error) {
	conflicts := map[int]string{}
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		clear(conflicts) // in case the transaction body ever runs twice
		if err := lockEvidence(ctx, tx, items); err != nil {
			return err
		}
		held, err := evidenceHolders(ctx, tx, items)
		if err != nil {
			return err
		}
		for _, line := range linesOf(items) {
			if other, busy := lineConflict(held, claimID, line); busy {
				conflicts[line[0].Line] = other
				continue
			}
			if err := registerLine(ctx, tx, claimID, line, held); err != nil {
				return err
			}
		}
		return nil
	})
	return conflicts, err
}

// lockEvidence takes a transaction advisory lock per item, in ascending key order so that
// two claims sharing several items cannot deadlock.
func lockEvidence(ctx context.Context, q dbtx, items []EvidenceItem) error {
	keys := make([]int32, 0, len(items))
	for _, it := range items {
		h := fnv.New32a()
		h.Write([]byte(it.Kind + "\x00" + it.Key))
		keys = append(keys, int32(h.Sum32()))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	_, err := q.Exec(ctx, "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k", evidenceLockSpace, keys)
	return mapErr(err)
}

// evidenceHolders reads who holds each item now (live or paid).
func evidenceHolders(ctx context.Context, q dbtx, items []EvidenceItem) (map[evidenceKey]holder, error) {
	kinds, keys := make([]string, len(items)), make([]string, len(items))
	for i, it := range items {
		kinds[i], keys[i] = it.Kind, it.Key
	}
	rows, err := q.Query(ctx, `SELECT e.kind, e.key, e.claim_id, e.line_index FROM evidence e
		JOIN unnest($1::text[], $2::text[]) AS w(kind, key) ON e.kind = w.kind AND e.key = w.key
		WHERE e.state <> 'released'`, kinds, keys)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	held := map[evidenceKey]holder{}
	for rows.Next() {
		var k evidenceKey
		var h holder
		if err := rows.Scan(&k.kind, &k.key, &h.claimID, &h.line); err != nil {
			return nil, mapErr(err)
		}
		held[k] = h
	}
	return held, mapErr(rows.Err())
}

// linesOf groups items by line, in line order, dropping an item repeated on one line.
func linesOf(items []EvidenceItem) [][]EvidenceItem {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b EvidenceItem) int { return a.Line - b.Line })
	sorted = slices.Compact(sorted)
	var lines [][]EvidenceItem
	for i, it := range sorted {
		if i == 0 || it.Line != sorted[i-1].Line {
			lines = append(lines, nil)
		}
		lines[len(lines)-1] = append(lines[len(lines)-1], it)
	}
	return lines
}

// lineConflict reports the first holder of one of the line's items other than this line.
func lineConflict(held map[evidenceKey]holder, claimID string, line []EvidenceItem) (string, bool) {
	for _, it := range line {
		h, ok := held[evidenceKey{it.Kind, it.Key}]
		if ok && (h.claimID != claimID || h.line != it.Line) {
			return h.claimID, true
		}
	}
	return "", false
}

// registerLine inserts the line's items (those already registered to it stay as they are).
func registerLine(ctx context.Context, q dbtx, claimID string, line []EvidenceItem, held map[evidenceKey]holder) error {
	for _, it := range line {
		_, err := q.Exec(ctx, `INSERT INTO evidence (kind, key, claim_id, line_index) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind, key) WHERE state <> 'released' DO NOTHING`, it.Kind, it.Key, claimID, it.Line)
		if err != nil {
			return mapErr(err)
		}
		held[evidenceKey{it.Kind, it.Key}] = holder{claimID, it.Line}
	}
	return nil
}

// ReleaseEvidence frees a claim's live evidence (a claim assessed as paying nothing) so
// another claim may use it. Paid evidence stays claimed for good. Exits that also hold
// money release both at once with Release.
func (s *Store) ReleaseEvidence(ctx context.Context, claimID string) error {
	return releaseEvidence(ctx, s.pool, claimID)
}

func releaseEvidence(ctx context.Context, q dbtx, claimID string) error {
	_, err := q.Exec(ctx, `UPDATE evidence SET state = 'released', updated_at = now()
		WHERE claim_id = $1 AND state = 'live'`, claimID)
	return mapErr(err)
}

// markEvidencePaid marks a claim's live evidence as paid; Commit does it in the same
// transaction as it commits the money.
func markEvidencePaid(ctx context.Context, q dbtx, claimID string) error {
	_, err := q.Exec(ctx, `UPDATE evidence SET state = 'paid', updated_at = now()
		WHERE claim_id = $1 AND state = 'live'`, claimID)
	return mapErr(err)
}

// ClaimEvidenceItems lists the evidence a claim holds (live or paid), in line order.
func (s *Store) ClaimEvidenceItems(ctx context.Context, claimID string) ([]EvidenceItem, error) {
	rows, err := s.pool.Query(ctx, `SELECT line_index, kind, key FROM evidence
		WHERE claim_id = $1 AND state <> 'released' ORDER BY line_index, kind, key`, claimID)
	if err != nil {
		return nil, mapErr(err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[EvidenceItem])
	return items, mapErr(err)
}
