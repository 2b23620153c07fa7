package audit

import "fmt"

// Verifier checks a log row by row in seq order without holding it in memory, so the store
// can stream millions of rows through it.
type Verifier struct {
	prev    string
	lastSeq int64
	rows    int64
}

// NewVerifier starts a check from the genesis hash. Use NewVerifierFrom to check a tail.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis} }

// NewVerifierFrom starts a check after the row with seq lastSeq and hash prev.
func NewVerifierFrom(lastSeq int64, prev string) *Verifier {
	return &Verifier{prev: prev, lastSeq: lastSeq}
}

// Check verifies the next row. It returns ok=false with the reason at the first row that
// does not follow from the ones before; the Verifier should not be used after that.
func (v *Verifier) Check(e Entry) (reason string, ok bool) {
	switch {
	case e.Seq != v.lastSeq+1:
		return fmt.Sprintf("expected seq %d, found %d (a row is missing or out of order)", v.lastSeq+1, e.Seq), false
	case e.PrevHash != v.prev:
		return "prev_hash does not match the hash of the previous row", false
	case ComputeHash(v.prev, e) != e.Hash:
		return "hash does not match the row's content (the row was changed)", false
	}
	v.prev, v.lastSeq = e.Hash, e.Seq
	v.rows++
	return "", true
}

// LastSeq is the seq of the last row that checked out (0 before any).
func (v *Verifier) LastSeq() int64 { return v.lastSeq }

// LastHash is the hash of the last row that checked out (Genesis before any).
func (v *Verifier) LastHash() string { return v.prev }

// Rows is how many rows checked out.
func (v *Verifier) Rows() int64 { return v.rows }

// Verify checks rows, in order, as the continuation of a log whose last hash is prev (Genesis
// for a whole log starting at seq 1). firstBroken is the seq of the first row that fails (or,
// when a row is missing, the seq found where it was expected).
func Verify(prev string, rows []Entry) (firstBroken int64, reason string, ok bool) {
	var v *Verifier
	if len(rows) > 0 {
		v = NewVerifierFrom(rows[0].Seq-1, prev)
		if prev == Genesis && rows[0].Seq != 1 {
			v = NewVerifier()
		}
	}
	for _, e := range rows {
		if reason, ok := v.Check(e); !ok {
			return e.Seq, reason, false
		}
	}
	return 0, "", true
}
