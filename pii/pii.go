// Package pii keeps bank account numbers out of places that do not need them: people who are
// not paying a claim see the last four digits, and the append-only audit log holds the
// masked form and a keyed hash, never the number itself (an audit row can never be
// redacted). The hash lets an auditor who holds a number check that it is the one recorded,
// without the log telling anyone else what it was. It does no I/O.
package pii

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// Mask shows the last four characters of an account number: "****1234". A number of four
// characters or fewer is shown as it is (there is nothing left to hide behind the mask).
func Mask(n string) string {
	if len(n) <= 4 {
		return n
	}
	return "****" + n[len(n)-4:]
}

// MinKeyLen is the shortest key accepted: 32 bytes, as HMAC-SHA256 wants.
const MinKeyLen = 32

// Hasher computes the keyed hash of account numbers. The key is a secret of the deployment
// (PII_HASH_KEY): without it nobody can test guesses of a number against the log.
type Hasher struct{ key []byte }

// NewHasher returns a hasher under key; an empty key gets a random one, which is right for
// one process (dev, tests) and wrong for a deployment whose auditors compare hashes later.
func NewHasher(key []byte) *Hasher {
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand does not fail on supported platforms
	}
	return &Hasher{key: append([]byte(nil), key...)}
}

// Hash is the hex HMAC-SHA256 of account number n under the hasher's key.
func (h *Hasher) Hash(n string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("sf-account\x00" + n))
	return hex.EncodeToString(m.Sum(nil))
}

// Account is how an account number is written where it must not appear: its masked form
// and its keyed hash.
type Account struct {
	Masked string `json:"account_number_masked"`
	HMAC   string `json:"account_number_hmac"`
}

// Account returns the masked form and keyed hash of account number n.
func (h *Hasher) Account(n string) Account {
	return Account{Masked: Mask(n), HMAC: h.Hash(n)}
}
