package audit

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Anchor is a point of the chain vouched for from outside the database: the seq and hash of
// the head when a checkpoint was signed. Someone who can write to the database can rebuild
// a consistent chain and head (cut rows off the end and rewind the head, or edit a row and
// recompute every hash after it); they cannot make it agree with an anchor taken before.
type Anchor struct {
	Seq  int64
	Hash string
	At   time.Time // when the head was seen, for the report
}

// AnchorCheck checks a chain that a Verifier accepts against anchors, row by row as the rows
// stream past, so it costs one comparison per anchor.
type AnchorCheck struct {
	anchors  []Anchor // by seq; those not reached yet from next on
	next     int
	lastGood int64 // seq of the last anchor the chain agreed with (0: none yet)
}

// NewAnchorCheck checks against anchors, in any order. Anchors at seq 0 (an empty log) vouch
// for nothing and are ignored.
func NewAnchorCheck(anchors []Anchor) *AnchorCheck {
	var list []Anchor
	for _, a := range anchors {
		if a.Seq > 0 {
			list = append(list, a)
		}
	}
	slices.SortStableFunc(list, func(a, b Anchor) int { return cmp.Compare(a.Seq, b.Seq) })
	return &AnchorCheck{anchors: list}
}

// Row checks the row with seq and hash, which a Verifier has just accepted. On a mismatch it
// returns the first seq that may have been rewritten (after the last anchor that agreed) and
// the reason; rehashing leaves no trace in the chain itself, so the rewritten row can only be
// placed between two anchors.
func (c *AnchorCheck) Row(seq int64, hash string) (firstBroken int64, reason string, ok bool) {
	for c.next < len(c.anchors) && c.anchors[c.next].Seq < seq {
		c.next++ // before the rows being checked (a check that starts part way)
	}
	for c.next < len(c.anchors) && c.anchors[c.next].Seq == seq {
		a := c.anchors[c.next]
		if a.Hash != hash {
			return c.lastGood + 1, fmt.Sprintf("row %d's hash differs from the checkpoint signed at %s: "+
				"rows %d to %d were rewritten and rehashed", seq, a.At.UTC().Format(time.RFC3339), c.lastGood+1, seq), false
		}
		c.lastGood = seq
		c.next++
	}
	return 0, "", true
}

// End checks, once every row has been read, that the chain reached the anchors: one beyond
// lastSeq means rows were cut off the end (whatever the head says).
func (c *AnchorCheck) End(lastSeq int64) (firstBroken int64, reason string, ok bool) {
	if c.next == len(c.anchors) {
		return 0, "", true
	}
	last := c.anchors[len(c.anchors)-1]
	return lastSeq + 1, fmt.Sprintf("the log ends at seq %d but the checkpoint signed at %s records seq %d: "+
		"rows were removed from the end", lastSeq, last.At.UTC().Format(time.RFC3339), last.Seq), false
}

// Latest is the anchor with the highest seq, if any.
func (c *AnchorCheck) Latest() (Anchor, bool) {
	if len(c.anchors) == 0 {
		return Anchor{}, false
	}
	return c.anchors[len(c.anchors)-1], true
}
