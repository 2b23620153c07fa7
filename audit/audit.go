// Package audit defines the rows of the append-only, hash-chained audit log and how their
// hashes are computed and checked. It does no I/O: the store appends rows and streams them
// back through a Verifier, so the rules an auditor relies on live in one small place.
//
// Each row's hash is hex(sha256(prev_hash || Canonical(row))), where prev_hash is the hash of
// the row before it (Genesis for the first row). Changing, removing or reordering any row
// breaks the chain at that row or the one after it.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// Genesis is the prev hash of the first row of every log: 64 zeros, the hex width of a
// sha256, so every PrevHash has the same shape.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// canonicalVersion is the first element of every canonical form, so the encoding can change
// one day without old rows becoming ambiguous.
const canonicalVersion = "sf-audit-v1"

// Entry is one row of the audit log.
type Entry struct {
	Seq        int64            `json:"seq"`
	At         time.Time        `json:"at"`
	Actor      string           `json:"actor"`
	Role       string           `json:"role"`
	Action     string           `json:"action"`
	ClaimID    string           `json:"claim_id,omitempty"`
	ProgramID  string           `json:"program_id,omitempty"`
	Amount     *decimal.Decimal `json:"amount,omitempty"`
	Details    json.RawMessage  `json:"details,omitempty"`
	WorkflowID string           `json:"workflow_id,omitempty"`
	RunID      string           `json:"run_id,omitempty"`
	PrevHash   string           `json:"prev_hash"`
	Hash       string           `json:"hash"`
}

// Canonical is the byte form of e that its hash covers: a JSON array with the fields in a
// fixed order. At is taken in UTC truncated to microseconds and Amount as a 2-decimal string
// because that is what PostgreSQL gives back; Details is re-encoded with sorted keys because
// jsonb reorders keys and drops spaces. PrevHash and Hash are not part of it.
func Canonical(e Entry) []byte {
	var amount any
	if e.Amount != nil {
		amount = e.Amount.StringFixed(2)
	}
	fields := []any{
		canonicalVersion,
		e.Seq,
		e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.Role, e.Action, e.ClaimID, e.ProgramID,
		amount,
		json.RawMessage(CanonicalJSON(e.Details)),
		e.WorkflowID, e.RunID,
	}
	b, err := json.Marshal(fields)
	if err != nil {
		// Every element above is a string, an int, nil or valid JSON, so this cannot happen.
		panic("audit: canonical encoding: " + err.Error())
	}
	return b
}

// ComputeHash returns hex(sha256(prev || Canonical(e))).
func ComputeHash(prev string, e Entry) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(Canonical(e))
	return hex.EncodeToString(h.Sum(nil))
}

// CanonicalJSON re-encodes a JSON document with object keys sorted, no insignificant spaces
// and numbers kept as written. Empty input and the literal null become {} (the store keeps
// an empty object rather than NULL); input that is not valid JSON is kept as a JSON string,
// so nothing is silently dropped from the hash.
func CanonicalJSON(raw []byte) []byte {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber() // keep "1234.50" style numbers byte for byte
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		b, _ := json.Marshal(string(trimmed))
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // maps encode with sorted keys; cannot fail on decoded JSON
	return bytes.TrimRight(buf.Bytes(), "\n")
}
