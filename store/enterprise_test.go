package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/enterprise"
)

func sampleEnterprise(code string) enterprise.Enterprise {
	return enterprise.Enterprise{
		CreditCode: code, Name: "拉萨高原食品有限公司", Industry: "industry", Employees: 45,
		Revenue: dec("1200.50"), Assets: dec("800"), Region: "540100",
		SizeClass: "small", SizeRule: "2011-300",
		Bank: enterprise.BankAccount{BankName: "ICBC Lhasa", AccountName: "拉萨高原食品有限公司", AccountNumber: "6222000011112222"},
	}
}

func TestEnterpriseCreateGetUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	in := sampleEnterprise("91540100MA6T1234X5")
	got, err := s.CreateEnterprise(ctx, in, admin)
	require.NoError(t, err)
	require.Equal(t, in.Name, got.Name)
	requireDec(t, "1200.50", got.Revenue)
	require.False(t, got.CreatedAt.IsZero())

	_, err = s.CreateEnterprise(ctx, in, admin)
	require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)

	acct := enterprise.BankAccount{BankName: "BOC", AccountName: in.Name, AccountNumber: "999"}
	upd, err := s.UpdateBankAccount(ctx, in.CreditCode, acct, admin)
	require.NoError(t, err)
	require.Equal(t, acct, upd.Bank)
	read, err := s.GetEnterprise(ctx, in.CreditCode)
	require.NoError(t, err)
	require.Equal(t, acct, read.Bank)
	require.Equal(t, in.Region, read.Region)

	_, err = s.GetEnterprise(ctx, "nope")
	require.True(t, apperr.Is(err, apperr.NotFound))
	_, err = s.UpdateBankAccount(ctx, "nope", acct, admin)
	require.True(t, apperr.Is(err, apperr.NotFound))
	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(2), rep.Rows, "registration and bank change are audited")
}
