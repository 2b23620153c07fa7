package store

import "context"

// EvidenceHolders answers, without registering anything, what ClaimEvidence would refuse:
// for each line with an item that a live or paid claim holds, the id of the first such
// claim (items in the order given). It takes no locks, so it is a preview: a claim filed
// a moment later may still lose a race for the same waybill. Lines repeating each other's
// evidence are not compared; the rules refuse those before evidence is looked up.
func (s *Store) EvidenceHolders(ctx context.Context, items []EvidenceItem) (map[int]string, error) {
	held, err := evidenceHolders(ctx, s.pool, items)
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, line := range linesOf(items) {
		// No claim has the empty id, so every holder counts as another claim.
		if other, busy := lineConflict(held, "", line); busy {
			out[line[0].Line] = other
		}
	}
	return out, nil
}
