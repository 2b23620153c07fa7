package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

// Security finding 5: look-alike subjects are one person once minted, so a claim filed as
// "Demo-Officer" is the own claim of "demo-officer"; invisible characters are refused.
func TestTokenSubjectsAreNormalised(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	for _, typed := range []string{"Demo-Officer", "demo-officer ", "ＤＥＭＯ-officer"} {
		tok, err := s.CreateToken(ctx, access.Principal{Subject: typed, Role: access.FinanceOfficer})
		require.NoError(t, err, typed)
		p, err := s.Authenticate(ctx, tok)
		require.NoError(t, err)
		require.Equal(t, "demo-officer", p.Subject, typed)
	}
	_, err := s.CreateToken(ctx, access.Principal{Subject: "demo-officer\u200b", Role: access.FinanceOfficer})
	require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
}

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := access.Principal{Subject: "gesang", Role: access.Applicant, CreditCode: "91540100MA6T1234X5"}
	tok, err := s.CreateToken(ctx, p)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(tok, "sf_"))
	require.Len(t, tok, 3+43)

	got, err := s.Authenticate(ctx, tok)
	require.NoError(t, err)
	require.Equal(t, p, got)

	_, err = s.Authenticate(ctx, "sf_unknown")
	require.True(t, apperr.Is(err, apperr.Unauthenticated))
	require.NoError(t, s.RevokeToken(ctx, tok))
	_, err = s.Authenticate(ctx, tok)
	require.True(t, apperr.Is(err, apperr.Unauthenticated))
	require.NoError(t, s.RevokeToken(ctx, tok), "revoking twice is a no-op")
	require.True(t, apperr.Is(s.RevokeToken(ctx, "sf_mistyped"), apperr.NotFound))

	_, err = s.CreateToken(ctx, access.Principal{Subject: "x", Role: access.Applicant})
	require.True(t, apperr.Is(err, apperr.Invalid), "an applicant needs a credit code")
	_, err = s.CreateToken(ctx, access.Principal{Subject: "x", Role: "wizard"})
	require.True(t, apperr.Is(err, apperr.Invalid))
}
