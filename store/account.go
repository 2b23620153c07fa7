package store

import (
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/pii"
)

// SetAccountKey sets the key account numbers are hashed with in audit rows (PII_HASH_KEY).
// Call it once, before the store is used; without it a random key serves this process, so
// hashes written by one dev process cannot be compared with another's.
func (s *Store) SetAccountKey(key []byte) {
	s.accountsOnce.Do(func() {})
	s.accounts = pii.NewHasher(key)
}

func (s *Store) accountHasher() *pii.Hasher {
	s.accountsOnce.Do(func() {
		if s.accounts == nil {
			s.accounts = pii.NewHasher(nil)
		}
	})
	return s.accounts
}

// AccountRef is how an account number goes into an audit row: masked, with its keyed hash.
// Every path that audits an account (registration, account change, verification, payment
// attempts) goes through it, so no audit row holds a number, and an auditor who holds one
// can ask for its hash (POST /v1/audit/account-hash) and compare.
func (s *Store) AccountRef(number string) pii.Account {
	return s.accountHasher().Account(number)
}

// auditedBank is a bank account as an audit row holds it.
type auditedBank struct {
	BankName    string `json:"bank_name"`
	AccountName string `json:"account_name"`
	pii.Account
}

func (s *Store) auditedBank(b enterprise.BankAccount) auditedBank {
	return auditedBank{BankName: b.BankName, AccountName: b.AccountName, Account: s.AccountRef(b.AccountNumber)}
}
