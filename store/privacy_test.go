package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/enterprise"
)

var self = access.Principal{Subject: "ent-self", Role: access.Applicant, CreditCode: "91540100MA6T1234X5"}

// auditDetails is every audit row's details, as text, read as the owner.
func auditDetails(t *testing.T, db testDB) []string {
	t.Helper()
	rows, err := db.owner(t).Query(context.Background(), "SELECT details::text FROM audit_log ORDER BY seq")
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		var d string
		require.NoError(t, rows.Scan(&d))
		out = append(out, d)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestAdminRegisteredEnterpriseIsVerifiedByThatAdmin(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	got, err := s.CreateEnterprise(context.Background(), sampleEnterprise("91540100MA6T1234X5"), admin)
	require.NoError(t, err)
	v := got.Verification
	require.True(t, v.Verified)
	require.Equal(t, "root", v.VerifiedBy)
	require.NotNil(t, v.VerifiedAt)
	require.Empty(t, v.DeclaredBy)
	require.Empty(t, v.Declared)
}

func TestSelfRegisteredEnterpriseIsUnverifiedUntilAnAdminVerifiesIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	code := self.CreditCode
	got, err := s.CreateEnterprise(ctx, sampleEnterprise(code), self)
	require.NoError(t, err)
	v := got.Verification
	require.False(t, v.Verified)
	require.Equal(t, "ent-self", v.DeclaredBy)
	require.NotNil(t, v.DeclaredAt)
	require.Equal(t, []string{enterprise.DeclaredFigures, enterprise.DeclaredBankAccount}, v.Declared)

	// An administrator verifying an older declaration than the one on record verifies nothing.
	_, err = s.VerifyEnterprise(ctx, code, v.DeclaredAt.Add(-time.Second), "licence checked", admin)
	require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
	ok, err := s.VerifyEnterprise(ctx, code, *v.DeclaredAt, "licence and bank letter checked", admin)
	require.NoError(t, err)
	require.True(t, ok.Verification.Verified)
	require.Equal(t, "root", ok.Verification.VerifiedBy)
	require.Equal(t, "ent-self", ok.Verification.DeclaredBy, "who declared what stays on record")
	_, err = s.VerifyEnterprise(ctx, code, *v.DeclaredAt, "again", admin)
	require.True(t, apperr.Is(err, apperr.Conflict), "already verified: %v", err)
	_, err = s.VerifyEnterprise(ctx, "nope", *v.DeclaredAt, "x", admin)
	require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)

	// An administrator's account change leaves the mark; the applicant's makes it unverified again.
	acct := enterprise.BankAccount{BankName: "BOC", AccountName: "x", AccountNumber: "6222000011113333"}
	byAdmin, err := s.UpdateBankAccount(ctx, code, acct, admin)
	require.NoError(t, err)
	require.True(t, byAdmin.Verification.Verified)
	acct.AccountNumber = "6222000011114444"
	bySelf, err := s.UpdateBankAccount(ctx, code, acct, self)
	require.NoError(t, err)
	require.False(t, bySelf.Verification.Verified)
	require.Equal(t, []string{enterprise.DeclaredBankAccount}, bySelf.Verification.Declared,
		"only the account is new since the verification")
	read, err := s.GetEnterprise(ctx, code)
	require.NoError(t, err)
	require.Equal(t, bySelf.Verification, read.Verification)
	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
}

// No audit row holds an account number: registration, account changes and verification
// write the masked number and its keyed hash, the hash the store gives for that number.
func TestAuditRowsHoldMaskedAccountAndKeyedHashOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	code := self.CreditCode
	e, err := s.CreateEnterprise(ctx, sampleEnterprise(code), self)
	require.NoError(t, err)
	acct := enterprise.BankAccount{BankName: "BOC", AccountName: "x", AccountNumber: "6222000099995555"}
	e, err = s.UpdateBankAccount(ctx, code, acct, self)
	require.NoError(t, err)
	_, err = s.VerifyEnterprise(ctx, code, *e.Verification.DeclaredAt, "bank letter checked", admin)
	require.NoError(t, err)

	rows := auditDetails(t, s)
	require.Len(t, rows, 3)
	for _, d := range rows {
		require.NotContains(t, d, "6222000011112222")
		require.NotContains(t, d, "6222000099995555")
	}
	require.Contains(t, rows[0], `"account_number_masked": "****2222"`)
	require.Contains(t, rows[0], s.AccountRef("6222000011112222").HMAC)
	require.Contains(t, rows[1], `"account_number_masked": "****5555"`)
	require.Contains(t, rows[1], s.AccountRef("6222000099995555").HMAC)
	require.Contains(t, rows[2], s.AccountRef("6222000099995555").HMAC, "the verified account")
	require.Contains(t, rows[2], "bank letter checked")
	require.NotEqual(t, s.AccountRef("6222000011112222").HMAC, s.AccountRef("6222000099995555").HMAC)
}

// Web sessions: open with a live token, act as its principal, and once closed (sign-out)
// authenticate nobody, while the token itself keeps working.
func TestClosedSessionNoLongerAuthenticates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	token, err := s.CreateToken(ctx, access.Principal{Subject: "auditor-sun", Role: access.Auditor})
	require.NoError(t, err)
	_, err = s.OpenSession(ctx, "sf_unknown", time.Hour)
	require.True(t, apperr.Is(err, apperr.Unauthenticated), "%v", err)

	id, err := s.OpenSession(ctx, token, time.Hour)
	require.NoError(t, err)
	p, err := s.Authenticate(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "auditor-sun", p.Subject)

	require.NoError(t, s.CloseSession(ctx, id))
	_, err = s.Authenticate(ctx, id)
	require.True(t, apperr.Is(err, apperr.Unauthenticated), "%v", err)
	_, err = s.Authenticate(ctx, token)
	require.NoError(t, err, "signing out of the console leaves the API token working")

	// A revoked token takes its sessions with it; an expired session is dead too.
	id2, err := s.OpenSession(ctx, token, time.Hour)
	require.NoError(t, err)
	expired, err := s.OpenSession(ctx, token, -time.Second)
	require.NoError(t, err)
	_, err = s.Authenticate(ctx, expired)
	require.True(t, apperr.Is(err, apperr.Unauthenticated), "%v", err)
	require.NoError(t, s.RevokeToken(ctx, token))
	_, err = s.Authenticate(ctx, id2)
	require.True(t, apperr.Is(err, apperr.Unauthenticated), "%v", err)
}
