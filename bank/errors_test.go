package bank_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
)

func TestErrorSurvivesFlattening(t *testing.T) {
	t.Parallel()
	cases := map[string]*bank.Error{
		"transient": bank.Transientf(bank.CodeUnavailable, "try again"),
		"ambiguous": bank.Ambiguousf(bank.CodeTimeout, "no answer: ask status"),
		"permanent": bank.Permanentf(bank.CodeAccountClosed, "the account is closed"),
		"no text":   bank.Permanentf(bank.CodeNameMismatch, ""),
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("activity: %w", e)
			got := bank.FromFailure(bank.TypeName(wrapped), e.Error())
			assert.Equal(t, e, got)
			// An activity that forgot to wrap: Temporal names the type "Error".
			assert.Equal(t, e, bank.FromFailure("Error", e.Error()))
		})
	}
}

func TestKindHelpersSeeThroughWrapping(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("pay claim 7: %w", bank.Ambiguousf(bank.CodeTimeout, "lost"))
	assert.True(t, bank.IsAmbiguous(err))
	assert.False(t, bank.IsTransient(err))
	assert.False(t, bank.IsPermanent(err))
	assert.Equal(t, bank.CodeTimeout, bank.CodeOf(err))
	assert.Equal(t, bank.ErrTypeAmbiguous, bank.TypeName(err))
}

func TestUnknownPaymentSurvivesFlattening(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("status: %w", bank.ErrUnknownPayment)
	require.Equal(t, bank.ErrTypeUnknownPayment, bank.TypeName(err))
	assert.ErrorIs(t, bank.FromFailure(bank.TypeName(err), err.Error()), bank.ErrUnknownPayment)
	assert.ErrorIs(t, bank.FromFailure("", bank.ErrUnknownPayment.Error()), bank.ErrUnknownPayment)
}

func TestForeignErrorsAreNotBankErrors(t *testing.T) {
	t.Parallel()
	err := errors.New("connection refused")
	assert.Empty(t, bank.TypeName(err))
	assert.Empty(t, bank.CodeOf(err))
	assert.Nil(t, bank.FromFailure("", err.Error()))
	assert.Nil(t, bank.FromFailure("PanicError", "bank: nonsense"))
}

func TestPaymentValidate(t *testing.T) {
	t.Parallel()
	ok := bank.Payment{Key: "claim/1/pay/1", BankName: "ICBC", AccountName: "Lhasa Tea Co",
		AccountNumber: "6222000011112222", Amount: decimal.RequireFromString("1234.50"),
		Reference: "claim-1"}
	require.NoError(t, ok.Validate())
	cases := []struct {
		name string
		edit func(*bank.Payment)
		code string
	}{
		{"zero amount", func(p *bank.Payment) { p.Amount = decimal.Zero }, bank.CodeInvalidAmount},
		{"negative amount", func(p *bank.Payment) { p.Amount = decimal.RequireFromString("-1.00") }, bank.CodeInvalidAmount},
		{"three decimals", func(p *bank.Payment) { p.Amount = decimal.RequireFromString("1.005") }, bank.CodeInvalidAmount},
		{"beyond NUMERIC(20,2)", func(p *bank.Payment) { p.Amount = decimal.New(1, 18) }, bank.CodeInvalidAmount},
		{"empty key", func(p *bank.Payment) { p.Key = "" }, bank.CodeInvalidKey},
		{"key of 101 characters", func(p *bank.Payment) { p.Key = strings.Repeat("钱", 101) }, bank.CodeInvalidKey},
		{"no account number", func(p *bank.Payment) { p.AccountNumber = "" }, bank.CodeInvalidAccount},
		{"no account name", func(p *bank.Payment) { p.AccountName = "" }, bank.CodeInvalidAccount},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := ok
			c.edit(&p)
			err := p.Validate()
			assert.True(t, bank.IsPermanent(err), "%v", err)
			assert.Equal(t, c.code, bank.CodeOf(err))
		})
	}
	long := ok
	long.Key = strings.Repeat("钱", 100)
	assert.NoError(t, long.Validate(), "100 characters is the limit, not 100 bytes")
}
